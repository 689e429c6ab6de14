"""Pickup pages of the seller center, mounted at /seller/logistics/."""

from django.urls import path

from . import views

app_name = "seller_logistics"

urlpatterns = [
    path("<slug:shop_slug>/", views.batch_list, name="list"),
    path("<slug:shop_slug>/new/", views.batch_new, name="new"),
    path("<slug:shop_slug>/memberships/", views.memberships, name="memberships"),
    path("<slug:shop_slug>/<id:pk>/", views.batch_detail, name="detail"),
    path("<slug:shop_slug>/<id:pk>/pick-list/", views.pick_list, name="pick_list"),
    path("<slug:shop_slug>/<id:pk>/pick-list.pdf", views.pick_list_pdf, name="pick_list_pdf"),
    path("<slug:shop_slug>/<id:pk>/waybills.pdf", views.waybills, name="waybills"),
    path("<slug:shop_slug>/<id:pk>/<str:action>/", views.batch_action, name="action"),
]
