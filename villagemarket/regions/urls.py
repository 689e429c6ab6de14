from django.urls import path, re_path

from villagemarket.regions import views

app_name = "regions"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("go/", views.go, name="go"),
    path("picker/", views.picker, name="picker"),
    path("import/", views.import_page, name="import"),
    re_path(r"^(?P<code>[0-9]{2,12})/$", views.detail, name="detail"),
]
