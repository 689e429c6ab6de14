from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _describe(message_id: int):
    """What the moderation queue shows of a message (None once it is gone)."""
    from django.urls import reverse

    from villagemarket.moderation.hooks import ContentRef

    from .models import Message

    message = Message.objects.select_related("conversation__shop").filter(pk=message_id).first()
    if message is None:
        return None
    shop = message.conversation.shop
    return ContentRef(
        title=str(
            _("Message to %(shop)s")
            if message.sender_side == "buyer"
            else _("Message from %(shop)s")
        )
        % {"shop": shop.name},
        url=reverse("admin:messaging_message_change", args=[message.pk]),
        text=message.text,
        shop_id=shop.pk,
        author_id=message.sender_id,
    )


def _decide(message_id: int, approved: bool, reason: str) -> None:
    from .services import decide

    decide(message_id, approved, reason)


class MessagingConfig(AppConfig):
    name = "villagemarket.messaging"
    label = "messaging"
    verbose_name = _("Messages")

    def ready(self):
        from villagemarket.moderation import hooks as moderation

        from . import panels
        from .services import MODERATION_KIND

        panels.register_all()
        moderation.register_kind(
            MODERATION_KIND, label=_("message"), describe=_describe, on_decision=_decide
        )
