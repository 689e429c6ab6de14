"""Seller-center pages: who may see and post what, CSRF on every form, inert user text."""

import pytest
from django.test import Client
from django.urls import reverse

from villagemarket.testing import client_for, make_shop, make_user
from villagemarket.shops.models import Household, Shop, ShopInvitation, ShopMember

SLUG = "alice-costumes"
DINGLOU = "371721121227"


@pytest.fixture
def carol(shop_a):
    """Alice's staff member (not an owner)."""
    user = make_user("carol@example.com", name="Carol")
    ShopMember.objects.create(shop=shop_a, user=user, role="staff")
    return user


@pytest.fixture
def everyone(people, carol):
    return {**people, "carol": client_for(carol)}


def snapshot(shop):
    shop.refresh_from_db()
    return (
        shop.name,
        shop.phone,
        shop.status,
        sorted(ShopMember.objects.filter(shop=shop).values_list("user_id", "role")),
        ShopInvitation.objects.count(),
        Household.objects.count(),
    )


PAGES = ["seller:dashboard", "seller:settings", "seller:staff", "seller:households"]
# persona -> (dashboard, settings, staff, households)
EXPECTED = {
    "anonymous": (302, 302, 302, 302),
    "buyer": (404, 404, 404, 404),
    "bob": (404, 404, 404, 404),
    "operator": (404, 404, 404, 404),
    "carol": (200, 404, 404, 200),
    "alice": (200, 200, 200, 200),
}


@pytest.mark.parametrize("who", EXPECTED)
def test_who_may_see_alices_seller_pages(everyone, shop_a, bob, who):
    for page, status in zip(PAGES, EXPECTED[who], strict=True):
        response = everyone[who].get(reverse(page, args=[SLUG]))
        assert response.status_code == status, (who, page)
        if status == 302:
            assert reverse("accounts:signin") in response["Location"]


POSTS = [
    (
        "seller:settings",
        {
            "name": "stolen",
            "phone": "13900000000",
            "kind": "household",
            "village": DINGLOU,
            "ship_from_address": "x",
        },
    ),
    ("seller:staff", {"action": "invite", "login": "mallory@example.com"}),
    ("seller:staff", {"action": "remove", "member": "__owner__"}),
    ("seller:households", {"action": "add", "name": "丁大娘", "village": DINGLOU}),
]


@pytest.mark.parametrize("who", ["anonymous", "buyer", "bob", "operator", "carol"])
@pytest.mark.parametrize("page,data", POSTS)
def test_refused_posts_change_nothing(everyone, shop_a, alice, who, page, data):
    owner = ShopMember.objects.get(shop=shop_a, user=alice)
    data = {k: (str(owner.pk) if v == "__owner__" else v) for k, v in data.items()}
    before = snapshot(shop_a)

    response = everyone[who].post(reverse(page, args=[SLUG]), data)

    if page == "seller:households" and who == "carol":
        # Staff may manage households, but shop A is not a service point: refused with a message.
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert reverse("accounts:signin") in response["Location"]
    assert snapshot(shop_a) == before


def test_the_center_lists_my_shops_with_status_and_role(everyone, shop_a, carol):
    response = everyone["carol"].get(reverse("seller:center"))
    assert response.status_code == 200
    assert "Alice 演出服" in response.text

    response = everyone["buyer"].get(reverse("seller:center"))
    assert "Alice 演出服" not in response.text
    assert reverse("seller:open") in response.text
    assert everyone["anonymous"].get(reverse("seller:center")).status_code == 302


def test_opening_a_shop_from_the_page_shows_the_pending_banner(buyer, village):
    client = client_for(buyer)
    data = {
        "name": "胡楼羽绒",
        "slug": "hulou-down",
        "kind": "household",
        "village": "371721121206",
        "ship_from_address": "胡楼村",
        "phone": "13800000002",
        "description": "",
    }

    response = client.post(reverse("seller:open"), data, follow=True)

    shop = Shop.objects.get(slug="hulou-down")
    assert shop.status == "pending"
    assert response.redirect_chain[-1][0] == reverse("seller:dashboard", args=["hulou-down"])
    assert "waiting for an operator" in response.text


