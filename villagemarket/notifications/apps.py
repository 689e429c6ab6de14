from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "villagemarket.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from villagemarket.core import panels
        from villagemarket.orders import hooks as order_hooks
        from villagemarket.shops import hooks as shop_hooks

        from . import listeners, views

        # Each listener runs inside the event's transaction: the news commits with the event.
        order_hooks.on_order_event(listeners.on_order_event)
        shop_hooks.on_status_change(listeners.on_shop_status_change)
        # The trust apps (issue 11) are wired when they are installed.
        if apps.is_installed("villagemarket.moderation"):
            from villagemarket.moderation import hooks as moderation_hooks

            moderation_hooks.on_decision(listeners.on_moderation_decision)
        if apps.is_installed("villagemarket.reviews"):
            from villagemarket.reviews import hooks as review_hooks

            review_hooks.on_review_posted(listeners.on_review_posted)
            review_hooks.on_reply_posted(listeners.on_reply_posted)
        if apps.is_installed("villagemarket.messaging"):
            from villagemarket.messaging import hooks as messaging_hooks

            messaging_hooks.on_message_posted(listeners.on_message_posted)
        panels.register("header.user", views.header_link)
