from django.urls import path

from . import views_public

app_name = "shops"

urlpatterns = [path("<slug:slug>/", views_public.detail, name="detail")]
