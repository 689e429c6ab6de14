"""Conversations between one buyer and one shop, and their messages.

One conversation per (buyer, shop): what a message is about (a product or an order) is attached
to the message, so a buyer who asks about three products and then an order keeps one thread with
the shop, as on Taobao, and each question shows its card.

Order inside a conversation is `seq`, given when a message is delivered, under the conversation's
row lock (services.deliver): a poller that has seen position N can ask for "after N" and never
miss a message that committed later with a lower number, which ids (allocated before commit, and
committed in any order) cannot promise. A held message has no `seq` until an operator approves
it. Read state is per side: the buyer's position and every staff member's shared shop position.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Side(models.TextChoices):
    BUYER = "buyer", _("buyer")
    SHOP = "shop", _("shop")


class MessageStatus(models.TextChoices):
    DELIVERED = "delivered", _("delivered")
    HELD = "held", _("held for review")
    REJECTED = "rejected", _("rejected")


class Conversation(models.Model):
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conversations",
        verbose_name=_("buyer"),
    )
    shop = models.ForeignKey(
        "shops.Shop",
        on_delete=models.CASCADE,
        related_name="conversations",
        verbose_name=_("shop"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    # Position of the last delivered message, and when it arrived (lists sort by it).
    seq = models.PositiveIntegerField(_("messages"), default=0)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    # Read state per side: the last position read, and how many delivered messages of the other
    # side lie past it (kept with seq under the row lock, so the header sums them in one query).
    buyer_read_seq = models.PositiveIntegerField(default=0, verbose_name=_("buyer read up to"))
    shop_read_seq = models.PositiveIntegerField(default=0, verbose_name=_("shop read up to"))
    buyer_unread = models.PositiveIntegerField(default=0, verbose_name=_("unread by the buyer"))
    shop_unread = models.PositiveIntegerField(default=0, verbose_name=_("unread by the shop"))

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "shop"], name="one_conversation_per_buyer_shop"
            )
        ]
        indexes = [
            models.Index(fields=["buyer", "-last_message_at"]),
            models.Index(fields=["shop", "-last_message_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.buyer} ↔ {self.shop}"

    def unread_for(self, side: str) -> int:
        return self.buyer_unread if side == Side.BUYER else self.shop_unread

    def read_seq_for(self, side: str) -> int:
        return self.buyer_read_seq if side == Side.BUYER else self.shop_read_seq


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("conversation"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sender"),
    )
    sender_side = models.CharField(_("from"), max_length=5, choices=Side.choices)
    text = models.TextField(_("message"), blank=True)
    image = models.ImageField(_("image"), upload_to="messages/", blank=True)
    image_width = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("width"))
    image_height = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("height"))
    # What this message is about (shown as a card); at most one of the two.
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    order = models.ForeignKey(
        "orders.ShopOrder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.DELIVERED
    )
    # Position in the conversation once delivered (None while held or rejected).
    seq = models.PositiveIntegerField(_("position"), null=True, blank=True)
    moderation_reason = models.CharField(_("moderation reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["conversation", "seq", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "seq"], name="one_message_per_position"
            ),
            models.CheckConstraint(
                # A rejected message keeps the position it had if it was delivered first.
                condition=Q(status="delivered", seq__isnull=False)
                | Q(status="held", seq__isnull=True)
                | Q(status="rejected"),
                name="delivered_messages_have_a_position",
            ),
            models.CheckConstraint(
                condition=Q(product__isnull=True) | Q(order__isnull=True),
                name="message_about_one_thing",
            ),
        ]
        indexes = [models.Index(fields=["sender", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.sender_side}: {self.text[:40]}"

    @property
    def recipient_side(self) -> str:
        return Side.SHOP if self.sender_side == Side.BUYER else Side.BUYER

    @property
    def is_held(self) -> bool:
        return self.status == MessageStatus.HELD
