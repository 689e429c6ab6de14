from django.urls import path

from . import views_storefront

app_name = "catalog"

urlpatterns = [
    path("c/<slug:slug>/", views_storefront.category, name="category"),
    path("p/<id:pk>/", views_storefront.product, name="product"),
]
