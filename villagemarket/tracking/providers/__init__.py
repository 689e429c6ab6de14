"""Tracking providers: where the events of a parcel come from.

A provider answers `fetch(courier_code, number, phone_tail, *, shipped_at=None)` with the
parcel's events (any order; the caller stores each once) or raises ProviderError. `courier_code`
is ours (shipping.Courier.code); a provider maps it to its own. `phone_tail` is the last four
digits of the recipient's mobile (SF and some others require it). `shipped_at` is only used by
the sandbox, which has no courier to ask.

settings.TRACKING["provider"] chooses: "sandbox" (the default; no outside service) or
"kuaidi100" (with the account from the environment: TRACKING_PROVIDER, KUAIDI100_CUSTOMER,
KUAIDI100_KEY). docs/tracking.md.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Protocol


class ProviderError(Exception):
    """The provider could not answer (down, refused, unknown courier); the poll backs off."""


@dataclass(frozen=True)
class ParcelEvent:
    time: datetime.datetime  # aware
    status: str  # a tracking.models.TrackingStatus value
    location: str
    description: str
    raw: dict = field(default_factory=dict)


class Provider(Protocol):
    name: str

    def fetch(
        self,
        courier_code: str,
        number: str,
        phone_tail: str,
        *,
        shipped_at: datetime.datetime | None = None,
    ) -> list[ParcelEvent]: ...


def get_provider() -> Provider:
    """The configured provider."""
    from ..conf import option

    if option("provider") == "kuaidi100":
        from .kuaidi100 import Kuaidi100Provider

        return Kuaidi100Provider(customer=option("kuaidi100_customer"), key=option("kuaidi100_key"))
    from .sandbox import SandboxProvider

    return SandboxProvider()
