from django.urls import path

from . import views

app_name = "tracking"

urlpatterns = [
    path("orders/<id:pk>/refresh/", views.refresh, name="refresh"),
]
