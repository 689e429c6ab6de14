from django.urls import path

from villagemarket.web.views import placeholder

app_name = "seller_orders"

urlpatterns = [
    path("list/", placeholder, name="list"),
]
