"""Shops, the people who run them, and the households a service point sells for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .states import Status

# A shop's statuses and the moves between them are the pure rules of shops.states.
ShopStatus = Status


class ShopKind(models.TextChoices):
    HOUSEHOLD = "household", _("household")
    COOPERATIVE = "cooperative", _("cooperative")
    FACTORY = "factory", _("small factory")
    SERVICE_POINT = "service_point", _("village service point")


class Shop(models.Model):
    """A seller. Ships from exactly one village; only active shops sell."""

    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    description = models.TextField(pgettext_lazy("shop", "description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="shops/", blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=ShopKind.choices, default=ShopKind.HOUSEHOLD
    )
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="shops",
        verbose_name=_("village"),
        limit_choices_to={"level": 5},
    )
    ship_from_address = models.CharField(_("ship-from address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ShopStatus.choices,
        default=ShopStatus.PENDING,
        db_index=True,
    )
    # Commission on settled sales, in basis points (100 = 1%). Set by an operator.
    commission_bp = models.PositiveIntegerField(_("commission (basis points)"), default=500)
    is_featured = models.BooleanField(_("featured"), default=False)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    # Who opened it (the first owner).
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    # Moderation (docs/moderation.md): a new name or description that matches the prohibited terms
    # waits here for an operator while the shop page keeps the old text; the owner reads the note.
    held_changes = models.JSONField(_("changes held for review"), default=dict, blank=True)
    moderation_note = models.CharField(_("moderation note"), max_length=200, blank=True)
    # The last status decision (the full history is in ShopStatusChange).
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commission_bp__lte=10000), name="shop_commission_at_most_100pct"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == ShopStatus.ACTIVE

    @property
    def commission_percent(self) -> str:
        """The commission as people read it ("2.5" for 250 basis points), exact, with no float."""
        whole, rest = divmod(self.commission_bp, 100)
        return f"{whole}.{rest:02d}".rstrip("0").rstrip(".") if rest else str(whole)

    @property
    def is_service_point(self) -> bool:
        return self.kind == ShopKind.SERVICE_POINT


class ShopStatusChange(models.Model):
    """Who moved a shop from one status to another, when, and why (append-only history)."""

    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("shop")
    )
    from_status = models.CharField(_("from"), max_length=12, choices=ShopStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=ShopStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("shop status change")
        verbose_name_plural = _("shop status changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.shop}: {self.from_status} → {self.to_status}"


class ShopRole(models.TextChoices):
    OWNER = "owner", _("owner")
    STAFF = "staff", _("staff")


class ShopMember(models.Model):
    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="members", verbose_name=_("shop")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shop_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(
        _("role"), max_length=8, choices=ShopRole.choices, default=ShopRole.STAFF
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("shop member")
        verbose_name_plural = _("shop members")
        constraints = [
            models.UniqueConstraint(fields=["shop", "user"], name="one_membership_per_shop")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.shop} ({self.get_role_display()})"


class ShopInvitation(models.Model):
    """An owner invites someone (by email or mobile) to join the shop's staff."""

    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("shop")
    )
    login = models.CharField(_("email or mobile"), max_length=254)
    token = models.CharField(max_length=64, unique=True, verbose_name=_("token"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per person per shop: inviting twice re-sends the same one.
            models.UniqueConstraint(
                fields=["shop", "login"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_login",
            )
        ]

    def __str__(self) -> str:
        return f"{self.login} → {self.shop}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class Household(models.Model):
    """A household a service point sells for; its sales and payouts are kept separately."""

    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="households", verbose_name=_("shop")
    )
    name = models.CharField(_("name"), max_length=80)
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="households_selling",
        verbose_name=_("village"),
        limit_choices_to={"level": 5},
    )
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = pgettext_lazy("households a service point sells for", "households")
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="household_name_unique_per_shop")
        ]

    def __str__(self) -> str:
        return self.name
