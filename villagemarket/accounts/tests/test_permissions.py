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


def test_the_back_office_asks_the_same_question(operator, buyer):
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = operator
    assert admin.site.has_permission(request)
    request.user = buyer
    assert not admin.site.has_permission(request)


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "status"), [("buyer", 403), ("operator", 200)])
def test_the_api_decorator_refuses_non_operators_with_403(who, status, buyer, operator):
    import uuid

    from ninja import NinjaAPI
    from ninja.testing import TestClient

    from villagemarket.accounts.auth import token_auth
    from villagemarket.accounts.permissions import api_operator_required
    from villagemarket.accounts.services import create_api_token

    api = NinjaAPI(urls_namespace=f"operator-{uuid.uuid4().hex}")
    calls = []

    @api.exception_handler(Forbidden)
    def forbidden(request, exc):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.get("/queue", auth=token_auth)
    @api_operator_required
    def queue(request):
        calls.append(request.auth.pk)
        return {"ok": True}

    user = {"buyer": buyer, "operator": operator}[who]
    _, secret = create_api_token(user, name="t")
    response = TestClient(api).get("/queue", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == status
    assert calls == ([operator.pk] if who == "operator" else [])
