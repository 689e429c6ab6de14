from django.urls import path, re_path

from villagemarket.observatory import views

app_name = "observatory"

urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^area/(?P<code>[0-9]{2,9})/$", views.area, name="area"),
    path("villages/", views.villages, name="villages"),
    re_path(r"^village/(?P<code>[0-9]{12})/$", views.village, name="village"),
    path("clusters/", views.clusters, name="clusters"),
    path("clusters/<id:year>/<id:number>/", views.cluster, name="cluster"),
    re_path(r"^export/(?P<table>[a-z]+)\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("operator/", views.operator, name="operator"),
    path("operator/import/", views.upload_import, name="import"),
    path("operator/remove/", views.delete_import, name="remove_import"),
    path("operator/compute/", views.compute, name="compute"),
]
