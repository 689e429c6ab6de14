"""Forms of the moderation pages; the rules themselves are in services and rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Action, Category, ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ReportReason.choices)
    detail = forms.CharField(
        label=_("What is wrong (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Explanation (the seller reads it; required to reject)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TermForm(forms.Form):
    text = forms.CharField(label=_("Word or pattern"), max_length=300, strip=False)
    is_regex = forms.BooleanField(label=_("Regular expression"), required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    action = forms.ChoiceField(label=_("Action"), choices=Action.choices, initial=Action.HOLD)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class SettingsForm(forms.Form):
    strike_limit = forms.IntegerField(
        label=_("Rejected items that suspend a shop"), min_value=1, max_value=1000
    )
    strike_days = forms.IntegerField(label=_("Within (days)"), min_value=1, max_value=1000)
    spam_max_links = forms.IntegerField(
        label=_("Links that make a text spam"), min_value=1, max_value=1000
    )
    spam_max_keyword_repeats = forms.IntegerField(
        label=_("Repeats of one word beside links that make a text spam"),
        min_value=1,
        max_value=1000,
    )
    reports_per_hour = forms.IntegerField(
        label=_("Reports per person per hour"), min_value=1, max_value=1000
    )
