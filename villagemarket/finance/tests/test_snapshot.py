"""The report reads one snapshot on PostgreSQL: money that moves while it runs is not a false
mismatch."""

from __future__ import annotations

import pytest

from villagemarket.finance.reconciliation import reconcile
from villagemarket.orders.services import save_address
from villagemarket.testing import make_product, make_shop, make_user
from villagemarket.testing.threads import run_together

from . import flows


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_payment_captured_while_the_report_runs_is_no_mismatch(village):
    buyer = make_user("buyer@example.com", name="Buyer")
    alice = make_user("alice@example.com", name="Alice")
    shop = make_shop(alice, village, name="Alice 演出服", slug="alice-costumes")
    sku = make_product(shop, title="演出服", price_minor=9900, stock=10).skus.get()
    address = save_address(
        user=buyer,
        region_code="371721121",
        detail="丁楼村 3 组 12 号",
        recipient="王芳",
        mobile="13912345678",
    )
    flows.paid(buyer, address, sku)
    paid_meanwhile = []

    def pay_during_the_payments_check(stage: str, done: int, total: int) -> None:
        # The captures are loaded; the payments' events are about to be read. Another
        # connection now commits a payment, its event and its capture.
        if stage == "payments" and done == 0 and not paid_meanwhile:
            (order,) = run_together(lambda: flows.paid(buyer, address, sku))
            assert not isinstance(order, Exception), order
            paid_meanwhile.append(order)

    report = reconcile(progress=pay_during_the_payments_check)

    assert paid_meanwhile, "the concurrent payment ran"
    assert report.all_agree, [m.message for m in report.mismatches]
    assert report.checked["payments"] == 1  # the snapshot's, not the late one
    assert reconcile().checked["payments"] == 2 and reconcile().all_agree
