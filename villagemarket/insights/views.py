"""The dashboard panel in the seller center (slot `seller.dashboard` of shops' dashboard page)
and its fragment for htmx's period switch. Without JavaScript the switch links reload the
dashboard with `?period=`; with htmx only the panel is fetched and the address bar keeps it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from villagemarket.finance.charts import daily_lines
from villagemarket.shops.permissions import shop_member_required

from . import selectors
from .periods import PERIODS, parse_period


def panel_context(request: HttpRequest, shop) -> dict:
    period = parse_period(request.GET.get("period"), timezone.localdate())
    fig = selectors.figures(shop, period)
    todo = selectors.to_do(shop)
    dashboard_url = reverse("seller:dashboard", args=[shop.slug])
    panel_url = reverse("seller_insights:panel", args=[shop.slug])
    return {
        "shop": shop,
        "period": period,
        "periods": [
            {
                "code": code,
                "label": label,
                "href": f"{dashboard_url}?period={code}",
                "hx": f"{panel_url}?period={code}",
            }
            for code, (_n, label) in PERIODS.items()
        ],
        "fig": fig,
        "conversion_pct": None if fig.conversion is None else round(fig.conversion * 100, 1),
        "chart": daily_lines(
            [p["day"] for p in fig.series],
            {_("Paid amount"): [p["paid_minor"] for p in fig.series]},
            selectors.CURRENCY,
            width=360,
            height=180,
        ),
        "top": selectors.top_products(shop, period),
        "todo": todo,
        "has_todo": selectors.has_any(todo),
    }


def dashboard_panel(request: HttpRequest, shop) -> str:
    """The `seller.dashboard` panel: figures, chart, top products, what needs doing."""
    return render_to_string("insights/panel.html", panel_context(request, shop), request=request)


@shop_member_required()
@require_GET
def panel(request: HttpRequest) -> HttpResponse:
    """The panel alone, for htmx; a plain request goes to the dashboard with its period."""
    shop = request.shop
    if not request.headers.get("HX-Request"):
        period = parse_period(request.GET.get("period"), timezone.localdate())
        return redirect(f"{reverse('seller:dashboard', args=[shop.slug])}?period={period.code}")
    return HttpResponse(dashboard_panel(request, shop))
