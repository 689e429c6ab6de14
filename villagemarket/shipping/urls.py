from django.urls import path

from . import views

app_name = "shipping"

urlpatterns = [
    path("<slug:shop_slug>/", views.template_list, name="templates"),
    path("<slug:shop_slug>/<id:pk>/", views.template_edit, name="template_edit"),
    path("<slug:shop_slug>/<id:pk>/delete/", views.template_delete, name="template_delete"),
]
