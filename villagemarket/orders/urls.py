from django.urls import path

from villagemarket.web.views import placeholder

app_name = "orders"

urlpatterns = [
    path("mine/", placeholder, name="mine"),
]
