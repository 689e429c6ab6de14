from django.urls import path

from . import views

app_name = "seller_tracking"

urlpatterns = [
    path("<slug:shop_slug>/<id:pk>/refresh/", views.seller_refresh, name="refresh"),
]
