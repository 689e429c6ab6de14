"""Small readers for the notification tests: who was told what, on which channels."""

from __future__ import annotations

from villagemarket.notifications.models import Delivery, Notification


def told(kind: str) -> set[str]:
    """The e-mails of everyone told of `kind`."""
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def channels_of(user, kind: str) -> set[str]:
    """The outside channels `user`'s `kind` notification goes out on."""
    return set(
        Delivery.objects.filter(notification__recipient=user, notification__kind=kind).values_list(
            "channel", flat=True
        )
    )


def add_staff(shop, user) -> None:
    from villagemarket.shops.models import ShopMember

    ShopMember.objects.create(shop=shop, user=user, role="staff")
