"""Seed China's common express couriers (operators edit them in the admin afterwards).

Patterns are the shapes the companies print on their waybills, kept permissive where the shape
varies; tracking pages are Kuaidi100's public query page unless the courier has its own.
"""

from django.db import migrations

K100 = "https://www.kuaidi100.com/chaxun?com={com}&nu={{number}}"

COURIERS = [
    # code, name, English name, other names, pattern, example, tracking page
    ("SF", "顺丰速运", "SF Express", "顺丰,顺丰快递", r"SF\d{12,13}", "SF1234567890123",
     "https://www.sf-express.com/chn/sc/waybill/waybill-detail/{number}"),
    ("ZTO", "中通快递", "ZTO Express", "中通", r"\d{12,15}", "75123456789012", K100.format(com="zhongtong")),
    ("YTO", "圆通速递", "YTO Express", "圆通,圆通快递", r"YT\d{10,15}|\d{10,13}", "YT1234567890123",
     K100.format(com="yuantong")),
    ("STO", "申通快递", "STO Express", "申通", r"\d{12,15}", "773123456789012", K100.format(com="shentong")),
    ("YD", "韵达快递", "Yunda Express", "韵达,韵达速递", r"\d{13,15}", "4312345678901", K100.format(com="yunda")),
    ("JT", "极兔速递", "J&T Express", "极兔,极兔快递", r"JT\d{13}", "JT1234567890123",
     K100.format(com="jtexpress")),
    ("JD", "京东快递", "JD Logistics", "京东,京东物流", r"JD[0-9A-Z]{11,16}", "JDVA12345678901",
     K100.format(com="jd")),
    ("EMS", "邮政特快专递", "China Post EMS", "EMS,中国邮政EMS,邮政EMS", r"[A-Z]{2}\d{9}[A-Z]{2}|1\d{12}",
     "1123456789012", K100.format(com="ems")),
    ("YZPY", "邮政快递包裹", "China Post Parcel", "邮政,邮政包裹,中国邮政", r"9\d{12}|[A-Z]{2}\d{9}CN",
     "9812345678901", K100.format(com="youzhengguonei")),
    ("DBL", "德邦快递", "Deppon Express", "德邦,德邦物流", r"DPK\d{12}|\d{8,12}", "DPK123456789012",
     K100.format(com="debangkuaidi")),
]


def seed(apps, schema_editor):
    Courier = apps.get_model("shipping", "Courier")
    for position, (code, name, name_en, aliases, pattern, example, url) in enumerate(COURIERS):
        Courier.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "aliases": aliases,
                "tracking_pattern": pattern,
                "example": example,
                "tracking_url": url,
                "position": (position + 1) * 10,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("shipping", "Courier").objects.filter(code__in=[c[0] for c in COURIERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("shipping", "0003_courier")]

    operations = [migrations.RunPython(seed, unseed)]
