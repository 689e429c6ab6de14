"""Races between people acting at the same moment (PostgreSQL: real row locks)."""

import functools

import pytest

from villagemarket.core.errors import DomainError
from villagemarket.shops import services
from villagemarket.shops.models import ShopMember, ShopStatusChange
from villagemarket.testing import make_region_tree, make_shop, make_user
from villagemarket.testing.threads import run_together

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_owners_removing_each_other_at_once_always_leave_an_owner():
    # Six owners each remove the next one at the same instant. Without the lock on the owner
    # rows every one of them counts six owners and the shop ends with none.
    village = make_region_tree()
    users = [make_user(f"owner{i}@example.com") for i in range(6)]
    shop = make_shop(users[0], village, name="A", slug="shop-a")
    members = [ShopMember.objects.get(user=users[0])] + [
        ShopMember.objects.create(shop=shop, user=u, role="owner") for u in users[1:]
    ]

    results = run_together(
        *[
            functools.partial(services.remove_staff, users[i], shop, members[(i + 1) % 6].pk)
            for i in range(6)
        ]
    )

    assert ShopMember.objects.filter(shop=shop, role="owner").count() >= 1
    assert all(r is None or isinstance(r, DomainError) for r in results), results


def test_operators_approving_at_once_record_one_decision():
    village = make_region_tree()
    bob = make_user("bob@example.com")
    operators = [make_user(f"op{i}@example.com", staff=True) for i in range(8)]
    # A few rounds: the window between reading the status and the guarded UPDATE is short.
    for round_no in range(4):
        shop = make_shop(bob, village, name="B", slug=f"shop-b{round_no}", status="pending")

        results = run_together(
            *[functools.partial(services.set_shop_status, op, shop, "approve") for op in operators]
        )

        assert ShopStatusChange.objects.filter(shop=shop).count() == 1
        assert sum(isinstance(r, DomainError) for r in results) == 7
