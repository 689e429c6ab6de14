from django.urls import path

from villagemarket.web.views import placeholder

app_name = "seller"

urlpatterns = [
    path("", placeholder, name="center"),
]
