"""Review forms: stars, text, photos. The services check the rules again (API and pages alike)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from villagemarket.core.validation import no_control_characters

from . import rules

STAR_CHOICES = [(n, "★" * n) for n in range(5, 0, -1)]


class MultiplePhotos(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files in one input (Django's documented pattern); the service checks each."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultiplePhotos(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(PhotosField, self).clean(one, initial) for one in data]
        return [super().clean(data, initial)] if data else []


def _stars(label):
    return forms.TypedChoiceField(
        label=label, choices=STAR_CHOICES, coerce=int, widget=forms.RadioSelect, initial=5
    )


class ReviewForm(forms.Form):
    item_stars = _stars(_("Item as described"))
    service_stars = _stars(_("Seller's service"))
    delivery_stars = _stars(_("Delivery"))
    text = forms.CharField(
        label=_("Your review"),
        required=False,
        max_length=rules.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_control_characters],
    )
    photos = PhotosField(label=_("Photos (up to 6)"), required=False)
    anonymous = forms.BooleanField(
        label=_("Post anonymously (your name is shown masked)"), required=False
    )


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label=_("Your follow-up"),
        max_length=rules.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_control_characters],
    )
    photos = PhotosField(label=_("Photos (up to 6)"), required=False)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your reply"),
        max_length=rules.REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[no_control_characters],
    )
