import pytest
from django import forms
from django.core.exceptions import ValidationError
from ninja import Schema
from pydantic import ValidationError as PydanticError

from villagemarket.core.validation import (
    MAX_DB_ID,
    DbId,
    Name,
    Text,
    no_control_characters,
    parse_db_id,
    visible_text,
)


class Sample(Schema):
    title: Name = ""
    body: Text = ""
    item_id: DbId = 1


@pytest.mark.parametrize("bad", ["a\x00b", "a\x1bb", "x\x7f", "\x85"])
def test_text_refuses_nul_and_control_characters_naming_the_field(bad):
    with pytest.raises(PydanticError) as info:
        Sample(body=bad)
    (error,) = info.value.errors()
    assert error["loc"] == ("body",)
    assert "control characters" in error["msg"]


def test_text_keeps_tabs_and_newlines():
    assert Sample(body="line 1\r\n\tline 2").body == "line 1\r\n\tline 2"


@pytest.mark.parametrize("invisible", [" ", "\u200b\u200b", "\u3000", "\u3164", "\ufeff \u2800"])
def test_name_refuses_strings_made_only_of_invisible_characters(invisible):
    with pytest.raises(PydanticError) as info:
        Sample(title=invisible)
    assert info.value.errors()[0]["loc"] == ("title",)


def test_name_is_stripped_and_refuses_newlines():
    assert Sample(title="  丁楼村 演出服 ").title == "丁楼村 演出服"
    with pytest.raises(PydanticError):
        Sample(title="two\nlines")


@pytest.mark.parametrize("bad", [0, -1, MAX_DB_ID + 1, "9" * 5000])
def test_db_id_must_fit_a_primary_key(bad):
    with pytest.raises(PydanticError) as info:
        Sample(item_id=bad)
    assert info.value.errors()[0]["loc"] == ("item_id",)


def test_db_id_accepts_the_largest_primary_key():
    assert Sample(item_id=MAX_DB_ID).item_id == MAX_DB_ID


class NoteForm(forms.Form):
    note = forms.CharField(validators=[no_control_characters, visible_text])


@pytest.mark.parametrize("bad", ["a\x00", "\u200b", "   \u3000"])
def test_form_validators_refuse_control_and_invisible_text(bad):
    form = NoteForm(data={"note": bad})
    assert not form.is_valid()
    assert "note" in form.errors


def test_form_validators_accept_ordinary_text():
    assert NoteForm(data={"note": "第一行\n第二行"}).is_valid()
    with pytest.raises(ValidationError):
        no_control_characters("\x00")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("42", 42),
        ("9223372036854775807", MAX_DB_ID),
        ("0", None),
        ("9223372036854775808", None),
        ("9" * 5000, None),
        ("١٢٣", None),
        ("１２", None),
        ("-1", None),
        ("", None),
        (" 1", None),
    ],
)
def test_parse_db_id_takes_only_ascii_ids_a_database_can_hold(text, expected):
    assert parse_db_id(text) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (7, 7),
        (2**63 - 1, 2**63 - 1),
        (2**63, None),
        (0, None),
        (-3, None),
        (True, None),
        (None, None),
        (2.0, None),
        ("²", None),
    ],
)
def test_parse_db_id_also_takes_json_integers_but_not_bools_or_floats(value, expected):
    # JSON bodies give ints, forms and query strings give text: one rule for both.
    assert parse_db_id(value) == expected
