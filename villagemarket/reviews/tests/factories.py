"""Orders in the states reviews care about, made through the order services."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.functions import Now
from PIL import Image

from villagemarket.orders import services as orders
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.tests.factories import shipped_order


def completed_order(buyer, address, sku, quantity: int = 1) -> ShopOrder:
    order = shipped_order(buyer, address, sku, quantity)
    return orders.confirm_receipt(buyer=buyer, order_id=order.pk)


def completed_days_ago(order: ShopOrder, days: float) -> None:
    """Move the order's completion into the past (the window is checked on the database clock)."""
    ShopOrder.objects.filter(pk=order.pk).update(completed_at=Now() - datetime.timedelta(days=days))


def photo(name: str = "photo.jpg", *, exif: bool = True, color=(200, 40, 40)) -> SimpleUploadedFile:
    """A small JPEG with an EXIF block (camera model and GPS-ish data) to be stripped."""
    image = Image.new("RGB", (40, 30), color)
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x0110] = "SecretCam 3000"  # Model
        data[0x010E] = "at home, 丁楼村"  # ImageDescription
        image.save(out, format="JPEG", exif=data.tobytes())
    else:
        image.save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def stars(item: int = 5, service: int = 5, delivery: int = 5) -> dict:
    return {"item_stars": item, "service_stars": service, "delivery_stars": delivery}
