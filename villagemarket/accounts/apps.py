from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "villagemarket.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib import admin

        from .forms import AdminSignInForm
        from .permissions import is_operator

        # The back-office's sign-in goes through the site's limiter (one budget per account),
        # and who may enter it is the one definition of an operator.
        admin.site.login_form = AdminSignInForm
        admin.site.has_permission = lambda request: is_operator(request.user)
        # Its "change password" is the site's page, where the old password is limited too.
        admin.site.password_change = _site_password_change


def _site_password_change(request, extra_context=None):
    from django.shortcuts import redirect

    return redirect("accounts:password_change")
