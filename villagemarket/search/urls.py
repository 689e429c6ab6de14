from django.urls import path

from villagemarket.web.views import placeholder

app_name = "search"

urlpatterns = [
    path("results/", placeholder, name="results"),
]
