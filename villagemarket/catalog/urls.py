from django.urls import path

from villagemarket.web.views import placeholder

app_name = "catalog"

urlpatterns = [
    path("c/<slug:slug>/", placeholder, name="category"),
    path("p/<int:pk>/", placeholder, name="product"),
]
