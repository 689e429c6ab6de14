"""Screening with the default terms (seeded by the data migration) and the spam score."""

from __future__ import annotations

import pytest

from villagemarket.moderation import rules, services
from villagemarket.moderation.models import Term

pytestmark = pytest.mark.django_db

# Like the block the source article ends with: keywords and links, dozens of lines.
SPAM_BLOCK = "\n".join(
    f"{word} http://www.{site}{n}.com {word}{n} {site}{n}.cn"
    for n, (word, site) in enumerate(
        [("低价代购", "xxx"), ("高仿名表", "yyy"), ("免费电影", "zzz"), ("网赚", "abc")] * 8
    )
)


@pytest.mark.parametrize(
    "text, category",
    [
        ("有意者加微信详谈", "contact"),
        ("电话 13812345678 随时联系", "contact"),
        ("电话 138-1234-5678", "contact"),
        ("ＶＸ：abc12345", "contact"),
        ("wx: farmer_li88", "contact"),
        ("QQ:12345678", "contact"),
        ("qq 号 87654321", "contact"),
        ("see https://example.org for more", "links"),
        ("去 taobao.com 下单更便宜", "links"),
        ("出售仿真枪配件", "prohibited_goods"),
        ("好评返现5元", "spam"),
    ],
)
def test_terms_hold_contact_details_links_and_prohibited_goods(text, category):
    result = services.screen(text)

    assert result.held
    assert category in {m.category for m in result.matches}


def test_a_link_stuffed_spam_block_is_held_by_the_spam_score_even_without_link_terms():
    # given: the operator switched every link term off
    Term.objects.filter(category="links").update(is_active=False)
    services.bump_terms_version()

    result = services.screen(SPAM_BLOCK)

    assert result.held
    categories = {m.category for m in result.matches}
    assert categories == {"spam"}
    assert "links" in result.matches[-1].term


def test_one_shop_address_is_not_spam():
    score = rules.spam_score("欢迎光临 dinglou.cn 本店", rules.SpamLimits())

    assert score.links == 1
    assert not score.is_spam


@pytest.mark.parametrize(
    "text",
    [
        "丁楼村自家做的汉服，纯棉面料，尺码齐全，七天无理由退换。",
        "Handmade wooden toys from Cao County, safe paint, ages 3 and up.",
        "新鲜红薯 5斤装 产地直发 顺丰包邮",
        "QQ糖 水果味 儿童零食",  # "QQ" without a number or a colon is a sweet, not a contact
        "型号 VX200 电动车电池",  # "vx" as a whole word only
    ],
)
def test_ordinary_product_text_passes(text):
    assert not services.screen(text).held, services.screen(text).matches


def test_refuse_terms_refuse_and_name_the_field():
    with pytest.raises(services.ProhibitedContent) as caught:
        services.refuse_prohibited({"title": "好东西", "description": "出售冰毒"})

    assert set(caught.value.fields) == {"description"}


def test_an_edited_term_applies_at_once():
    # given: the terms are compiled in this process
    assert not services.screen("本店出售土鸡蛋").held
    # when: an operator adds a term (through the model, then the version bump the services make)
    Term.objects.create(text="土鸡蛋", category="other")
    services.bump_terms_version()

    assert services.screen("本店出售土鸡蛋").held


@pytest.mark.parametrize(
    "text, is_regex, problem",
    [("(unclosed", True, "regular expression"), ("a*", True, "empty"), ("  ", False, "Enter")],
)
def test_bad_patterns_are_refused_naming_the_field(text, is_regex, problem):
    assert problem in rules.pattern_problem(text, is_regex=is_regex)
