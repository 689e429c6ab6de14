from django.urls import path

from villagemarket.web.views import placeholder

app_name = "regions"

urlpatterns = [
    path("index/", placeholder, name="index"),
]
