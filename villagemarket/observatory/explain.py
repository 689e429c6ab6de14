"""Turn stored test results ("sales:pass") into sentences with the figures and the thresholds."""

from __future__ import annotations

from django.utils.translation import gettext as _

from villagemarket.core.money import Money


def yuan(minor: int | None) -> str:
    return Money(int(minor or 0)).format()


def explain_village(d) -> list[dict]:
    """Why a village designation passed or failed, one line per test of its rule set."""
    rs = d.rule_set
    lines = []
    for reason in d.reasons:
        test, _sep, outcome = reason.partition(":")
        values = {
            "sales": yuan(d.sales_minor),
            "min_sales": yuan(rs.village_min_sales_minor),
            "shops": d.online_shops,
            "min_shops": rs.village_min_registered_shops,
            "active": d.active_shops,
            "min_active": rs.village_min_active_shops,
            "households": d.households or "?",
            "pct": rs.village_min_active_share_pct,
        }
        text = {
            "rural": _("A rural village (not a residents' committee) is required."),
            "registered": _("%(shops)s registered shops; at least %(min_shops)s needed."),
            "sales": _("Sales of %(sales)s; at least %(min_sales)s needed."),
            "active_count": _("%(active)s active shops; at least %(min_active)s needed."),
            "active_share": _(
                "%(active)s active shops for %(households)s households: at least %(pct)s%% needed."
            ),
            "active": _(
                "%(active)s active shops for %(households)s households: "
                "needs %(min_active)s active shops "
                "or %(pct)s%% of households."
            ),
        }.get(test, test)
        lines.append({"ok": outcome == "pass", "text": text % values})
    return lines


def explain_town(t) -> list[dict]:
    rs = t.rule_set
    texts = {
        "towns:none": _("The rules of that year had no Taobao towns."),
        "subdistrict:fail": _(
            "Sub-districts (街道) are not counted as Taobao towns under these rules."
        ),
        "villages:pass": _("%(n)s Taobao villages; at least %(min)s needed."),
        "villages:fail": _("%(n)s Taobao villages; at least %(min)s needed."),
        "alt:pass": _(
            "Alternative rule: sales of %(sales)s over %(alt_sales)s "
            "and %(active)s active shops over %(alt)s."
        ),
        "alt:fail": _(
            "Alternative rule: needs sales over %(alt_sales)s and over %(alt)s active shops "
            "(has %(sales)s and %(active)s)."
        ),
    }
    values = {
        "n": t.taobao_villages,
        "min": rs.town_min_villages,
        "sales": yuan(t.sales_minor),
        "alt_sales": yuan(rs.town_alt_min_sales_minor),
        "active": t.active_shops,
        "alt": rs.town_alt_min_active_shops,
    }
    return [{"ok": r.endswith(":pass"), "text": texts.get(r, r) % values} for r in t.reasons]
