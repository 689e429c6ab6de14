"""Freight templates: how much a shop charges to deliver to each province."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from villagemarket.core.money import Money

from . import pricing


class Basis(models.TextChoices):
    PIECE = pricing.BY_PIECE, _("by item")
    WEIGHT = pricing.BY_WEIGHT, _("by weight (kg)")


class FreightTemplate(models.Model):
    """A shop's price list for delivery. The shop's default template prices its checkouts."""

    shop = models.ForeignKey(
        "shops.Shop",
        on_delete=models.CASCADE,
        related_name="freight_templates",
        verbose_name=_("shop"),
    )
    name = models.CharField(_("name"), max_length=60)
    basis = models.CharField(_("charged"), max_length=8, choices=Basis.choices, default=Basis.PIECE)
    # Two-digit province codes the shop does not deliver to (e.g. ["54", "65"]).
    excluded_provinces = models.JSONField(_("provinces not delivered to"), default=list, blank=True)
    is_default = models.BooleanField(_("default template"), default=False)
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("freight template")
        verbose_name_plural = _("freight templates")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop"],
                condition=Q(is_default=True),
                name="one_default_freight_template_per_shop",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def as_pricing(self) -> pricing.Template:
        """The pure value the pricing module computes with (rules must be prefetched or cheap)."""
        rules = tuple(
            pricing.Rule(
                first_minor=r.first_minor,
                additional_minor=r.additional_minor,
                free_above_minor=r.free_above_minor,
                provinces=frozenset(r.provinces or []),
            )
            for r in self.rules.all()
        )
        return pricing.Template(
            basis=self.basis,
            rules=rules,
            excluded_provinces=frozenset(self.excluded_provinces or []),
            currency=self.currency,
        )


class FreightRule(models.Model):
    """Prices for some provinces (or, with no provinces, for every other province)."""

    template = models.ForeignKey(
        FreightTemplate, on_delete=models.CASCADE, related_name="rules", verbose_name=_("template")
    )
    provinces = models.JSONField(_("provinces"), default=list, blank=True)
    first_minor = models.BigIntegerField(_("first item / kg"))
    additional_minor = models.BigIntegerField(_("each further item / kg"))
    free_above_minor = models.BigIntegerField(_("free from order amount"), null=True, blank=True)

    class Meta:
        verbose_name = _("freight rule")
        verbose_name_plural = _("freight rules")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_minor__gte=0) & Q(additional_minor__gte=0),
                name="freight_rule_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(free_above_minor__isnull=True) | Q(free_above_minor__gte=0),
                name="freight_free_above_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return ",".join(self.provinces or []) or str(_("default"))

    @property
    def is_default_rule(self) -> bool:
        return not self.provinces

    @property
    def first(self) -> Money:
        return Money(self.first_minor, self.template.currency)

    @property
    def additional(self) -> Money:
        return Money(self.additional_minor, self.template.currency)

    @property
    def free_above(self) -> Money | None:
        return (
            None
            if self.free_above_minor is None
            else Money(self.free_above_minor, self.template.currency)
        )


class Courier(models.Model):
    """An express company a seller can hand parcels to (operators keep the list in the admin).

    `tracking_pattern` is a regular expression the whole tracking number must match (upper-cased
    first); `tracking_url` is the courier's public tracking page with `{number}` in it. The rule
    that checks a number is `shipping/couriers.py: tracking_number_errors`."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    # Other names sellers type for it ("顺丰", "中通"), comma separated; a CSV may use any of them.
    aliases = models.CharField(_("other names"), max_length=200, blank=True)
    tracking_pattern = models.CharField(_("tracking number pattern"), max_length=200)
    # Shown as a hint when a number does not match ("SF1234567890123").
    example = models.CharField(_("example number"), max_length=40, blank=True)
    tracking_url = models.CharField(_("tracking page"), max_length=300, blank=True)
    is_active = models.BooleanField(_("offered to sellers"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        verbose_name = _("courier")
        verbose_name_plural = _("couriers")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .couriers import pattern_error, url_error

        errors = {}
        if message := pattern_error(self.tracking_pattern):
            errors["tracking_pattern"] = message
        if message := url_error(self.tracking_url):
            errors["tracking_url"] = message
        if errors:
            raise ValidationError(errors)
