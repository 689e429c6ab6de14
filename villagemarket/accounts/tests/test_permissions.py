"""One definition of an operator (User.is_operator) behind every page, API and service check."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from villagemarket.accounts.models import User
from villagemarket.accounts.permissions import is_operator, require_operator
from villagemarket.core.errors import Forbidden


def test_an_operator_is_an_active_staff_user(operator, buyer):
    assert operator.is_operator and is_operator(operator)
    assert not buyer.is_operator and not is_operator(buyer)
    assert not is_operator(AnonymousUser())
    assert not is_operator(None)


def test_a_deactivated_operator_is_no_operator(operator):
    # given an operator whose account was switched off
    User.objects.filter(pk=operator.pk).update(is_active=False)
    operator.refresh_from_db()
    # then no check lets them through, the back-office permissions included
    assert not is_operator(operator)
    assert not operator.has_perm("shops.change_shop")
    with pytest.raises(Forbidden):
        require_operator(operator)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("buyer", 403), ("alice", 403), ("operator", 200)],
)
@pytest.mark.parametrize("url_name", ["regions:import", "observatory:operator"])
def test_operator_pages_share_one_decorator(people, who, status, url_name):
    response = people[who].get(reverse(url_name))
    assert response.status_code == status
    if status == 302:
        # anonymous visitors go to the site's sign-in page, not the admin's
        assert response["Location"].startswith(reverse("accounts:signin"))


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "shown"), [("buyer", False), ("operator", True)])
def test_back_office_link_only_for_operators(people, who, shown):
    html = people[who].get(reverse("web:home")).content.decode()
    assert ('href="/admin/"' in html) is shown
