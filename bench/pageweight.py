"""Storefront page weight: HTML + referenced CSS and JS, raw and gzip-compressed, per page.

Starts nothing: uses Django's test Client against the configured (demo) database, or fetches
from a running server with --base-url. Product images are not counted (the 60 KB budget is for
HTML+CSS+JS). Run after `manage.py demo`:

    VM_VAR_DIR=/tmp/vm-demo .venv/bin/python bench/pageweight.py
    VM_VAR_DIR=/tmp/vm-demo .venv/bin/python bench/pageweight.py --seller seller@demo.villagemarket
    .venv/bin/python bench/pageweight.py --base-url http://127.0.0.1:8100
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import sys
import urllib.request
from pathlib import Path

BUDGET = 60 * 1024
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="([^"]+\.(?:css|js))"')


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


class Fetcher:
    def __init__(self, base_url: str | None, user=None):
        self.base_url = base_url
        if base_url is None:
            from django.test import Client

            self.client = Client(HTTP_HOST="127.0.0.1")
            if user is not None:
                self.client.force_login(user)

    def get(self, path: str) -> bytes:
        if self.base_url:
            with urllib.request.urlopen(self.base_url.rstrip("/") + path, timeout=30) as r:  # noqa: S310
                return r.read()
        if path.startswith("/static/"):
            from django.contrib.staticfiles import finders

            found = finders.find(path.removeprefix("/static/").split("?")[0])
            return Path(found).read_bytes() if found else b""
        response = self.client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
        return response.content


def sample_paths() -> dict[str, str]:
    """One of each storefront page, picked from the database."""
    from villagemarket.catalog.models import Category
    from villagemarket.catalog.storefront import visible_products
    from villagemarket.regions.models import Region
    from villagemarket.shops.models import Shop

    product = visible_products().order_by("-id").first()
    category = Category.objects.filter(parent__isnull=True).first()
    shop = Shop.objects.filter(status="active").first()
    village = Region.objects.filter(is_featured=True).first() or (shop and shop.village)
    paths = {"home": "/", "search": "/search/?q=dinglou"}
    if category:
        paths["category"] = f"/c/{category.slug}/"
    if product:
        paths["product"] = f"/p/{product.pk}/"
    if shop:
        paths["shop"] = f"/shops/{shop.slug}/"
    if village:
        paths["village"] = f"/regions/{village.code}/"
    return paths


def seller_paths(user) -> dict[str, str]:
    """The seller center pages of the user's first shop (its first product and order)."""
    from villagemarket.catalog.models import Product
    from villagemarket.orders.models import ShopOrder
    from villagemarket.shops.models import Shop

    shop = Shop.objects.filter(members__user=user).order_by("pk").first()
    if shop is None:
        raise SystemExit(f"{user} has no shop")
    paths = {
        "s-center": "/seller/",
        "s-dashbrd": f"/seller/{shop.slug}/",
        "s-products": f"/seller/products/{shop.slug}/",
        "s-new": f"/seller/products/{shop.slug}/new/",
        "s-orders": f"/seller/orders/{shop.slug}/?tab=all",
        "s-batch": f"/seller/orders/{shop.slug}/batch-ship/",
        "s-shipping": f"/seller/shipping/{shop.slug}/",
        "s-staff": f"/seller/{shop.slug}/staff/",
    }
    product = Product.objects.filter(shop=shop).order_by("pk").first()
    if product:
        paths["s-edit"] = f"/seller/products/{shop.slug}/{product.pk}/edit/"
        paths["s-stock"] = f"/seller/products/{shop.slug}/{product.pk}/stock/"
    order = ShopOrder.objects.filter(shop=shop).order_by("-pk").first()
    if order:
        paths["s-order"] = f"/seller/orders/{shop.slug}/{order.pk}/"
    return paths


def measure(fetcher: Fetcher, path: str) -> dict:
    html = fetcher.get(path)
    assets = [fetcher.get(url) for url in dict.fromkeys(ASSET.findall(html.decode()))]
    css_js_raw = sum(len(a) for a in assets)
    css_js_gz = sum(gz(a) for a in assets)
    total_gz = gz(html) + css_js_gz
    return {
        "html_raw": len(html),
        "html_gz": gz(html),
        "assets_raw": css_js_raw,
        "assets_gz": css_js_gz,
        "total_raw": len(html) + css_js_raw,
        "total_gz": total_gz,
        "ok": total_gz <= BUDGET,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=None)
    parser.add_argument(
        "--seller", default=None, help="measure the seller center of this login (email) instead"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villagemarket.config.settings")
    import django

    django.setup()
    user = None
    if args.seller:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(email=args.seller)
    fetcher = Fetcher(args.base_url, user)
    head = (
        f"{'page':10} {'path':34} {'HTML raw/gz':>14} {'CSS+JS raw/gz':>15} "
        f"{'total raw/gz':>15}  <60KB"
    )
    print(head)
    print("-" * len(head))
    failed = False
    paths = seller_paths(user) if user is not None else sample_paths()
    for name, path in paths.items():
        try:
            m = measure(fetcher, path)
        except Exception as exc:  # noqa: BLE001 - report and go on with the other pages
            print(f"{name:10} {path:34} error: {exc}")
            failed = True
            continue
        failed |= not m["ok"]
        print(
            f"{name:10} {path[:34]:34} {m['html_raw']:>7}/{m['html_gz']:<6} "
            f"{m['assets_raw']:>7}/{m['assets_gz']:<7} {m['total_raw']:>7}/{m['total_gz']:<7} "
            f"{'yes' if m['ok'] else 'NO'}"
        )
    print("Sizes in bytes; gz = gzip level 6 (what whitenoise serves precompressed).")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
