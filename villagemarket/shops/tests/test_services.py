"""Shop use-cases: opening, operator decisions, staff, households."""

import io

import pytest
from django.core import mail
from PIL import Image

from villagemarket.core.errors import Conflict, Forbidden, IllegalTransition, Invalid, NotFound
from villagemarket.shops import services
from villagemarket.shops.models import (
    Household,
    Shop,
    ShopInvitation,
    ShopMember,
    ShopStatusChange,
)
from villagemarket.testing import make_user

DINGLOU = "371721121227"


def shop_fields(**overrides):
    fields = {
        "name": "丁楼演出服",
        "slug": "dinglou-costumes",
        "village": DINGLOU,
        "ship_from_address": "丁楼村东头",
        "phone": "13800000001",
        "description": "Stage costumes",
    }
    return {**fields, **overrides}


def png_upload(name="logo.png", size=(40, 30)):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buf = io.BytesIO()
    Image.new("RGB", size, "red").save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


# --- opening a shop ---------------------------------------------------------------
def test_a_signed_in_user_opens_a_pending_shop_and_becomes_its_owner(buyer, village):
    shop = services.open_shop(buyer, **shop_fields())

    assert shop.status == "pending"
    assert shop.village == village
    assert ShopMember.objects.get(shop=shop).user == buyer
    assert ShopMember.objects.get(shop=shop).role == "owner"


@pytest.mark.parametrize(
    "field,value",
    [
        ("slug", "Bad Slug"),
        ("slug", "open"),
        ("slug", "alice-costumes"),  # taken by shop A
        ("village", "371721121"),  # a town, not a village
        ("village", "999999999999"),  # no such region
        ("village", ""),
        ("name", ""),
        ("phone", "call me"),
        ("ship_from_address", ""),
        ("kind", "bank"),
    ],
)
def test_bad_input_names_the_field_and_opens_nothing(buyer, shop_a, field, value):
    before = Shop.objects.count()

    with pytest.raises(Invalid) as err:
        services.open_shop(buyer, **shop_fields(**{field: value}))

    assert field in err.value.fields
    assert Shop.objects.count() == before
    assert not ShopMember.objects.filter(user=buyer).exists()


def test_every_bad_field_is_reported_at_once(buyer, village):
    with pytest.raises(Invalid) as err:
        services.open_shop(buyer, **shop_fields(slug="-", village="1", phone="x"))
    assert {"slug", "village", "phone"} <= set(err.value.fields)


def test_an_anonymous_visitor_cannot_open_a_shop(village):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Forbidden):
        services.open_shop(AnonymousUser(), **shop_fields())
    assert not Shop.objects.exists()


# --- operator decisions ---------------------------------------------------------
def test_operator_approves_suspends_and_reinstates_recording_who_and_when(buyer, operator, village):
    shop = services.open_shop(buyer, **shop_fields())

    services.set_shop_status(operator, shop, "approve")
    assert shop.status == "active"
    assert shop.status_changed_by == operator and shop.status_changed_at is not None

    services.set_shop_status(operator, shop, "suspend", reason="fake goods")
    services.set_shop_status(operator, shop, "reinstate")

    moves = list(
        ShopStatusChange.objects.filter(shop=shop)
        .order_by("pk")
        .values_list("from_status", "to_status")
    )
    assert moves == [("pending", "active"), ("active", "suspended"), ("suspended", "active")]
    assert ShopStatusChange.objects.get(to_status="suspended").reason == "fake goods"


def test_each_decision_is_told_to_the_status_listeners_and_a_refused_one_is_not(
    buyer, operator, village
):
    from villagemarket.shops import hooks

    heard = []
    hooks.on_status_change(heard.append)
    try:
        shop = services.open_shop(buyer, **shop_fields())
        services.set_shop_status(operator, shop, "approve")
        with pytest.raises(IllegalTransition):
            services.set_shop_status(operator, shop, "approve")
        services.set_shop_status(operator, shop, "suspend", reason="fake goods")
    finally:
        hooks._status_listeners.remove(heard.append)

    assert [(c.shop_id, c.to_status, c.reason) for c in heard] == [
        (shop.pk, "active", ""),
        (shop.pk, "suspended", "fake goods"),
    ]


def test_a_move_that_is_not_allowed_is_a_clear_conflict(operator, shop_a):
    with pytest.raises(IllegalTransition):
        services.set_shop_status(operator, shop_a, "approve")  # already active
    shop_a.refresh_from_db()
    assert shop_a.status == "active"
    assert not ShopStatusChange.objects.exists()


