"""The cashier: which providers a buyer may pay with, and sending the buyer to the chosen one.

Checkout makes one payment and sends the buyer to its pay page. There the buyer picks one of the
configured providers (Alipay, WeChat Pay, the sandbox where it is enabled). A payment's provider may
change only until the buyer has started paying with one: notifications find their payment by
provider, so once the buyer may have paid at a provider, the payment stays with it.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from villagemarket.core.errors import Conflict, Invalid, NotFound

from . import hooks
from .models import EventKind, Payment, PaymentEvent
from .providers.base import get_provider, provider_paths
from .providers.remote import ProviderError
from .states import PAYABLE

LABELS = {
    "alipay": gettext_lazy("Alipay"),
    "wechatpay": gettext_lazy("WeChat Pay"),
    "sandbox": gettext_lazy("Sandbox (simulated payment)"),
}


def choices() -> list[tuple[str, str]]:
    """(name, label) of every provider a buyer may pay with here, in the configured order."""
    return [(name, str(LABELS.get(name, name))) for name in provider_paths()]


def may_change_provider(payment: Payment) -> bool:
    """Whether the buyer may still choose another provider: not once an attempt has started."""
    return not PaymentEvent.objects.filter(payment=payment, kind=EventKind.STARTED).exists()


def choices_for(payment: Payment) -> list[tuple[str, str]]:
    """What the pay page offers for this payment: every usable provider while the buyer may still
    choose, only the one started with afterwards, nothing once it cannot be paid."""
    if payment.status not in PAYABLE:
        return []
    if may_change_provider(payment):
        return choices()
    return [choice for choice in choices() if choice[0] == payment.provider]


def _payable(*, buyer, public_id) -> Payment:
    """The buyer's payment, locked, if it can still be paid; NotFound or Conflict otherwise."""
    payment = Payment.objects.select_for_update().filter(public_id=public_id, buyer=buyer).first()
    if payment is None:
        raise NotFound(_("No such payment."))
    if payment.status not in PAYABLE:
        raise Conflict(_("This payment is %(status)s.") % {"status": payment.get_status_display()})
    if not hooks.may_be_paid(payment):
        raise Conflict(_("These orders were closed; they can no longer be paid."))
    return payment


def pay_with(*, buyer, public_id, provider_name: str, request=None) -> str:
    """The buyer chose `provider_name` on the pay page: set it on the payment and return the URL
    to send the buyer to (the provider's page, or the sandbox's page here).

    Refused when the provider is not offered here (Invalid naming the field), when the payment
    cannot be paid (Conflict), or when the buyer already started paying with another provider
    (Conflict). The payment row is locked, so two tabs cannot send the buyer to two providers.
    """
    offered = dict(choices())
    if provider_name not in offered:
        raise Invalid(
            _("Choose how to pay from the list."),
            fields={"provider": [_("Not one of the choices.")]},
        )
    with transaction.atomic():
        payment = _payable(buyer=buyer, public_id=public_id)
        if provider_name != payment.provider:
            if not may_change_provider(payment):
                raise Conflict(
                    _(
                        "You have started paying with %(provider)s: finish there, or wait until "
                        "the unpaid order closes."
                    )
                    % {"provider": LABELS.get(payment.provider, payment.provider)}
                )
            Payment.objects.filter(pk=payment.pk).update(provider=provider_name)
            payment.provider = provider_name
        provider = get_provider(provider_name)
        if provider.hosted_here:
            return reverse("payments:pay", args=[payment.public_id])
        try:
            url = provider.start(payment, request=request)
        except ProviderError as exc:
            raise Conflict(
                _("%(provider)s could not be reached; please try again in a moment.")
                % {"provider": offered[provider_name]},
                code="provider_unavailable",
            ) from exc
        PaymentEvent.objects.create(
            payment=payment,
            kind=EventKind.STARTED,
            provider=provider_name,
            detail={"via": "cashier"},
        )
        return url
