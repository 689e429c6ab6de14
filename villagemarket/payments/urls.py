from django.urls import path

from villagemarket.web.views import placeholder

app_name = "payments"

urlpatterns = [path("<uuid:public_id>/", placeholder, name="pay")]
