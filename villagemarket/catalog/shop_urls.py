"""/shops/<slug>/: the public shop page (namespace "shops", as links have always named it)."""

from django.urls import path

from . import views_shop

app_name = "shops"

urlpatterns = [path("<slug:slug>/", views_shop.detail, name="detail")]
