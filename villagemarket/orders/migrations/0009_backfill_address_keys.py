"""Give orders placed before anti-brushing their address key, so the address rule sees them."""

from django.db import migrations

BATCH = 2000


def backfill(apps, schema_editor):
    from villagemarket.orders.identity import address_key

    ShopOrder = apps.get_model("orders", "ShopOrder")
    pending = ShopOrder.objects.filter(address_key="").order_by("pk")
    last = 0
    while True:
        rows = list(pending.filter(pk__gt=last).only("pk", "region_code", "address_detail")[:BATCH])
        if not rows:
            return
        for row in rows:
            row.address_key = address_key(row.region_code, row.address_detail)
        ShopOrder.objects.bulk_update(rows, ["address_key"])
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [("orders", "0008_antibrushing_identity")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
