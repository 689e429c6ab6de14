from django.urls import path

from . import views

app_name = "seller_insights"

# Mounted at /seller/<shop_slug>/insights/.
urlpatterns = [
    path("panel/", views.panel, name="panel"),
]
