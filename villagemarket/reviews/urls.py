from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("lines/<id:line_id>/write/", views.write, name="write"),
    path("<id:review_id>/follow-up/", views.follow_up, name="follow_up"),
]
