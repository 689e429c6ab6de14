"""Prohibited terms, the operator's settings, cases in the moderation queue and buyers' reports.

moderation sits on layer 1 (beside accounts): it never names a shop, product or review model.
Content is known by (kind, object_id) and the kinds registry (moderation.hooks); shop_id is a
plain number, so a case outlives nothing it should not.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    PROHIBITED_GOODS = "prohibited_goods", _("prohibited goods")
    CONTACT = "contact", _("contact details / off-platform trade")
    LINKS = "links", _("links")
    SPAM = "spam", _("spam")
    ABUSE = "abuse", _("abuse")
    OTHER = "other", _("other")


class Action(models.TextChoices):
    HOLD = "hold", _("hold for review")
    REFUSE = "refuse", _("refuse")


class Term(models.Model):
    """A prohibited word or regular expression. Editing one applies at once (version bump)."""

    text = models.CharField(_("word or pattern"), max_length=300)
    is_regex = models.BooleanField(_("regular expression"), default=False)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default="hold")
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("prohibited term")
        verbose_name_plural = _("prohibited terms")
        ordering = ["category", "text"]
        constraints = [
            models.UniqueConstraint(fields=["text", "is_regex"], name="moderation_term_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class Settings(models.Model):
    """The operator's moderation settings: one row (pk=1). `terms_version` changes on every term
    change, so each process drops its compiled terms and screens with the new ones at once."""

    terms_version = models.PositiveBigIntegerField(default=1, editable=False)
    strike_limit = models.PositiveSmallIntegerField(
        _("rejections that suspend a shop"),
        default=3,
        help_text=_("A shop with this many rejected items within the window is suspended."),
    )
    strike_days = models.PositiveSmallIntegerField(_("window (days)"), default=30)
    spam_max_links = models.PositiveSmallIntegerField(_("links that make a text spam"), default=5)
    spam_max_keyword_repeats = models.PositiveSmallIntegerField(
        _("repeats of one word (beside links) that make a text spam"), default=8
    )
    reports_per_hour = models.PositiveSmallIntegerField(_("reports per buyer per hour"), default=10)

    class Meta:
        verbose_name = _("moderation settings")
        verbose_name_plural = _("moderation settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="moderation_settings_one_row"),
            models.CheckConstraint(condition=Q(strike_limit__gte=1), name="moderation_strike_ge1"),
            models.CheckConstraint(condition=Q(strike_days__gte=1), name="moderation_days_ge1"),
        ]

    def __str__(self) -> str:
        return str(_("moderation settings"))


class CaseStatus(models.TextChoices):
    OPEN = "open", _("waiting for a decision")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class Case(models.Model):
    """One item in the operator's queue: content held by screening and/or reported by buyers.

    At most one open case per (kind, object_id): a second hold or report joins it (a report adds
    to `report_count`). A decided case stays as history; new content opens a new case.
    """

    kind = models.CharField(_("kind"), max_length=30)
    object_id = models.BigIntegerField(_("object"))
    shop_id = models.BigIntegerField(_("shop"), null=True, blank=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    held = models.BooleanField(_("held by screening"), default=False)
    matches = models.JSONField(_("matched terms"), default=list, blank=True)
    text = models.TextField(_("screened text"), blank=True)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.TextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("moderation case")
        verbose_name_plural = _("moderation cases")
        ordering = ["opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"],
                condition=Q(status="open"),
                name="moderation_one_open_case",
            ),
        ]
        indexes = [models.Index(fields=["status", "opened_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class ReportReason(models.TextChoices):
    PROHIBITED = "prohibited", _("prohibited or illegal goods")
    FAKE = "fake", _("counterfeit or misleading")
    CONTACT = "contact", _("asks to trade outside the platform")
    SPAM = "spam", _("spam")
    ABUSE = "abuse", _("abusive or offensive")
    OTHER = "other", _("something else")


class Report(models.Model):
    """A signed-in person reports content. One per person per case: repeats change nothing."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="reports", verbose_name=_("case")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reporter"], name="moderation_report_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case} ← {self.reporter_id}"
