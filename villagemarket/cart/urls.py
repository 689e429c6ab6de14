from django.urls import path

from . import views

app_name = "cart"

urlpatterns = [
    path("", views.cart_page, name="view"),
    path("add/", views.add, name="add"),
    path("line/<id:sku_id>/", views.update_line, name="line"),
    path("select/", views.select_all, name="select_all"),
]
