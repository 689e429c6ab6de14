from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("<id:pk>/", views.thread_page, name="thread"),
    path("<id:pk>/send/", views.send_page, name="send"),
    path("<id:pk>/poll/", views.poll_page, name="poll"),
    path("shop/<slug:shop_slug>/", views.start_page, name="start"),
]
