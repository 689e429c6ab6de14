"""The API's contract as a client reads it: unique schema names, documented errors, 401s."""

from __future__ import annotations

import typing

import pytest
from django.test import Client
from pydantic import BaseModel

from villagemarket.api.api import ALWAYS, ON_WRITE, WITH_AUTH, api


def operations():
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                yield f"{bound.prefix}{path}", operation


def models_in(annotation, seen: set) -> None:
    """Every pydantic model reachable from an annotation (fields, lists, unions, dicts)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            models_in(field.annotation, seen)
        return
    for arg in typing.get_args(annotation):
        models_in(arg, seen)


def schema_classes():
    seen: set = set()
    for _path, operation in operations():
        for response in operation.response_models.values():
            if response is not None and hasattr(response, "model_fields"):
                models_in(response.model_fields["response"].annotation, seen)
        for model in operation.models:
            models_in(model, seen)
    # ninja's wrappers (NinjaResponseSchema, param models) are not named in the document
    return {m for m in seen if not m.__module__.startswith("ninja.")}


def test_schema_names_are_unique_across_the_api():
    by_name: dict[str, set[str]] = {}
    for model in schema_classes():
        by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    duplicates = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert not duplicates, f"two schemas share a name (prefix with the app's noun): {duplicates}"


def test_every_operation_documents_the_standard_errors_with_one_schema():
    document = api.get_openapi_schema()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            responses = {int(code): body for code, body in operation["responses"].items()}
            statuses = set(responses)
            expected = set(ALWAYS)
            if operation.get("security"):
                expected |= set(WITH_AUTH)
            if method.upper() not in ("GET", "HEAD", "OPTIONS"):
                expected |= set(ON_WRITE)
            assert expected <= statuses, f"{method.upper()} {path} lacks {expected - statuses}"
            for code in expected:
                ref = responses[code]["content"]["application/json"]["schema"]
                assert ref == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, code)


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["vm_not-a-real-token", ""])
def test_an_invalid_token_on_a_write_is_401_not_a_csrf_403(token):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/cart/lines",
        {"sku_id": 1, "quantity": 1},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.django_db
def test_a_revoked_token_on_a_write_is_401(buyer):
    from villagemarket.accounts import services

    token, secret = services.create_api_token(buyer, name="script")
    client = Client(enforce_csrf_checks=True)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/v1/accounts/me", **auth).status_code == 200
    services.revoke_api_token(buyer, token.pk)
    response = client.post(
        "/api/v1/cart/lines", {"sku_id": 1, "quantity": 1}, content_type="application/json", **auth
    )
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
