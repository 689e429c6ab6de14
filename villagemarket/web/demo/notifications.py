"""Demo step: notifications. Runs before the orders are made, so the demo's own order and
refund steps notify the demo buyer and seller through the real listeners (in-site, e-mail, and
SMS through the sandbox provider), exactly as a real sale does; `villagemarket demo`'s worker
sends the e-mails (to the console) and texts (to the sandbox).

It gives the demo buyer a mobile number, so their shipped orders and refund decisions are also
texted (the back-office shows them under "Sandbox SMS"). Idempotent: a set value, not an addition.
"""

from __future__ import annotations

from villagemarket.accounts.models import User
from villagemarket.accounts.services import update_profile

from . import data

BUYER_MOBILE = "13800138000"


def notifications_step(ctx) -> str:
    buyer = User.objects.get(email=data.BUYER)
    if not buyer.mobile:
        update_profile(
            buyer, display_name=buyer.display_name, email=buyer.email, mobile=BUYER_MOBILE
        )
    return f"the demo buyer's shipped orders and refund decisions are texted to {buyer.mobile}"
