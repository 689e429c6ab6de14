"""The operator's terms and settings pages."""

from __future__ import annotations

import pytest

from villagemarket.moderation import services
from villagemarket.moderation.models import Settings, Term
from villagemarket.testing import client_for

pytestmark = pytest.mark.django_db
TERMS = "/operator/moderation/terms/"


def test_an_operator_adds_a_term_on_the_page_and_it_applies_at_once(operator):
    answer = client_for(operator).post(
        TERMS, {"text": "土鸡蛋", "category": "other", "action": "hold", "is_active": "on"}
    )

    assert answer.status_code == 302
    assert services.screen("出售土鸡蛋").held


def test_an_invalid_regex_is_shown_on_its_field_and_the_input_kept(operator):
    answer = client_for(operator).post(
        TERMS, {"text": "([a-z", "is_regex": "on", "category": "links", "action": "hold"}
    )

    page = answer.content.decode()
    assert answer.status_code == 422
    assert "Not a valid regular expression" in page
    assert 'value="([a-z"' in page
    assert not Term.objects.filter(text="([a-z").exists()


def test_an_operator_edits_and_removes_a_term(operator):
    term = Term.objects.get(text="加微信")
    client = client_for(operator)

    client.post(
        f"{TERMS}{term.pk}/",
        {"text": "加微信", "category": "contact", "action": "hold"},  # unticked: inactive
    )
    assert "加微信" not in [m.term for m in services.screen("请加微信").matches]
    client.post(f"{TERMS}{term.pk}/delete/")
    assert not Term.objects.filter(pk=term.pk).exists()


def test_an_operator_changes_the_strike_rule(operator):
    answer = client_for(operator).post(
        "/operator/moderation/settings/",
        {
            "strike_limit": "5",
            "strike_days": "60",
            "spam_max_links": "5",
            "spam_max_keyword_repeats": "8",
            "reports_per_hour": "10",
        },
    )

    assert answer.status_code == 302
    config = Settings.objects.get(pk=1)
    assert (config.strike_limit, config.strike_days) == (5, 60)


@pytest.mark.parametrize("who, status", [("buyer", 403), ("alice", 403), ("anonymous", 302)])
def test_the_terms_page_is_for_operators(people, who, status):
    assert people[who].get(TERMS).status_code == status
    assert people[who].post(TERMS, {"text": "y", "category": "other"}).status_code == status
    assert not Term.objects.filter(text="y").exists()
