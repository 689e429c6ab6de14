"""The back-office: a bad pattern is refused on its field, and a change applies at once."""

from __future__ import annotations

import pytest

from villagemarket.moderation import services
from villagemarket.moderation.models import Term
from villagemarket.testing import client_for, make_user

pytestmark = pytest.mark.django_db
ADD = "/admin/moderation/term/add/"


@pytest.fixture
def superuser(db):
    from villagemarket.accounts.models import User

    user = make_user("root@example.com", staff=True)
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    user.refresh_from_db()
    return user


def test_the_admin_refuses_an_invalid_regex_on_its_field(superuser):
    answer = client_for(superuser).post(
        ADD, {"text": "(unclosed", "is_regex": "on", "category": "links", "action": "hold"}
    )

    assert answer.status_code == 200
    assert "Not a valid regular expression" in answer.content.decode()
    assert not Term.objects.filter(text="(unclosed").exists()


def test_a_term_added_in_the_admin_applies_at_once(superuser):
    assert not services.screen("出售土鸡蛋").held

    answer = client_for(superuser).post(
        ADD, {"text": "土鸡蛋", "category": "other", "action": "hold", "is_active": "on"}
    )

    assert answer.status_code == 302
    assert services.screen("出售土鸡蛋").held
