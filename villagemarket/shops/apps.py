from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopsConfig(AppConfig):
    name = "villagemarket.shops"
    label = "shops"
    verbose_name = _("Shops")

    def ready(self):
        from villagemarket.accounts.hooks import register_membership_source

        from .selectors import account_memberships

        # accounts sits below shops: its profile page and /accounts/me ask through this hook.
        register_membership_source(account_memberships)
