"""Sending the outbox: each Delivery goes out at most once, retried with backoff on failure.

One delivery at a time, in three steps:

1. Claim: one guarded UPDATE moves it `pending -> sending` (only if still pending and due),
   counts the attempt and sets a lease (`lease_until`, on the database's clock). It commits.
   Of several workers racing for a row, exactly one claims it; the others skip it.
2. Send, outside any transaction, with the delivery's idempotency key (`vm-delivery-<id>`):
   the SMS provider gets it as its key (Aliyun: OutId), the e-mail as its Message-ID.
3. Record: a guarded UPDATE (still this attempt) moves it to `sent` with the provider's message
   id; on failure back to `pending` with the next try after a backoff (rules.retry_delay), or
   `failed` after rules.MAX_ATTEMPTS, or at once when the provider says retrying cannot help.

A worker that dies between 1 and 3 leaves the row `sending` until its lease expires. Then
`recover_expired` looks at the channel: where the provider recognises a repeated key (the
sandbox SMS), the row is sent again with the same key, and the provider answers with the first
message's id: it went out once. Where it cannot (SMTP e-mail, Aliyun SMS), sending again might
send it twice, so the row becomes `unknown` for an operator to look at (the in-site notification
is there regardless). Never twice wins over always.

The lease (NOTIFICATIONS_LEASE_SECONDS, default 120) must exceed the slowest send (the SMTP and
SMS timeouts are 20 and 10 seconds): a slow worker that comes back after it still records its
`sent` on an `unknown` row, and on a re-sent idempotent one the provider's answer is the same.
"""

from __future__ import annotations

import datetime
import logging
import os
import urllib.parse

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import DateTimeField, ExpressionWrapper, F, Value
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from villagemarket.core.urls import absolute_url, site_url

from . import events, rules, sms
from .models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

BATCH = 100  # deliveries per sweep; the next sweep takes the rest


def lease_seconds() -> int:
    return int(
        getattr(settings, "NOTIFICATIONS_LEASE_SECONDS", None)
        or os.environ.get("NOTIFICATIONS_LEASE_SECONDS", "120")
    )


def _db_now_plus(delta: datetime.timedelta):
    return ExpressionWrapper(Now() + Value(delta), output_field=DateTimeField())


def provider_for(channel: str):
    """The provider of a channel: Django's e-mail backend, or the configured SMS provider."""
    return EmailChannel() if channel == events.EMAIL else sms.provider()


def send_due(limit: int = BATCH) -> int:
    """Recover deliveries whose worker died, then send up to `limit` that are due. Returns how
    many this call sent. Safe in any number of workers at once."""
    recover_expired()
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=Now())
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in due:
        attempt = claim(pk)
        if attempt is not None:
            sent += send_claimed(pk, attempt)
    return sent


def claim(pk: int) -> int | None:
    """Take delivery `pk` for sending: the attempt number when this call took it, None when it
    is not (or no longer) pending and due."""
    taken = Delivery.objects.filter(
        pk=pk, status=DeliveryStatus.PENDING, next_attempt_at__lte=Now()
    ).update(
        status=DeliveryStatus.SENDING,
        attempts=F("attempts") + 1,
        lease_until=_db_now_plus(datetime.timedelta(seconds=lease_seconds())),
    )
    if not taken:
        return None
    return Delivery.objects.values_list("attempts", flat=True).get(pk=pk)


def send_claimed(pk: int, attempt: int) -> bool:
    """Send a delivery this worker claimed (attempt `attempt`) and record the outcome."""
    delivery = Delivery.objects.select_related("notification").get(pk=pk)
    try:
        provider_id = provider_for(delivery.channel).send(message_for(delivery))
    except sms.PermanentFailure as exc:
        _record_failure(pk, attempt, exc, permanent=True)
        return False
    except Exception as exc:  # any provider trouble is worth another try, later
        logger.warning("delivery %s failed (attempt %s): %s", pk, attempt, exc)
        _record_failure(pk, attempt, exc, permanent=False)
        return False
    # `unknown` too: a slow worker whose lease ran out still knows its send went through.
    Delivery.objects.filter(
        pk=pk, attempts=attempt, status__in=[DeliveryStatus.SENDING, DeliveryStatus.UNKNOWN]
    ).update(
        status=DeliveryStatus.SENT,
        provider_id=str(provider_id)[:100],
        sent_at=Now(),
        lease_until=None,
        last_error="",
    )
    return True


