"""Printable PDFs of a pickup batch: A6 waybill labels (one per parcel, Code 128 of the tracking
number and a QR of order and tracking number) and the A4 pick list per household.

Chinese text uses reportlab's built-in CID font STSong-Light (Adobe-GB1): no font file is read
or embedded, so it works on a fresh machine with no fonts installed; every PDF viewer and printer
driver maps it to its own Song/Ming typeface (docs/logistics.md).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from .rules import masked_phone

FONT = "STSong-Light"
LATIN = "Helvetica-Bold"  # tracking numbers: plain Latin glyphs, extractable as text everywhere
MARGIN = 5 * mm
MAX_LABEL_LINES = 4
INDENT = 9 * mm  # room for the "To" / "From" captions


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break text into lines no wider than `width`, by character (Chinese has no spaces)."""
    lines, current = [], ""
    for char in text:
        if pdfmetrics.stringWidth(current + char, font, size) > width and current:
            lines.append(current)
            current = char.lstrip()
        else:
            current += char
    return [*lines, current] if current else lines


def _new_canvas(buffer, size, title: str) -> canvas.Canvas:
    pdf = canvas.Canvas(buffer, pagesize=size, invariant=1, pageCompression=1)
    pdf.setTitle(title)
    pdf.setAuthor("VillageMarket")
    return pdf


def _barcode(pdf, value: str, x: float, y: float, width: float, height: float) -> None:
    """Code 128 of `value`, scaled to `width` (couriers' scanners read 0.25 mm bars and up)."""
    probe = code128.Code128(value, barHeight=height, barWidth=1, quiet=False)
    bar_width = min(0.5 * mm, width / probe.width)
    barcode = code128.Code128(value, barHeight=height, barWidth=bar_width, quiet=False)
    barcode.drawOn(pdf, x + (width - barcode.width) / 2, y)


