from django.urls import path

from . import seller_views as views

app_name = "seller_ledger"

urlpatterns = [
    path("<slug:shop_slug>/", views.balance, name="balance"),
    path("<slug:shop_slug>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:shop_slug>/withdrawals/<id:pk>/cancel/", views.cancel, name="cancel"),
]