@pytest.mark.parametrize("who", ["alice", "bob", "buyer"])
def test_only_operators_change_status_or_commission(request, who, shop_a):
    user = request.getfixturevalue(who)

    with pytest.raises(Forbidden):
        services.set_shop_status(user, shop_a, "suspend")
    with pytest.raises(Forbidden):
        services.set_commission(user, shop_a, 0)

    shop_a.refresh_from_db()
    assert (shop_a.status, shop_a.commission_bp) == ("active", 500)


def test_operator_sets_commission_within_bounds(operator, shop_a):
    services.set_commission(operator, shop_a, 300)
    assert Shop.objects.get(pk=shop_a.pk).commission_bp == 300

    with pytest.raises(Invalid) as err:
        services.set_commission(operator, shop_a, 10_001)
    assert "commission_bp" in err.value.fields
    assert Shop.objects.get(pk=shop_a.pk).commission_bp == 300


# --- owner edits ----------------------------------------------------------------
def test_owner_updates_details_but_bob_cannot(alice, bob, shop_a):
    services.update_shop(alice, shop_a, name="Alice 汉服", phone="0530-1234567")
    assert Shop.objects.get(pk=shop_a.pk).name == "Alice 汉服"

    with pytest.raises(NotFound):
        services.update_shop(bob, shop_a, name="stolen")
    assert Shop.objects.get(pk=shop_a.pk).name == "Alice 汉服"


def test_owner_cannot_change_status_or_slug_through_update(alice, shop_a):
    with pytest.raises(Invalid) as err:
        services.update_shop(alice, shop_a, status="active", slug="x-y-z")
    assert {"status", "slug"} <= set(err.value.fields)


def test_logo_is_reencoded_and_a_bad_image_changes_nothing(alice, shop_a):
    services.set_logo(alice, shop_a, png_upload())
    shop_a.refresh_from_db()
    assert shop_a.logo.name.startswith("shops/") and shop_a.logo.name.endswith(".jpg")
    first = shop_a.logo.name

    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(Invalid) as err:
        services.update_shop(
            alice,
            shop_a,
            name="new name",
            logo=SimpleUploadedFile("x.png", b"<script>not an image"),
        )
    assert "logo" in err.value.fields
    shop_a.refresh_from_db()
    assert (shop_a.logo.name, shop_a.name) == (first, "Alice 演出服")


