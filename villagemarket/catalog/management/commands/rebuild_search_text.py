"""Recompute every product's search text and lowest price (after a bulk import or a rule change)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db.models import Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from rich.progress import track

from villagemarket.catalog.models import SKU, Product
from villagemarket.catalog.searchtext import build_search_text


class Command(BaseCommand):
    help = (
        "Recompute search_text (Chinese words, pinyin, initials) and min_price_minor of products."
    )

    def add_arguments(self, parser):
        parser.add_argument("--shop", help="only this shop's slug")

    def handle(self, *args, shop=None, **options):
        qs = Product.objects.all() if not shop else Product.objects.filter(shop__slug=shop)
        low = (
            SKU.objects.filter(product=OuterRef("pk"), is_active=True)
            .values("product")
            .annotate(m=Min("price_minor"))
            .values("m")
        )
        qs.update(min_price_minor=Coalesce(Subquery(low), Value(0)))
        rows = list(qs.values_list("pk", "title", "title_en"))
        batch: list[Product] = []
        for pk, title, title_en in track(rows, description="search text", disable=not rows):
            batch.append(Product(pk=pk, search_text=build_search_text(title, title_en)))
            if len(batch) >= 500:
                Product.objects.bulk_update(batch, ["search_text"])
                batch.clear()
        Product.objects.bulk_update(batch, ["search_text"])
        self.stdout.write(self.style.SUCCESS(f"{len(rows)} products updated."))
