from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from villagemarket.api.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("villagemarket.accounts.urls")),
    path("regions/", include("villagemarket.regions.urls")),
    # Seller center: shops (dashboard, settings, staff, households), products, orders.
    path("seller/<slug:shop_slug>/reviews/", include("villagemarket.reviews.seller_urls")),
    path("seller/<slug:shop_slug>/messages/", include("villagemarket.messaging.seller_urls")),
    path("seller/logistics/", include("villagemarket.logistics.urls")),
    path("seller/<slug:shop_slug>/insights/", include("villagemarket.insights.urls")),
    path("seller/", include("villagemarket.shops.seller_urls")),
    path("seller/products/", include("villagemarket.catalog.seller_urls")),
    path("seller/orders/", include("villagemarket.orders.seller_urls")),
    path("seller/shipping/", include("villagemarket.shipping.urls")),
    path("seller/promotions/", include("villagemarket.promotions.seller_urls")),
    path("seller/balance/", include("villagemarket.ledger.seller_urls")),
    path("seller/imports/", include("villagemarket.imports.seller_urls")),
    path("seller/tracking/", include("villagemarket.tracking.seller_urls")),
    # Storefront: public shop pages, categories and products, search.
    path("shops/", include("villagemarket.catalog.shop_urls")),
    path("search/", include("villagemarket.search.urls")),
    path("cart/", include("villagemarket.cart.urls")),
    path("orders/", include("villagemarket.orders.urls")),
    path("tracking/", include("villagemarket.tracking.urls")),
    path("messages/", include("villagemarket.messaging.urls")),
    path("pay/", include("villagemarket.payments.urls")),
    path("observatory/", include("villagemarket.observatory.urls")),
    path("notifications/", include("villagemarket.notifications.urls")),
    path("reviews/", include("villagemarket.reviews.urls")),
    path("coupons/", include("villagemarket.promotions.urls")),
    # Operators: payout batches (choose withdrawal requests, bank file, mark paid).
    path("operator/payouts/", include("villagemarket.ledger.operator_urls")),
    path("operator/finance/", include("villagemarket.finance.urls")),
    path("operator/moderation/", include("villagemarket.moderation.operator_urls")),
    path("moderation/", include("villagemarket.moderation.urls")),
    path("operator/brushing/", include("villagemarket.antifraud.urls")),
    path("", include("villagemarket.catalog.urls")),
    path("", include("villagemarket.web.urls")),
]

# The site's error pages (templates 400/403/404/500.html in web/templates).
handler400 = "villagemarket.web.errors.bad_request"
handler403 = "villagemarket.web.errors.permission_denied"
handler404 = "villagemarket.web.errors.page_not_found"
handler500 = "villagemarket.web.errors.server_error"

# Uploaded media: served by Django when no front server does it (demo, small installs).
if settings.DEBUG or settings.SERVE_MEDIA:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
