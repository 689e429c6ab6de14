"""The sandbox provider: a plausible, deterministic parcel journey with no outside service.

The same number always takes the same route; what is returned is the part of the journey whose
time has come (so a demo parcel moves on as the days pass). Accepted two hours after shipping,
through two sorting centres, out for delivery in the morning of the last day and delivered
`days` (+0 or 1, by the number) days after shipping. A number ending in
`exception_suffix` (default "4") stops after the first sorting centre with an exception.
Settings: TRACKING["sandbox_days"], TRACKING["sandbox_exception_suffix"] (tracking/conf.py).
"""

from __future__ import annotations

import datetime
import hashlib

from django.utils import timezone

from ..conf import option
from . import ParcelEvent

HUBS = [
    ("济南", "济南转运中心"),
    ("郑州", "郑州转运中心"),
    ("徐州", "徐州转运中心"),
    ("杭州", "杭州转运中心"),
    ("上海", "上海转运中心"),
    ("广州", "广州转运中心"),
    ("武汉", "武汉转运中心"),
    ("成都", "成都转运中心"),
    ("北京", "北京转运中心"),
]


class SandboxProvider:
    name = "sandbox"

    def __init__(self, *, now: datetime.datetime | None = None, options: dict | None = None):
        self._now = now
        self.options = {
            "days": option("sandbox_days"),
            "exception_suffix": option("sandbox_exception_suffix"),
            **(options or {}),
        }

    def timeline(self, courier_code: str, number: str, shipped_at: datetime.datetime):
        """The whole journey, oldest first, whether its time has come or not."""
        seed = int(hashlib.sha256(f"{courier_code}:{number}".encode()).hexdigest(), 16)
        first, second = HUBS[seed % len(HUBS)], HUBS[(seed // 7) % len(HUBS)]
        if second == first:
            second = HUBS[(seed % len(HUBS) + 1) % len(HUBS)]
        days = int(self.options["days"]) + seed % 2
        hours = datetime.timedelta(hours=1)
        start = shipped_at
        steps = [
            (start + 2 * hours, "accepted", "曹县", "【曹县】快件已揽收"),
            (start + 10 * hours, "in_transit", first[0], f"快件已到达【{first[1]}】"),
        ]
        suffix = str(self.options.get("exception_suffix") or "")
        if suffix and number.endswith(suffix):
            steps.append(
                (
                    start + 20 * hours,
                    "exception",
                    first[0],
                    "收件地址不详，快件滞留，正在联系收件人",
                )
            )
        else:
            end = start + datetime.timedelta(days=days)
            steps += [
                (start + 28 * hours, "in_transit", second[0], f"快件已到达【{second[1]}】"),
                (end - 6 * hours, "out_for_delivery", second[0], "快件正在派送中，请保持电话畅通"),
                (end, "delivered", second[0], "快件已签收，签收人：本人"),
            ]
        return [
            ParcelEvent(time=t, status=s, location=loc, description=d, raw={"sandbox": True})
            for t, s, loc, d in steps
        ]

    def fetch(self, courier_code, number, phone_tail, *, shipped_at=None) -> list[ParcelEvent]:
        if shipped_at is None:
            return []
        now = self._now or timezone.now()
        return [e for e in self.timeline(courier_code, number, shipped_at) if e.time <= now]
