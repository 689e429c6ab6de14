from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "villagemarket.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib import admin

        from .forms import AdminSignInForm

        # The back-office's sign-in goes through the site's limiter (one budget per account).
        admin.site.login_form = AdminSignInForm
