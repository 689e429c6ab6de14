from django.urls import path

from . import seller_views as views

app_name = "seller_messaging"

# Mounted at /seller/<shop_slug>/messages/.
urlpatterns = [
    path("", views.inbox, name="list"),
    path("<id:pk>/", views.thread_page, name="thread"),
    path("<id:pk>/send/", views.send_page, name="send"),
    path("<id:pk>/poll/", views.poll_page, name="poll"),
    path("order/<id:order_id>/", views.about_order, name="about_order"),
]
