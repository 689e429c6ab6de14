from django.urls import path

from villagemarket.web.views import placeholder

app_name = "accounts"

urlpatterns = [
    path("signin/", placeholder, name="signin"),
    path("signup/", placeholder, name="signup"),
    path("signout/", placeholder, name="signout"),
]