# --- staff ----------------------------------------------------------------------
def test_owner_invites_by_email_and_the_invited_person_accepts(
    alice, shop_a, django_capture_on_commit_callbacks
):
    carol = make_user("carol@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_staff(alice, shop_a, "Carol@Example.com")
    assert invitation.login == "carol@example.com"
    assert len(invitation.token) >= 40
    assert mail.outbox and invitation.token in mail.outbox[0].body

    member = services.accept_invitation(carol, invitation.token)

    assert member.role == "staff" and member.shop == shop_a
    invitation.refresh_from_db()
    assert invitation.accepted_by == carol


def test_invitation_by_mobile_is_accepted_by_the_user_with_that_mobile(alice, shop_a):
    from villagemarket.accounts.models import User

    dan = User.objects.create_user(mobile="13900001111", password="x" * 12)
    invitation = services.invite_staff(alice, shop_a, "139 0000 1111")

    services.accept_invitation(dan, invitation.token)

    assert ShopMember.objects.filter(shop=shop_a, user=dan, role="staff").exists()


def test_the_wrong_person_cannot_accept_an_invitation(alice, bob, shop_a):
    invitation = services.invite_staff(alice, shop_a, "carol@example.com")

    with pytest.raises(NotFound):
        services.accept_invitation(bob, invitation.token)

    assert not ShopMember.objects.filter(shop=shop_a, user=bob).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_revoked_invitation_cannot_be_accepted(alice, shop_a):
    carol = make_user("carol@example.com")
    invitation = services.invite_staff(alice, shop_a, "carol@example.com")
    services.revoke_invitation(alice, shop_a, invitation.pk)

    with pytest.raises(Conflict):
        services.accept_invitation(carol, invitation.token)
    assert not ShopMember.objects.filter(user=carol).exists()


def test_inviting_twice_returns_the_open_invitation_and_members_are_refused(alice, bob, shop_a):
    first = services.invite_staff(alice, shop_a, "carol@example.com")
    assert services.invite_staff(alice, shop_a, "CAROL@example.com").pk == first.pk
    assert ShopInvitation.objects.count() == 1

    with pytest.raises(Conflict):
        services.invite_staff(alice, shop_a, "alice@example.com")


def test_only_the_owner_invites_revokes_and_removes(alice, bob, shop_a):
    invitation = services.invite_staff(alice, shop_a, "carol@example.com")
    owner = ShopMember.objects.get(shop=shop_a, user=alice)

    with pytest.raises(NotFound):
        services.invite_staff(bob, shop_a, "bob2@example.com")
    with pytest.raises(NotFound):
        services.revoke_invitation(bob, shop_a, invitation.pk)
    with pytest.raises(NotFound):
        services.remove_staff(bob, shop_a, owner.pk)

    assert ShopInvitation.objects.get().is_open
    assert ShopMember.objects.filter(pk=owner.pk).exists()


def test_staff_cannot_act_as_owner(alice, shop_a):
    carol = make_user("carol@example.com")
    ShopMember.objects.create(shop=shop_a, user=carol, role="staff")

    with pytest.raises(NotFound):
        services.invite_staff(carol, shop_a, "eve@example.com")
    with pytest.raises(NotFound):
        services.update_shop(carol, shop_a, name="mine now")


def test_the_last_owner_cannot_be_removed_but_staff_and_extra_owners_can(alice, shop_a):
    carol = make_user("carol@example.com")
    staff = ShopMember.objects.create(shop=shop_a, user=carol, role="staff")
    owner = ShopMember.objects.get(shop=shop_a, user=alice)

    with pytest.raises(Conflict) as err:
        services.remove_staff(alice, shop_a, owner.pk)
    assert err.value.fields == {"member": ["last owner"]}
    assert ShopMember.objects.filter(pk=owner.pk).exists()

    services.remove_staff(alice, shop_a, staff.pk)
    assert not ShopMember.objects.filter(pk=staff.pk).exists()

    second = ShopMember.objects.create(shop=shop_a, user=carol, role="owner")
    services.remove_staff(alice, shop_a, owner.pk)  # alice leaves; carol still owns it
    assert list(ShopMember.objects.filter(shop=shop_a).values_list("pk", flat=True)) == [second.pk]


# --- households -----------------------------------------------------------------
@pytest.fixture
def service_point(alice, village):
    from villagemarket.testing import make_shop

    return make_shop(
        alice, village, name="丁楼服务站", slug="dinglou-station", kind="service_point"
    )


def test_a_service_point_registers_households_in_villages(alice, service_point):
    household = services.add_household(alice, service_point, name="丁大娘", village="371721121206")

    assert household.village.short_name == "胡楼村"
    services.update_household(
        alice,
        service_point,
        household.pk,
        name="丁大娘家",
        village=DINGLOU,
        contact_phone="13700000000",
    )
    household.refresh_from_db()
    assert (household.name, household.village_id) == ("丁大娘家", DINGLOU)

    services.remove_household(alice, service_point, household.pk)
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    "field,value", [("village", "371721121"), ("village", "000000000000"), ("name", "")]
)
def test_household_bad_input_names_the_field(alice, service_point, field, value):
    data = {"name": "丁大娘", "village": DINGLOU, field: value}
    with pytest.raises(Invalid) as err:
        services.add_household(alice, service_point, **data)
    assert field in err.value.fields
    assert not Household.objects.exists()


def test_household_names_are_unique_per_shop(alice, service_point):
    services.add_household(alice, service_point, name="丁大娘", village=DINGLOU)
    with pytest.raises(Invalid) as err:
        services.add_household(alice, service_point, name="丁大娘", village=DINGLOU)
    assert "name" in err.value.fields


def test_only_service_points_have_households(alice, shop_a):
    with pytest.raises(Conflict):
        services.add_household(alice, shop_a, name="丁大娘", village=DINGLOU)
    assert not Household.objects.exists()


def test_bob_cannot_touch_alices_households(alice, bob, service_point):
    household = services.add_household(alice, service_point, name="丁大娘", village=DINGLOU)

    with pytest.raises(NotFound):
        services.add_household(bob, service_point, name="x", village=DINGLOU)
    with pytest.raises(NotFound):
        services.remove_household(bob, service_point, household.pk)
    assert Household.objects.count() == 1


def test_a_household_with_products_is_kept(alice, service_point):
    from villagemarket.testing import make_product

    household = services.add_household(alice, service_point, name="丁大娘", village=DINGLOU)
    product = make_product(service_point)
    product.household = household
    product.save()

    with pytest.raises(Conflict):
        services.remove_household(alice, service_point, household.pk)
    assert Household.objects.filter(pk=household.pk).exists()
