"""Seed AliResearch's rule sets (2013; 2014-2018; 2019; 2020 on) and published national counts (DESIGN.md)."""

from decimal import Decimal

from django.db import migrations

YUAN = 100  # fen per yuan
TEN_MILLION_YUAN = 10_000_000 * YUAN

RULE_SETS = [
    {
        "name": "AliResearch 2013", "year_from": 2013, "year_to": 2013,
        "notes": "First published list: a village with at least 50 registered online shops; no sales or active-shop test.",
        "village_min_registered_shops": 50,
    },
    {
        "name": "AliResearch 2014-2018", "year_from": 2014, "year_to": 2018,
        "notes": "Sales of at least 10 million yuan and at least 100 active shops or active shops of at least 10% "
        "of households. Town: at least 3 Taobao villages.",
        "village_min_sales_minor": TEN_MILLION_YUAN, "village_min_active_shops": 100,
        "village_min_active_share_pct": Decimal("10"), "town_min_villages": 3,
    },
    {
        "name": "AliResearch 2019", "year_from": 2019, "year_to": 2019,
        "notes": "As 2014-2018; a town may also qualify by selling over 30 million yuan with over 300 active shops.",
        "village_min_sales_minor": TEN_MILLION_YUAN, "village_min_active_shops": 100,
        "village_min_active_share_pct": Decimal("10"), "town_min_villages": 3,
        "town_alt_min_sales_minor": 30_000_000 * YUAN, "town_alt_min_active_shops": 300,
    },
    {
        "name": "AliResearch 2020-", "year_from": 2020, "year_to": None,
        "notes": "As 2019; the village must be rural by the statistical urban-rural class and sub-districts are not towns.",
        "village_min_sales_minor": TEN_MILLION_YUAN, "village_min_active_shops": 100,
        "village_min_active_share_pct": Decimal("10"), "town_min_villages": 3,
        "town_alt_min_sales_minor": 30_000_000 * YUAN, "town_alt_min_active_shops": 300,
        "rural_only": True, "exclude_subdistricts": True,
    },
]

PUBLISHED = [
    (2009, 3, None), (2013, 20, None), (2014, 211, 19), (2015, 780, 71), (2016, 1311, 135), (2017, 2118, 242),
    (2018, 3202, 363), (2019, 4310, 1118), (2020, 5425, 1756), (2021, 7023, 2171), (2022, 7780, 2429),
]


def seed(apps, schema_editor):
    RuleSet = apps.get_model("observatory", "RuleSet")
    PublishedCount = apps.get_model("observatory", "PublishedCount")
    for data in RULE_SETS:
        RuleSet.objects.update_or_create(name=data["name"], defaults=data)
    for year, villages, towns in PUBLISHED:
        PublishedCount.objects.update_or_create(year=year, defaults={"villages": villages, "towns": towns})


def unseed(apps, schema_editor):
    apps.get_model("observatory", "RuleSet").objects.filter(name__in=[r["name"] for r in RULE_SETS]).delete()
    apps.get_model("observatory", "PublishedCount").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("observatory", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
