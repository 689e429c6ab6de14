"""The anti-brushing rules with their default figures (docs/antifraud.md explains each)."""

from django.db import migrations

DAY = 24 * 60
DEFAULTS = [
    # code, threshold, window in minutes
    ("address", 3, DAY),  # 3 orders from one address to one shop in 24 h
    ("device", 3, DAY),  # 3 orders from one device to one shop in 24 h
    ("payer", 3, DAY),  # 3 orders paid by one payment account to one shop in 24 h
    ("new_account", 10, 0),  # ordered less than 10 minutes after signing up
    ("fast_confirm", 60, 0),  # receipt confirmed less than 60 minutes after shipment
    ("tracking", 2, 90 * DAY),  # one tracking number on 2 parcels in 90 days
    ("similar_reviews", 80, 30 * DAY),  # 80 % alike another buyer's review of the shop, 30 days
    ("staff_review", 1, 0),  # at least one link between the reviewer and the shop's staff
]


def seed(apps, schema_editor):
    Rule = apps.get_model("antifraud", "Rule")
    for code, threshold, window in DEFAULTS:
        Rule.objects.get_or_create(
            code=code, defaults={"threshold": threshold, "window_minutes": window}
        )


class Migration(migrations.Migration):
    dependencies = [("antifraud", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
