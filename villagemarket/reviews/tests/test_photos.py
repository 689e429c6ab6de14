"""Review photos: re-encoded (EXIF gone), at most 6, only images."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from villagemarket.core.errors import Invalid
from villagemarket.reviews import services
from villagemarket.reviews.models import Review, ReviewPhoto

from .factories import completed_order, photo, stars

pytestmark = pytest.mark.django_db


def test_photos_are_re_encoded_and_their_exif_is_gone(buyer, address, sku_a):
    upload = photo("IMG_0001.jpg")
    assert b"SecretCam" in upload.read()  # given: the upload carries EXIF
    upload.seek(0)
    order = completed_order(buyer, address, sku_a)
    services.post_review(buyer=buyer, line_id=order.lines.get().pk, photos=[upload], **stars())
    stored = ReviewPhoto.objects.get()
    data = stored.image.read()
    assert b"SecretCam" not in data and "丁楼村".encode() not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()
    assert "IMG_0001" not in stored.image.name  # random name
    assert (stored.width, stored.height) == (40, 30)


def test_seven_photos_are_refused_naming_the_field(buyer, address, sku_a):
    order = completed_order(buyer, address, sku_a)
    with pytest.raises(Invalid) as caught:
        services.post_review(
            buyer=buyer,
            line_id=order.lines.get().pk,
            photos=[photo(f"{n}.jpg") for n in range(7)],
            **stars(),
        )
    assert "photos" in caught.value.fields
    assert not Review.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(buyer, address, sku_a):
    order = completed_order(buyer, address, sku_a)
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(Invalid) as caught:
        services.post_review(buyer=buyer, line_id=order.lines.get().pk, photos=[fake], **stars())
    assert "photos" in caught.value.fields
    assert not Review.objects.exists() and not ReviewPhoto.objects.exists()
