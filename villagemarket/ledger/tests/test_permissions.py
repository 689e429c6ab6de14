"""Who may use each finance page and endpoint of the ledger, and that a refusal changes nothing.

One table: every ledger surface × (anonymous, buyer, bob = another shop's owner, staff = this
shop's staff, alice = this shop's owner, operator) → the status each one gets. Shop-private
things answer 404 to outsiders (their existence is not revealed); operator things answer 403
to signed-in non-operators; anonymous visitors go to sign in (pages) or get 401 (API).
"""

import pytest

from villagemarket.core.money import Money
from villagemarket.ledger import payouts, services, withdrawals
from villagemarket.ledger.models import LedgerTransaction, PayoutBatch, PayoutLine, Withdrawal
from villagemarket.ledger.services import OrderLine
from villagemarket.shops.models import ShopMember
from villagemarket.testing import client_for, make_user

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "buyer", "bob", "staff", "alice", "operator"]


def _statuses(anonymous, buyer, bob, staff, alice, operator):
    return dict(zip(PERSONAS, [anonymous, buyer, bob, staff, alice, operator], strict=True))


SHOP_READ_PAGE = _statuses(302, 404, 404, 200, 200, 404)
OWNER_WRITE_PAGE = _statuses(302, 404, 404, 404, 302, 404)
OPERATOR_PAGE = _statuses(302, 403, 403, 403, 403, 200)
OPERATOR_WRITE_PAGE = _statuses(302, 403, 403, 403, 403, 302)
SHOP_READ_API = _statuses(401, 404, 404, 200, 200, 404)
OPERATOR_API = _statuses(401, 403, 403, 403, 403, 200)

# (name, method, url template, form or JSON body, expected statuses, writes?)
SURFACES = [
    ("balance page", "get", "/seller/balance/{shop}/", None, SHOP_READ_PAGE, False),
    (
        "request withdrawal (page)",
        "post",
        "/seller/balance/{shop}/withdraw/",
        {"amount": "15.00"},
        OWNER_WRITE_PAGE,
        True,
    ),
    (
        "cancel withdrawal (page)",
        "post",
        "/seller/balance/{shop}/withdrawals/{free}/cancel/",
        {},
        OWNER_WRITE_PAGE,
        True,
    ),
    ("payouts page", "get", "/operator/payouts/", None, OPERATOR_PAGE, False),
    (
        "create batch (page)",
        "post",
        "/operator/payouts/batches/",
        {"withdrawal": "{free}"},
        OPERATOR_WRITE_PAGE,
        True,
    ),
    ("batch page", "get", "/operator/payouts/batches/{draft}/", None, OPERATOR_PAGE, False),
    (
        "batch CSV (page)",
        "get",
        "/operator/payouts/batches/{draft}/payout-batch.csv",
        None,
        OPERATOR_PAGE,
        True,  # a draft becomes exported
    ),
    (
        "mark batch paid (page)",
        "post",
        "/operator/payouts/batches/{exported}/paid/",
        {"confirm": "yes"},
        OPERATOR_WRITE_PAGE,
        True,
    ),
    (
        "remove from batch (page)",
        "post",
        "/operator/payouts/batches/{draft}/remove/{drafted}/",
        {},
        OPERATOR_WRITE_PAGE,
        True,
    ),
    (
        "cancel batch (page)",
        "post",
        "/operator/payouts/batches/{draft}/cancel/",
        {},
        OPERATOR_WRITE_PAGE,
        True,
    ),
    ("balance API", "get", "/api/v1/ledger/shops/{shop}/balance", None, SHOP_READ_API, False),
    ("entries API", "get", "/api/v1/ledger/shops/{shop}/entries", None, SHOP_READ_API, False),
    (
        "withdrawals API",
        "get",
        "/api/v1/ledger/shops/{shop}/withdrawals",
        None,
        SHOP_READ_API,
        False,
    ),
    (
        "request withdrawal API",
        "post",
        "/api/v1/ledger/shops/{shop}/withdrawals",
        {"amount": "15.00"},
        _statuses(401, 404, 404, 404, 201, 404),
        True,
    ),
    (
        "cancel withdrawal API",
        "post",
        "/api/v1/ledger/shops/{shop}/withdrawals/{free}/cancel",
        None,
        _statuses(401, 404, 404, 404, 200, 404),
        True,
    ),
    ("batches API", "get", "/api/v1/ledger/payouts/batches", None, OPERATOR_API, False),
    (
        "create batch API",
        "post",
        "/api/v1/ledger/payouts/batches",
        {"withdrawals": ["{free}"]},
        _statuses(401, 403, 403, 403, 403, 201),
        True,
    ),
    (
        "batch API",
        "get",
        "/api/v1/ledger/payouts/batches/{draft}",
        None,
        OPERATOR_API,
        False,
    ),
    (
        "batch CSV API",
        "get",
        "/api/v1/ledger/payouts/batches/{draft}/csv",
        None,
        OPERATOR_API,
        True,
    ),
    (
        "mark batch paid API",
        "post",
        "/api/v1/ledger/payouts/batches/{exported}/paid",
        None,
        OPERATOR_API,
        True,
    ),
]