def test_the_open_form_shows_field_errors_and_opens_nothing(buyer, shop_a):
    client = client_for(buyer)
    data = {
        "name": "x",
        "slug": SLUG,
        "kind": "household",
        "village": "371721121",
        "ship_from_address": "x",
        "phone": "13800000002",
    }

    response = client.post(reverse("seller:open"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert "slug" in form.errors and "village" in form.errors
    assert not ShopMember.objects.filter(user=buyer).exists()


def test_owner_saves_settings(alice, shop_a):
    client = client_for(alice)
    data = {
        "name": "Alice 汉服",
        "phone": "13900000000",
        "kind": "cooperative",
        "village": DINGLOU,
        "ship_from_address": "新地址",
        "description": "新",
    }

    response = client.post(reverse("seller:settings", args=[SLUG]), data)

    assert response.status_code == 302
    shop_a.refresh_from_db()
    assert (shop_a.name, shop_a.kind) == ("Alice 汉服", "cooperative")


def test_invite_and_accept_through_the_pages(alice, bob, shop_a):
    carol = make_user("carol@example.com")
    client_for(alice).post(
        reverse("seller:staff", args=[SLUG]), {"action": "invite", "login": "carol@example.com"}
    )
    invitation = ShopInvitation.objects.get()
    url = reverse("seller:invitation", args=[invitation.token])

    # The owner's staff page shows the link to send.
    assert url in client_for(alice).get(reverse("seller:staff", args=[SLUG])).text
    # Bob has the link but is not the invited person: 404, and he does not join.
    assert client_for(bob).get(url).status_code == 404
    assert client_for(bob).post(url).status_code == 404
    assert Client().get(url).status_code == 302

    response = client_for(carol).post(url)

    assert response.status_code == 302
    assert ShopMember.objects.filter(shop=shop_a, user=carol, role="staff").exists()
    assert not ShopMember.objects.filter(shop=shop_a, user=bob).exists()


def test_owner_revokes_and_removes_from_the_staff_page(alice, shop_a, carol):
    client = client_for(alice)
    invitation = ShopInvitation.objects.create(shop=shop_a, login="dan@example.com", token="t" * 43)
    member = ShopMember.objects.get(user=carol)

    client.post(
        reverse("seller:staff", args=[SLUG]), {"action": "revoke", "invitation": invitation.pk}
    )
    client.post(reverse("seller:staff", args=[SLUG]), {"action": "remove", "member": member.pk})
    response = client.post(
        reverse("seller:staff", args=[SLUG]),
        {"action": "remove", "member": ShopMember.objects.get(user=alice).pk},
        follow=True,
    )

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert not ShopMember.objects.filter(user=carol).exists()
    assert ShopMember.objects.filter(user=alice, role="owner").exists()
    assert "last owner cannot be removed" in response.text


@pytest.fixture
def station(alice, village):
    return make_shop(
        alice, village, name="丁楼服务站", slug="dinglou-station", kind="service_point"
    )


def test_service_point_households_pages(alice, bob, station):
    client = client_for(alice)
    url = reverse("seller:households", args=[station.slug])

    client.post(url, {"action": "add", "name": "丁大娘", "village": DINGLOU, "contact_phone": ""})
    household = Household.objects.get()
    edit = reverse("seller:household_edit", args=[station.slug, household.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"name": "丁大娘家", "village": "371721121206", "contact_phone": ""})
    household.refresh_from_db()
    assert (household.name, household.village_id) == ("丁大娘家", "371721121206")

    # Bob sees neither the list nor the edit page, and his posts change nothing.
    assert client_for(bob).get(url).status_code == 404
    assert client_for(bob).get(edit).status_code == 404
    assert client_for(bob).post(edit, {"name": "x", "village": DINGLOU}).status_code == 404
    assert (
        client_for(bob).post(url, {"action": "remove", "household": household.pk}).status_code
        == 404
    )
    assert Household.objects.get().name == "丁大娘家"

    response = client.post(url, {"action": "add", "name": "坏", "village": "371721121"})
    assert "village" in response.context["form"].errors
    client.post(url, {"action": "remove", "household": household.pk})
    assert not Household.objects.exists()


# --- CSRF -----------------------------------------------------------------------
def csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_every_form_refuses_a_post_without_the_csrf_token(alice, shop_a, village):
    station = make_shop(alice, village, name="站", slug="station-x", kind="service_point")
    household = Household.objects.create(shop=station, name="丁大娘", village=village)
    carol = make_user("carol@example.com")
    invitation = ShopInvitation.objects.create(
        shop=shop_a, login="carol@example.com", token="c" * 43
    )
    forms = [
        (
            reverse("seller:open"),
            {
                "name": "n",
                "slug": "new-shop",
                "village": DINGLOU,
                "kind": "household",
                "ship_from_address": "a",
                "phone": "13800000003",
            },
        ),
        (
            reverse("seller:settings", args=[SLUG]),
            {
                "name": "csrf",
                "phone": "13800000003",
                "kind": "household",
                "village": DINGLOU,
                "ship_from_address": "a",
            },
        ),
        (reverse("seller:staff", args=[SLUG]), {"action": "invite", "login": "eve@example.com"}),
        (reverse("seller:staff", args=[SLUG]), {"action": "revoke", "invitation": invitation.pk}),
        (
            reverse("seller:households", args=[station.slug]),
            {"action": "add", "name": "x", "village": DINGLOU},
        ),
        (
            reverse("seller:households", args=[station.slug]),
            {"action": "remove", "household": household.pk},
        ),
        (
            reverse("seller:household_edit", args=[station.slug, household.pk]),
            {"name": "y", "village": DINGLOU},
        ),
    ]
    before = snapshot(shop_a), Shop.objects.count(), Household.objects.get().name

    for url, data in forms:
        assert csrf_client(alice).post(url, data).status_code == 403, url
    assert (
        csrf_client(carol).post(reverse("seller:invitation", args=[invitation.token])).status_code
        == 403
    )

    assert (snapshot(shop_a), Shop.objects.count(), Household.objects.get().name) == before
    assert not ShopMember.objects.filter(user=carol).exists()


def test_a_form_posted_with_its_csrf_token_works(alice, shop_a):
    client = csrf_client(alice)
    url = reverse("seller:staff", args=[SLUG])
    token = client.get(url).context["csrf_token"]

    response = client.post(
        url, {"action": "invite", "login": "eve@example.com", "csrfmiddlewaretoken": str(token)}
    )

    assert response.status_code == 302
    assert ShopInvitation.objects.filter(login="eve@example.com").exists()


# --- user text is inert -------------------------------------------------------------
def test_script_in_shop_name_and_description_is_rendered_inert(alice, shop_a):
    Shop.objects.filter(pk=shop_a.pk).update(
        name="<script>alert('n')</script>", description="<img src=x onerror=alert(1)>"
    )
    client = client_for(alice)
    for url in [
        reverse("seller:center"),
        reverse("seller:dashboard", args=[SLUG]),
        reverse("seller:settings", args=[SLUG]),
        reverse("seller:staff", args=[SLUG]),
        reverse("seller:households", args=[SLUG]),
    ]:
        html = client.get(url).text
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;" in html, url


def test_staff_nav_hides_owner_only_links(everyone, shop_a):
    html = everyone["carol"].get(reverse("seller:dashboard", args=[SLUG])).text
    assert reverse("seller:settings", args=[SLUG]) not in html
    assert reverse("seller:staff", args=[SLUG]) not in html
    html = everyone["alice"].get(reverse("seller:dashboard", args=[SLUG])).text
    assert reverse("seller:settings", args=[SLUG]) in html
