from django import forms

from villagemarket.core.errors import Invalid
from villagemarket.core.forms import apply_domain_error


class PriceForm(forms.Form):
    price = forms.CharField()
    title = forms.CharField()


def bound_form():
    form = PriceForm(data={"price": "1", "title": "x"})
    assert form.is_valid()
    return form


def test_reasons_go_on_the_fields_they_name():
    form = bound_form()
    apply_domain_error(form, Invalid("Check the price.", fields={"price": ["too high"]}))
    assert form.errors["price"] == ["too high"]
    assert form.non_field_errors() == []


def test_reasons_for_fields_the_form_lacks_go_to_the_top_with_the_message():
    form = bound_form()
    apply_domain_error(
        form, Invalid("Check the price.", fields={"price": ["too high"], "stock": ["negative"]})
    )
    assert form.errors["price"] == ["too high"]
    assert form.non_field_errors() == ["negative", "Check the price."]


def test_an_error_without_fields_shows_its_message_at_the_top():
    form = bound_form()
    apply_domain_error(form, Invalid("The shop is closed."))
    assert form.non_field_errors() == ["The shop is closed."]


def test_a_page_without_a_form_shows_the_error_and_each_reason_once_as_messages(rf):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from villagemarket.core.errors import Invalid
    from villagemarket.core.forms import message_domain_error

    request = rf.post("/")
    request.session = {}
    request._messages = FallbackStorage(request)

    message_domain_error(
        request,
        Invalid("Please correct it.", fields={"a": ["too long"], "b": ["Please correct it."]}),
    )

    assert [str(m) for m in get_messages(request)] == ["Please correct it.", "too long"]
