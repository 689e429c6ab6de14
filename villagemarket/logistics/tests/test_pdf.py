"""Waybills and pick lists as PDF: A6 labels whose text holds the tracking numbers."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from villagemarket.logistics import pdf, selectors, services

from .conftest import numbered

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")
HAVE_POPPLER = PDFTOTEXT is not None


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(  # noqa: S603 - our own file, a fixed program
        [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


@pytest.fixture
def waybills(point, batch, orders):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in orders])
    services.assign_tracking(point=point, batch_id=batch.pk, numbers=numbered(batch, orders))
    return pdf.waybills_pdf(batch, selectors.batch_items(batch), "中通快递")


def test_one_a6_page_per_parcel(waybills, orders):
    boxes = re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", waybills)
    # 105 x 148 mm in points (1 mm = 72 / 25.4 pt)
    assert len(boxes) == len(orders)
    for width, height in boxes:
        assert round(float(width) * 25.4 / 72) == 105
        assert round(float(height) * 25.4 / 72) == 148


@pytest.mark.skipif(not HAVE_POPPLER, reason="poppler-utils (pdftotext) is not installed")
def test_the_labels_show_tracking_numbers_and_masked_phones(waybills, batch, orders, tmp_path):
    text = pdf_text(waybills, tmp_path)
    for number in numbered(batch, orders).values():
        assert number in text
    assert "139****5678" in text
    assert "13912345678" not in text
    assert "王芳" in text  # the Chinese font maps back to text: it rendered as characters


@pytest.mark.skipif(not HAVE_POPPLER, reason="poppler-utils (pdftotext) is not installed")
def test_the_pick_list_pdf_lists_each_household(point, batch, orders, tmp_path):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in orders])
    groups = selectors.pick_list(selectors.batch_items(batch))
    text = pdf_text(pdf.pick_list_pdf(batch, groups, "中通快递"), tmp_path)
    assert "王家" in text and "李家" in text and "Bob" in text
    assert f"#{orders[0].pk}" in text


def test_the_qr_code_holds_order_and_tracking_number():
    assert pdf.qr_text(12, "700000000001") == "VM-ORDER:12;TRACKING:700000000001"