def _record_failure(pk: int, attempt: int, exc: Exception, *, permanent: bool) -> None:
    give_up = permanent or rules.gives_up(attempt)
    Delivery.objects.filter(pk=pk, attempts=attempt, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.FAILED if give_up else DeliveryStatus.PENDING,
        next_attempt_at=_db_now_plus(rules.retry_delay(attempt)),
        lease_until=None,
        last_error=f"{type(exc).__name__}: {exc}"[:300],
    )


def recover_expired() -> int:
    """Deliveries left `sending` past their lease (their worker died or hung): sent again with
    the same key where the provider recognises repeats, else marked `unknown`. Returns how many."""
    expired = Delivery.objects.filter(status=DeliveryStatus.SENDING, lease_until__lt=Now())
    recovered = 0
    for channel in (events.EMAIL, events.SMS):
        rows = expired.filter(channel=channel)
        if provider_for(channel).idempotent:
            recovered += rows.update(
                status=DeliveryStatus.PENDING,
                next_attempt_at=Now(),
                lease_until=None,
                last_error=_("The worker stopped mid-send; sent again with the same key."),
            )
        else:
            recovered += rows.update(
                status=DeliveryStatus.UNKNOWN,
                lease_until=None,
                last_error=_("The worker stopped mid-send; it may or may not have gone out."),
            )
    return recovered


def send_again(delivery_ids) -> int:
    """An operator sends `unknown` or `failed` deliveries again (after checking they did not go
    out). Returns how many were queued."""
    return Delivery.objects.filter(
        pk__in=list(delivery_ids), status__in=[DeliveryStatus.UNKNOWN, DeliveryStatus.FAILED]
    ).update(status=DeliveryStatus.PENDING, next_attempt_at=Now(), last_error="")


# --- what goes out --------------------------------------------------------------------------
def message_for(delivery: Delivery) -> sms.SmsMessage | EmailMessage:
    """The e-mail or SMS of a delivery, in the site's language (accounts keep no language)."""
    notification = delivery.notification
    with translation.override(settings.LANGUAGE_CODE):
        title, body = events.render(notification.kind, notification.params)
        if delivery.channel == events.SMS:
            params = {
                k: str(events.param_text(k, v))[:35]
                for k, v in notification.params.items()
                if v not in (None, "")
            }
            return sms.SmsMessage(
                mobile=delivery.address,
                template_code=sms.template_codes().get(notification.kind, ""),
                params=params,
                text=body,
                key=delivery.idempotency_key,
            )
        lines = [body]
        if notification.url:
            lines += ["", absolute_url(notification.url)]
        lines += [
            "",
            _("Choose which news reaches you by e-mail or SMS: %(link)s")
            % {"link": absolute_url(reverse("notifications:settings"))},
        ]
        return EmailMessage(
            subject=title,
            body="\n".join(lines),
            to=[delivery.address],
            headers={"Message-ID": f"<{delivery.idempotency_key}@{_mail_domain()}>"},
        )


def _mail_domain() -> str:
    return urllib.parse.urlsplit(site_url()).hostname or "villagemarket"


class EmailChannel:
    """Django's e-mail backend (console in development, locmem in tests, SMTP in production).
    SMTP has no idempotency key, so an interrupted send is not repeated automatically."""

    name = "email"
    idempotent = False

    def send(self, message: EmailMessage) -> str:
        message.send(fail_silently=False)
        return message.extra_headers["Message-ID"]
