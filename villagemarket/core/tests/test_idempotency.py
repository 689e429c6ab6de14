"""@idempotent on a throwaway ninja API whose effect is a row (a Django auth Group)."""

import json
import time
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from ninja import NinjaAPI, Schema, Status
from ninja.testing import TestClient

from villagemarket.core.errors import DomainError, Invalid
from villagemarket.core.idempotency import idempotent, purge_idempotency_records
from villagemarket.core.models import IdempotencyRecord
from villagemarket.testing.threads import run_together


class GroupIn(Schema):
    name: str
    fail: bool = False


class GroupOut(Schema):
    id: int
    name: str
    made_at: str


class GroupErrorOut(Schema):
    code: str
    message: str
    fields: dict


def make_client(*, pause: float = 0.0) -> TestClient:
    api = NinjaAPI(urls_namespace=f"idem-{uuid.uuid4().hex}")

    @api.exception_handler(DomainError)
    def domain_error(request, exc):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    def signed_in(request):
        return request.user if request.user.is_authenticated else None

    @api.post(
        "/groups", auth=signed_in, response={201: GroupOut, 409: GroupErrorOut, 422: GroupErrorOut}
    )
    @idempotent
    def create_group(request, payload: GroupIn):
        group = Group.objects.create(name=f"{payload.name}-{uuid.uuid4().hex[:8]}")
        if pause:
            time.sleep(pause)  # widens the race window so an unguarded duplicate would act twice
        if payload.fail:
            raise Invalid("refused", fields={"fail": ["set"]})
        return Status(201, {"id": group.pk, "name": group.name, "made_at": str(time.time())})

    return TestClient(api)


def post(client, user, body: dict, key: str | None = "order-1"):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post("/groups", body=json.dumps(body), headers=headers, user=user)


@pytest.fixture
def users(db):
    User = get_user_model()
    return [
        User.objects.create_user(email=f"idem{i}@example.com", password="x", display_name=f"u{i}")
        for i in (1, 2)
    ]


def test_a_retry_replays_the_first_status_and_body_and_acts_once(users):
    client = make_client()
    first = post(client, users[0], {"name": "a"})
    again = post(client, users[0], {"name": "a"})
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Group.objects.count() == 1


def test_the_same_key_with_another_body_is_409_and_changes_nothing(users):
    client = make_client()
    post(client, users[0], {"name": "a"})
    other = post(client, users[0], {"name": "b"})
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    assert Group.objects.count() == 1


@pytest.mark.parametrize("key", ["", "x" * 101, "has space", "naïve", "a\x00b"])
def test_a_malformed_key_is_422_naming_the_header(users, key):
    response = post(make_client(), users[0], {"name": "a"}, key=key)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["fields"]
    assert Group.objects.count() == 0 and IdempotencyRecord.objects.count() == 0


def test_a_key_belongs_to_its_caller(users):
    client = make_client()
    mine = post(client, users[0], {"name": "a"})
    theirs = post(client, users[1], {"name": "a"})
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert Group.objects.count() == 2


def test_an_error_is_not_remembered_so_a_retry_runs_again(users):
    client = make_client()
    refused = post(client, users[0], {"name": "a", "fail": True})
    assert refused.status_code == 422
    assert Group.objects.count() == 0  # the error's partial work was rolled back
    assert IdempotencyRecord.objects.count() == 0


def test_without_a_key_every_call_acts(users):
    client = make_client()
    post(client, users[0], {"name": "a"}, key=None)
    post(client, users[0], {"name": "a"}, key=None)
    assert Group.objects.count() == 2


def test_old_answers_are_purged(users):
    post(make_client(), users[0], {"name": "a"})
    assert purge_idempotency_records() == 0
    assert purge_idempotency_records(now=timezone.now() + timedelta(days=2)) == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_make_one_effect():
    # given two threads about to send the same key and body at the same instant
    user = get_user_model().objects.create_user(
        email="racer@example.com", password="x", display_name="racer"
    )
    client = make_client(pause=0.3)
    # when both send it at the same instant
    responses = run_together(*[lambda: post(client, user, {"name": "race"}, key="race-1")] * 2)
    # then one group exists and both callers got its answer
    assert Group.objects.count() == 1
    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].content == responses[1].content
