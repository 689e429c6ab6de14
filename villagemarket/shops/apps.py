from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopsConfig(AppConfig):
    name = "villagemarket.shops"
    label = "shops"
    verbose_name = _("Shops")

    def ready(self):
        from villagemarket.accounts.hooks import register_membership_source

        from . import moderation
        from .selectors import account_memberships

        # accounts sits below shops: its profile page and /accounts/me ask through this hook.
        register_membership_source(account_memberships)
        # moderation sits below shops: shop text is a kind it holds, and rejections count strikes.
        moderation.register()
