"""Merge the anonymous session cart into the buyer's cart at sign-in.

A Django signal is used here because signing in is not a domain event: it is the one hook every
sign-in path (password form, admin, tests' client.login) goes through.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="cart_merge_on_sign_in")
def merge_session_cart(sender, request, user, **kwargs) -> None:
    from . import services
    from .models import SESSION_KEY, Cart

    if request is None or not hasattr(request, "session"):
        return
    token = request.session.pop(SESSION_KEY, None)
    anonymous = Cart.objects.filter(token=token, user__isnull=True).first() if token else None
    if anonymous is not None:
        services.merge_carts(source=anonymous, target=services.cart_for_user(user))
