"""Seed the settings row and sensible default terms (operators edit them afterwards)."""

from django.db import migrations

# (text, is_regex, category, action)
DEFAULT_TERMS = [
    # Contact details: trade taken off the platform loses the buyer's escrow.
    (r"(?<!\d)1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)", True, "contact", "hold"),
    ("加微信", False, "contact", "hold"),
    ("加我微信", False, "contact", "hold"),
    ("微信号", False, "contact", "hold"),
    ("加v", False, "contact", "hold"),
    ("vx", False, "contact", "hold"),
    ("v信", False, "contact", "hold"),
    ("薇信", False, "contact", "hold"),
    (r"(?<![a-z])wx\s*[:：]", True, "contact", "hold"),
    (r"(?<![a-z])(?:wechat|weixin)\s*(?:id)?\s*[:：]", True, "contact", "hold"),
    (r"(?<![a-z])qq\s*(?:号|群)?\s*[:：]?\s*\d{5,11}(?!\d)", True, "contact", "hold"),
    (r"(?<![a-z])qq\s*[:：]", True, "contact", "hold"),
    ("加qq", False, "contact", "hold"),
    ("私下交易", False, "contact", "hold"),
    ("线下交易", False, "contact", "hold"),
    # Links and domains.
    (r"https?://", True, "links", "hold"),
    (r"(?<![\w@.])www\.", True, "links", "hold"),
    (
        r"(?<![\w@.])[a-z0-9][a-z0-9-]*\.(?:com|cn|net|org|top|xyz|cc|vip|info|biz|club|site)\b",
        True,
        "links",
        "hold",
    ),
    # Prohibited goods: the worst are refused outright, the rest held for a person to judge.
    ("毒品", False, "prohibited_goods", "refuse"),
    ("冰毒", False, "prohibited_goods", "refuse"),
    ("海洛因", False, "prohibited_goods", "refuse"),
    ("摇头丸", False, "prohibited_goods", "refuse"),
    ("枪支", False, "prohibited_goods", "refuse"),
    ("炸药", False, "prohibited_goods", "refuse"),
    ("雷管", False, "prohibited_goods", "refuse"),
    ("假币", False, "prohibited_goods", "refuse"),
    ("仿真枪", False, "prohibited_goods", "hold"),
    ("弹药", False, "prohibited_goods", "hold"),
    ("大麻", False, "prohibited_goods", "hold"),
    ("迷药", False, "prohibited_goods", "hold"),
    ("窃听器", False, "prohibited_goods", "hold"),
    ("针孔摄像", False, "prohibited_goods", "hold"),
    ("代开发票", False, "prohibited_goods", "hold"),
    ("发票代开", False, "prohibited_goods", "hold"),
    ("象牙", False, "prohibited_goods", "hold"),
    ("犀牛角", False, "prohibited_goods", "hold"),
    ("穿山甲", False, "prohibited_goods", "hold"),
    ("熊胆", False, "prohibited_goods", "hold"),
    ("香烟", False, "prohibited_goods", "hold"),
    ("卷烟", False, "prohibited_goods", "hold"),
    ("处方药", False, "prohibited_goods", "hold"),
    ("cocaine", False, "prohibited_goods", "refuse"),
    ("heroin", False, "prohibited_goods", "refuse"),
    ("counterfeit", False, "prohibited_goods", "hold"),
    ("ivory", False, "prohibited_goods", "hold"),
    # Spam and review manipulation.
    ("刷单", False, "spam", "hold"),
    ("刷信誉", False, "spam", "hold"),
    ("好评返现", False, "spam", "hold"),
    ("兼职日结", False, "spam", "hold"),
    # Abuse.
    ("傻逼", False, "abuse", "hold"),
    ("操你妈", False, "abuse", "hold"),
    ("fuck", False, "abuse", "hold"),
]


def seed(apps, schema_editor):
    Settings = apps.get_model("moderation", "Settings")
    Term = apps.get_model("moderation", "Term")
    Settings.objects.get_or_create(pk=1)
    for text, is_regex, category, action in DEFAULT_TERMS:
        Term.objects.get_or_create(
            text=text,
            is_regex=is_regex,
            defaults={"category": category, "action": action, "note": "default"},
        )


def unseed(apps, schema_editor):
    Term = apps.get_model("moderation", "Term")
    Term.objects.filter(note="default").delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