@pytest.fixture
def world(alice, bob, buyer, operator, shop_a, shop_b):
    """Shop A earned ¥950.00 and has a bank account; three requests of ¥20.00: `free` (in no
    batch), `drafted` (in a draft batch) and one in an exported batch."""
    services.record_payment_captured(reference="p1", provider="sandbox", amount=Money(100_000))
    services.settle_order(
        reference="order:1", shop_id=shop_a.pk, lines=[OrderLine(Money(100_000))], freight=Money(0)
    )
    payouts.set_bank_account(
        operator=operator,
        shop=shop_a,
        holder_name="Alice",
        bank_name="农业银行",
        account_number="6228480000000001",
    )
    ask = lambda: withdrawals.request_withdrawal(  # noqa: E731
        user=alice, shop=shop_a, amount=Money(2_000)
    )
    free, drafted, sent = ask(), ask(), ask()
    draft = payouts.create_batch(operator, [drafted.pk])
    exported = payouts.create_batch(operator, [sent.pk])
    payouts.export_batch_csv(exported)
    staff = make_user("clerk@example.com")
    ShopMember.objects.create(shop=shop_a, user=staff, role="staff")
    users = {"buyer": buyer, "bob": bob, "staff": staff, "alice": alice, "operator": operator}
    ids = {"shop": shop_a.slug, "free": free.pk, "drafted": drafted.pk}
    ids |= {"draft": draft.pk, "exported": exported.pk}
    return users, ids


def _state():
    """Everything a finance request could change."""
    return (
        sorted(Withdrawal.objects.values_list("pk", "status")),
        sorted(PayoutBatch.objects.values_list("pk", "status", "count")),
        sorted(PayoutLine.objects.values_list("pk", "active")),
        LedgerTransaction.objects.count(),
    )


def _fill(value, ids):
    if isinstance(value, str):
        filled = value.format(**ids)
        return int(filled) if value.startswith("{") and filled.isdigit() else filled
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


CASES = [
    pytest.param(surface, who, id=f"{surface[0]}-{who}") for surface in SURFACES for who in PERSONAS
]


@pytest.mark.parametrize(("surface", "who"), CASES)
def test_who_may_use_each_finance_surface(world, surface, who):
    users, ids = world
    _name, method, url, body, expected, writes = surface
    client = client_for(users.get(who))
    before = _state()

    url = url.format(**ids)
    if method == "get":
        response = client.get(url)
    elif url.startswith("/api/"):
        response = client.post(url, _fill(body or {}, ids), content_type="application/json")
    else:
        response = client.post(url, _fill(body or {}, ids))

    assert response.status_code == expected[who], response.content[:300]
    if response.status_code == 302 and who == "anonymous":
        assert "/accounts/" in response["Location"]
    refused = response.status_code >= 300 and not (
        response.status_code == 302 and who != "anonymous"
    )
    if writes and refused:
        assert _state() == before, "a refused request changed something"
    if writes and not refused:
        assert _state() != before, "an allowed write changed nothing (the table proves nothing)"
