"""Mounted at /seller/<shop_slug>/reviews/ (config/urls.py)."""

from django.urls import path

from . import seller_views as views

app_name = "seller_reviews"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("<id:review_id>/reply/", views.reply, name="reply"),
]
