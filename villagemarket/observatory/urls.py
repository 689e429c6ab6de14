from django.urls import path

from villagemarket.web.views import placeholder

app_name = "observatory"

urlpatterns = [
    path("index/", placeholder, name="index"),
]
