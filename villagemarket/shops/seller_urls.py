"""Seller center: my shops, open a shop, and each shop's dashboard, settings, staff and households.

Fixed words ("open", "invitations") come before <shop_slug>; rules.RESERVED_SLUGS keeps shops from
taking them.
"""

from django.urls import path

from . import views

app_name = "seller"

urlpatterns = [
    path("", views.center, name="center"),
    path("open/", views.open_shop, name="open"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<slug:shop_slug>/", views.dashboard, name="dashboard"),
    path("<slug:shop_slug>/settings/", views.shop_settings, name="settings"),
    path("<slug:shop_slug>/staff/", views.staff, name="staff"),
    path("<slug:shop_slug>/households/", views.households, name="households"),
    path("<slug:shop_slug>/households/<id:pk>/", views.household_edit, name="household_edit"),
]
