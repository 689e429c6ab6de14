"""Kuaidi100 (快递100) real-time query adapter: https://api.kuaidi100.com (企业版实时查询).

Request: POST https://poll.kuaidi100.com/poll/query.do, form-encoded:
- `customer`: the account's customer id (KUAIDI100_CUSTOMER);
- `param`: JSON text {"com": <Kuaidi100's courier code>, "num": <number>, "phone": <last 4
  digits of the recipient's mobile, needed by SF>, "resultv2": "1" (adds area and status text)};
- `sign`: MD5 of param + key + customer (KUAIDI100_KEY), hex upper-case.

Answer: {"message": "ok", "state": "3", "ischeck": "1", "data": [{"time": "2026-12-01 10:00:00",
"context": "...", "status": "签收", "areaName": "..."}, ...]} newest first; or, when refused,
{"result": false, "returnCode": "400", "message": "..."}; returnCode 500 means "no record yet"
(a fresh number) and is an empty timeline, not an error.

Tests run `parse` and `sign` against recorded answers; nothing here is ever called over the
network in tests (the transport is injectable). Push subscriptions (poll.do) would need a
public callback address; polling is enough at our volumes (docs/tracking.md).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import urllib.parse
import urllib.request
from zoneinfo import ZoneInfo

from . import ParcelEvent, ProviderError

QUERY_URL = "https://poll.kuaidi100.com/poll/query.do"
CHINA = ZoneInfo("Asia/Shanghai")
TIMEOUT_SECONDS = 10

# Our courier codes (shipping.Courier.code) -> Kuaidi100's company codes.
COMPANY = {
    "SF": "shunfeng",
    "ZTO": "zhongtong",
    "YTO": "yuantong",
    "STO": "shentong",
    "YD": "yunda",
    "JT": "jtexpress",
    "JD": "jd",
    "EMS": "ems",
    "YZPY": "youzhengguonei",
    "DBL": "debangkuaidi",
}

# Kuaidi100's status words (resultv2=1) -> ours. 退回/退签/拒签 are problems for the buyer.
STATUS_WORDS = {
    "揽收": "accepted",
    "在途": "in_transit",
    "转投": "in_transit",
    "清关": "in_transit",
    "派件": "out_for_delivery",
    "签收": "delivered",
    "疑难": "exception",
    "退签": "exception",
    "退回": "exception",
    "拒签": "exception",
}
# The answer's overall `state`, for items without a status word.
STATE_CODES = {
    "0": "in_transit",
    "1": "accepted",
    "2": "exception",
    "3": "delivered",
    "4": "exception",
    "5": "out_for_delivery",
    "6": "exception",
    "7": "in_transit",
    "8": "in_transit",
    "14": "exception",
}


def sign(param: str, key: str, customer: str) -> str:
    """Kuaidi100's signature: MD5(param + key + customer), upper-case hex."""
    return hashlib.md5((param + key + customer).encode()).hexdigest().upper()  # noqa: S324


def _post(url: str, data: dict[str, str]) -> bytes:
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(  # noqa: S310 - a fixed https address
        url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        return response.read()


def parse(body: bytes | str) -> list[ParcelEvent]:
    """The events of a Kuaidi100 answer, or ProviderError for a refusal."""
    try:
        answer = json.loads(body)
    except ValueError as exc:
        raise ProviderError("kuaidi100: not JSON") from exc
    if not isinstance(answer, dict):
        raise ProviderError("kuaidi100: unexpected answer")
    if answer.get("result") is False or "data" not in answer:
        if str(answer.get("returnCode")) == "500":
            return []  # no record yet
        raise ProviderError(f"kuaidi100: {answer.get('returnCode')} {answer.get('message', '')}")
    items = answer.get("data") or []
    state = STATE_CODES.get(str(answer.get("state", "")), "in_transit")
    events = []
    for index, item in enumerate(items):
        try:
            when = datetime.datetime.strptime(
                item.get("ftime") or item["time"], "%Y-%m-%d %H:%M:%S"
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ProviderError("kuaidi100: an event without a readable time") from exc
        status = STATUS_WORDS.get(item.get("status", ""))
        if status is None:
            status = state if index == 0 else "in_transit"
        events.append(
            ParcelEvent(
                time=when.replace(tzinfo=CHINA),
                status=status,
                location=(item.get("areaName") or item.get("location") or "")[:100],
                description=(item.get("context") or "")[:500],
                raw=item,
            )
        )
    return events


class Kuaidi100Provider:
    name = "kuaidi100"

    def __init__(self, *, customer: str, key: str, transport=_post, url: str = QUERY_URL):
        self.customer, self.key, self.transport, self.url = customer, key, transport, url

    def request_data(self, courier_code: str, number: str, phone_tail: str) -> dict[str, str]:
        """The form fields of one query (signed)."""
        company = COMPANY.get(courier_code)
        if company is None:
            raise ProviderError(f"kuaidi100: no company code for {courier_code}")
        param = json.dumps(
            {"com": company, "num": number, "phone": phone_tail, "resultv2": "1"},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return {
            "customer": self.customer,
            "param": param,
            "sign": sign(param, self.key, self.customer),
        }

    def fetch(self, courier_code, number, phone_tail, *, shipped_at=None) -> list[ParcelEvent]:
        if not self.customer or not self.key:
            raise ProviderError("kuaidi100: KUAIDI100_CUSTOMER and KUAIDI100_KEY are not set")
        data = self.request_data(courier_code, number, phone_tail)
        try:
            body = self.transport(self.url, data)
        except OSError as exc:  # URLError, timeouts, refused connections
            raise ProviderError(f"kuaidi100: {exc}") from exc
        return parse(body)
