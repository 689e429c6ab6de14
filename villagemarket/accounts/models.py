"""Users sign in with an email address or a mainland mobile number."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .rules import normalize_email, normalize_login, normalize_mobile

mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland mobile number starting with 1.")
)


# The marketplace's own apps, which operators manage in the back-office (see User.has_perm).
OPERATOR_APPS = frozenset(
    {
        "accounts",
        "regions",
        "shops",
        "catalog",
        "shipping",
        "cart",
        "orders",
        "payments",
        "ledger",
        "observatory",
        "notifications",
        "promotions",
        "imports",
        "tracking",
        "logistics",
        "django_tasks_database",
    }
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, mobile, password, **extra):
        if not email and not mobile:
            raise ValueError("a user needs an email address or a mobile number")
        email = normalize_email(email) or None
        mobile = normalize_mobile(mobile) if mobile else None
        user = self.model(email=email, mobile=mobile, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, *, mobile=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, mobile, password, **extra)

    def create_superuser(self, email=None, password=None, *, mobile=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, mobile, password, **extra)

    def get_by_natural_key(self, username):
        return self.get_by_login(username)

    def get_by_login(self, login: str):
        """Find a user by email (case-insensitive) or mobile number."""
        login = normalize_login(login)
        if not login:
            raise self.model.DoesNotExist("empty login")
        if "@" in login:
            return self.get(email__iexact=login)
        return self.get(mobile=login)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Operators are `is_staff`; shop roles live in shops.ShopMember."""

    email = models.EmailField(_("email"), unique=True, null=True, blank=True)
    mobile = models.CharField(
        _("mobile number"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[mobile_validator],
    )
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("operator"),
        default=False,
        help_text=_("Operators run the platform and use the back-office."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Chosen on the API tokens page: a new password (changed, reset, or set by an operator)
    # revokes every API token, since a leaked password may have been used to make them.
    revoke_tokens_on_password_change = models.BooleanField(
        _("revoke API tokens when the password changes"), default=True
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(mobile__isnull=False),
                name="user_has_email_or_mobile",
            ),
            # Emails are stored lower-case; this is the backstop if some path forgets.
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email or self.mobile or f"user {self.pk}"

    @property
    def is_operator(self) -> bool:
        """The one definition of an operator (see accounts.permissions): active and `is_staff`."""
        return self.is_active and self.is_staff

    # Operators (is_staff) run the platform's own back-office: they may view, add and change
    # every model of the marketplace's apps without per-model grants. Deleting rows and
    # changing Django's auth/permission tables stay with superusers: money, orders and
    # regions are corrected by new records, not by deletion.
    def has_perm(self, perm: str, obj=None) -> bool:
        if self.is_operator and not self.is_superuser:
            app_label, _, codename = perm.partition(".")
            if app_label in OPERATOR_APPS and not codename.startswith("delete_"):
                return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_operator and app_label in OPERATOR_APPS:
            return True
        return super().has_module_perms(app_label)

    def save(self, *args, **kwargs):
        # AbstractBaseUser keeps the raw password in `_password` from set_password() until the
        # save; every door that sets a password (change, reset, back-office, management
        # command) comes through here, so the tokens follow the password in one place.
        password_changed = self.pk is not None and self._password is not None
        with transaction.atomic():
            super().save(*args, **kwargs)
            if password_changed and self.revoke_tokens_on_password_change:
                self.tokens_revoked = ApiToken.objects.filter(
                    user=self, revoked_at__isnull=True
                ).update(revoked_at=timezone.now())

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return str(self)


class ApiToken(models.Model):
    """A per-user API token. Only a SHA-256 of the secret is stored; the secret is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=60)
    # The first characters of the secret, so a person can tell their tokens apart.
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    token_hash = models.CharField(_("secret hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return "vm_" + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