def _qr(pdf, value: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(value, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, x, y)


def qr_text(order_id: int, tracking_no: str) -> str:
    """What a label's QR code holds: the order number and the tracking number."""
    return f"VM-ORDER:{order_id};TRACKING:{tracking_no}"


def _text_block(
    pdf, lines: Iterable[str], x: float, y: float, size: float, leading: float
) -> float:
    for line in lines:
        pdf.drawString(x, y, line)
        y -= leading
    return y


def _label(pdf, batch, courier_name: str, item) -> None:
    font = _font()
    order = item.order
    width, height = A6
    inner = width - 2 * MARGIN
    top = height - MARGIN
    # Courier and batch
    pdf.setFont(font, 14)
    pdf.drawString(MARGIN, top - 12, courier_name)
    pdf.setFont(font, 8)
    pdf.drawRightString(
        width - MARGIN,
        top - 10,
        _("Pickup #%(id)d, %(date)s") % {"id": batch.pk, "date": batch.pickup_date},
    )
    # Tracking number: barcode and digits
    _barcode(pdf, item.tracking_no or "-", MARGIN, top - 40 * mm + 6, inner, 22 * mm)
    pdf.setFont(LATIN, 13)
    pdf.drawCentredString(width / 2, top - 40 * mm - 6, item.tracking_no)
    pdf.line(MARGIN, top - 42 * mm - 6, width - MARGIN, top - 42 * mm - 6)
    y = top - 42 * mm - 20
    # Recipient
    pdf.setFont(font, 8)
    pdf.drawString(MARGIN, y, _("To"))
    pdf.setFont(font, 12)
    y = _text_block(
        pdf, [f"{order.recipient}  {masked_phone(order.mobile)}"], MARGIN + INDENT, y, 12, 14
    )
    pdf.setFont(font, 10)
    address = f"{order.region_label} {order.address_detail}"
    y = _text_block(pdf, wrap(address, font, 10, inner - INDENT)[:3], MARGIN + INDENT, y, 10, 12)
    pdf.line(MARGIN, y + 4, width - MARGIN, y + 4)
    y -= 8
    # Sender: the shop (and household) and the pickup point
    pdf.setFont(font, 8)
    pdf.drawString(MARGIN, y, _("From"))
    households = sorted(
        {
            line.sku.product.household.name
            for line in order.lines.all()
            if line.sku.product.household
        }
    )
    sender = order.shop.name + (f" / {'、'.join(households)}" if households else "")
    sender_lines = wrap(sender, font, 9, inner - INDENT)[:2]
    if order.shop_id != batch.point_id:
        sender_lines += wrap(
            _("via %(point)s") % {"point": batch.point.name}, font, 9, inner - INDENT
        )[:1]
    sender_lines.append(f"{order.shop.village.short_name} {masked_phone(order.shop.phone)}")
    pdf.setFont(font, 9)
    y = _text_block(pdf, sender_lines, MARGIN + INDENT, y, 9, 11)
    pdf.line(MARGIN, y + 4, width - MARGIN, y + 4)
    y -= 8
    # Lines and the QR code
    qr_size = 26 * mm
    _qr(pdf, qr_text(order.pk, item.tracking_no), width - MARGIN - qr_size, MARGIN, qr_size)
    pdf.setFont(font, 9)
    pdf.drawString(MARGIN, y, _("Order #%(id)d") % {"id": order.pk})
    y -= 11
    lines = list(order.lines.all())
    texts = [
        f"{line.product_title} {line.variant_label} ×{line.quantity}".replace("  ", " ")
        for line in lines[:MAX_LABEL_LINES]
    ]
    if len(lines) > MAX_LABEL_LINES:
        texts.append(_("and %(n)d more") % {"n": len(lines) - MAX_LABEL_LINES})
    pdf.setFont(font, 8)
    wrapped = [part for text in texts for part in wrap(text, font, 8, inner - qr_size - 4)]
    _text_block(pdf, wrapped[: MAX_LABEL_LINES + 2], MARGIN, y, 8, 10)


def waybills_pdf(batch, items, courier_name: str) -> bytes:
    """One A6 page per parcel of the batch (items from selectors.batch_items)."""
    buffer = io.BytesIO()
    pdf = _new_canvas(buffer, A6, _("Waybills of pickup #%(id)d") % {"id": batch.pk})
    for item in items:
        _label(pdf, batch, courier_name, item)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def pick_list_pdf(batch, groups, courier_name: str) -> bytes:
    """The pick list on A4: per household, each product and variant with the quantity to pick
    and the orders it goes to."""
    font = _font()
    buffer = io.BytesIO()
    pdf = _new_canvas(buffer, A4, _("Pick list of pickup #%(id)d") % {"id": batch.pk})
    width, height = A4
    margin = 15 * mm
    y = height - margin

    def need(space: float) -> None:
        nonlocal y
        if y - space < margin:
            pdf.showPage()
            y = height - margin

    pdf.setFont(font, 16)
    pdf.drawString(margin, y, _("Pick list of pickup #%(id)d") % {"id": batch.pk})
    y -= 20
    pdf.setFont(font, 10)
    pdf.drawString(
        margin,
        y,
        f"{batch.point.name} / {courier_name} / {batch.pickup_date} / "
        + _("printed %(at)s") % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    )
    y -= 24
    for group in groups:
        need(40)
        pdf.setFont(font, 13)
        pdf.drawString(
            margin, y, f"{group.shop} / {group.household}" if group.household else group.shop
        )
        pdf.drawRightString(
            width - margin,
            y,
            ngettext("%(n)d piece", "%(n)d pieces", group.total_quantity)
            % {"n": group.total_quantity},
        )
        y -= 6
        pdf.line(margin, y, width - margin, y)
        y -= 14
        pdf.setFont(font, 10)
        for line in group.lines:
            orders = " ".join(f"#{oid}" for oid in line.order_ids)
            text_lines = wrap(f"{line.product} {line.variant}".strip(), font, 10, 95 * mm)
            order_lines = wrap(orders, font, 9, 55 * mm)
            rows = max(len(text_lines), len(order_lines))
            need(rows * 13 + 4)
            pdf.rect(margin, y - 2, 8, 8)  # a box to tick
            for i in range(rows):
                if i < len(text_lines):
                    pdf.drawString(margin + 14, y, text_lines[i])
                if i < len(order_lines):
                    pdf.drawString(margin + 125 * mm, y, order_lines[i])
                if i == 0:
                    pdf.drawRightString(margin + 120 * mm, y, f"×{line.quantity}")
                y -= 13
            y -= 3
        y -= 12
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
