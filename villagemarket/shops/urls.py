from django.urls import path

from villagemarket.web.views import placeholder

app_name = "shops"

urlpatterns = [path("<slug:slug>/", placeholder, name="detail")]
