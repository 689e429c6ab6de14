from django.urls import path

from villagemarket.web.views import placeholder

app_name = "cart"

urlpatterns = [
    path("", placeholder, name="view"),
    path("add/", placeholder, name="add"),
]
