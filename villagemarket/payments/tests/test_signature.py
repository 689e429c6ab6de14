"""Sandbox signature: HMAC-SHA256 over "timestamp.raw_body", 5 minutes either way."""

from __future__ import annotations

import json
import uuid

import pytest

from villagemarket.payments.providers import NotificationRefused, get_provider, sandbox

NOW = 1_800_000_000
BODY = json.dumps(
    {
        "payment": str(uuid.uuid4()),
        "trade_no": "SBX42",
        "outcome": "succeeded",
        "amount_minor": 59900,
        "currency": "CNY",
        "sent_at": "2027-01-15T08:00:00+00:00",
    }
).encode()


def verify(headers, body=BODY, now=NOW):
    return get_provider("sandbox").verify_notification(headers, body, now=now)


def headers_at(timestamp, body=BODY):
    return sandbox.signed_headers(body, now=timestamp)


def test_a_correctly_signed_notification_is_read():
    notification = verify(headers_at(NOW))
    assert (notification.trade_no, notification.outcome, notification.amount_minor) == (
        "SBX42",
        "succeeded",
        59900,
    )
    assert notification.key == "sandbox:SBX42:succeeded"


def test_headers_are_read_whatever_their_case():
    headers = {k.lower(): v for k, v in headers_at(NOW).items()}
    assert verify(headers).currency == "CNY"


@pytest.mark.parametrize(
    "headers, reason",
    [
        ({}, "unsigned"),
        ({"X-Sandbox-Timestamp": str(NOW)}, "unsigned"),
        ({"X-Sandbox-Timestamp": "yesterday", "X-Sandbox-Signature": "ab"}, "bad_timestamp"),
        ({"X-Sandbox-Timestamp": str(NOW), "X-Sandbox-Signature": "0" * 64}, "bad_signature"),
    ],
)
def test_missing_or_wrong_signatures_are_refused(headers, reason):
    with pytest.raises(NotificationRefused) as refused:
        verify(headers)
    assert (refused.value.reason, refused.value.status) == (reason, 403)


def test_a_changed_body_is_refused():
    headers = headers_at(NOW)
    changed = BODY.replace(b"59900", b"1")
    with pytest.raises(NotificationRefused) as refused:
        verify(headers, body=changed)
    assert refused.value.reason == "bad_signature"


def test_a_signature_made_with_another_secret_is_refused(settings):
    headers = headers_at(NOW)
    settings.SANDBOX_PAYMENT_SECRET = "another-secret"
    with pytest.raises(NotificationRefused) as refused:
        verify(headers)
    assert refused.value.reason == "bad_signature"


@pytest.mark.parametrize("offset", [-301, 301, -3600, 86400])
def test_a_timestamp_more_than_five_minutes_away_is_refused(offset):
    with pytest.raises(NotificationRefused) as refused:
        verify(headers_at(NOW + offset))
    assert refused.value.reason == "stale"


@pytest.mark.parametrize("offset", [-300, -1, 0, 299])
def test_a_timestamp_within_five_minutes_is_accepted(offset):
    assert verify(headers_at(NOW + offset)).trade_no == "SBX42"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"{}",
        json.dumps(
            {
                "payment": "x",
                "trade_no": "t",
                "outcome": "succeeded",
                "amount_minor": 1,
                "currency": "CNY",
                "sent_at": "2027-01-01T00:00:00",
            }
        ).encode(),
        BODY.replace(b"succeeded", b"refunded"),
        BODY.replace(b"59900", b"599.00"),
    ],
)
def test_a_signed_but_malformed_body_is_refused(body):
    with pytest.raises(NotificationRefused) as refused:
        verify(headers_at(NOW, body), body=body)
    assert (refused.value.reason, refused.value.status) == ("malformed", 400)


def test_the_derived_secret_is_not_the_secret_key(settings):
    settings.SANDBOX_PAYMENT_SECRET = ""
    assert sandbox.secret() != settings.SECRET_KEY.encode()
    assert len(sandbox.secret()) == 64
