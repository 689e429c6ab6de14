"""Uploaded images: only real images, re-encoded without metadata, random names, at most 10."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from villagemarket.catalog import services
from villagemarket.catalog.models import ProductImage
from villagemarket.core.errors import Invalid

from .conftest import jpeg_bytes, upload


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    gps = {1: "N", 2: (35.0, 10.0, 0.0), 3: "E", 4: (115.0, 30.0, 0.0)}
    exif[0x8825] = gps
    return jpeg_bytes(size=(80, 60), exif=exif.tobytes())


def png_bomb(side: int = 10_000) -> bytes:
    """A tiny PNG that claims side x side pixels (most of them never written)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (side + 1) * 4)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def test_exif_and_gps_are_stripped_and_name_is_random(alice, alice_product):
    assert Image.open(io.BytesIO(jpeg_with_gps())).getexif().get(0x8825)  # given: GPS is there
    image = services.add_image(alice, alice_product.pk, upload(jpeg_with_gps(), "my-home.jpg"))
    with image.image.open("rb") as stored:
        data = stored.read()
    reopened = Image.open(io.BytesIO(data))
    assert not reopened.getexif() and b"SpyCam" not in data and b"Exif" not in data
    assert "my-home" not in image.image.name and len(image.image.name.split("/")[-1]) >= 32
    second = services.add_image(alice, alice_product.pk, upload(jpeg_with_gps(), "my-home.jpg"))
    assert second.image.name != image.image.name


@pytest.mark.parametrize(
    "data, name, reason",
    [
        (b"just text", "a.jpg", "not an image"),
        (b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF", "scan.jpg", "not an image"),
        (jpeg_bytes()[:200], "truncated.jpg", "not an image"),
    ],
)
def test_files_that_are_not_images_are_refused(alice, alice_product, data, name, reason):
    before = ProductImage.objects.count()
    with pytest.raises(Invalid) as refused:
        services.add_image(alice, alice_product.pk, upload(data, name))
    assert reason in refused.value.fields["image"][0]
    assert ProductImage.objects.count() == before


def test_unsupported_image_type_is_refused(alice, alice_product):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="BMP")
    with pytest.raises(Invalid) as refused:
        services.add_image(alice, alice_product.pk, upload(out.getvalue(), "x.jpg"))
    assert "BMP" in refused.value.fields["image"][0]


def test_too_large_file_is_refused(alice, alice_product, settings):
    settings.IMAGE_MAX_BYTES = 1000
    with pytest.raises(Invalid) as refused:
        services.add_image(
            alice, alice_product.pk, upload(jpeg_bytes(size=(400, 400), quality=100))
        )
    assert refused.value.fields == {"image": ["too large"]}


def test_decompression_bomb_is_refused_before_decoding(alice, alice_product):
    bomb = png_bomb()
    assert len(bomb) < 200_000  # a small file claiming 100 million pixels
    with pytest.raises(Invalid) as refused:
        services.add_image(alice, alice_product.pk, upload(bomb, "bomb.png", "image/png"))
    assert refused.value.fields == {"image": ["too many pixels"]}


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_bomb_between_the_limit_and_pillows_own_limit_is_refused(alice, alice_product, settings):
    settings.IMAGE_MAX_PIXELS = 50 * 50  # Pillow alone would only warn at 2x this
    with pytest.raises(Invalid):
        services.add_image(alice, alice_product.pk, upload(jpeg_bytes(size=(60, 60))))


def test_large_photos_are_scaled_down(alice, alice_product):
    image = services.add_image(alice, alice_product.pk, upload(jpeg_bytes(size=(3000, 1500))))
    assert (image.width, image.height) == (1600, 800)


def test_at_most_ten_images(alice, alice_product):
    for _ in range(9):  # alice_product already has one
        services.add_image(alice, alice_product.pk, upload())
    with pytest.raises(Invalid) as refused:
        services.add_image(alice, alice_product.pk, upload())
    assert "image" in refused.value.fields
    assert alice_product.images.count() == 10


def test_reorder_needs_every_image_once(alice, alice_product):
    second = services.add_image(alice, alice_product.pk, upload())
    first = alice_product.images.exclude(pk=second.pk).get()
    with pytest.raises(Invalid):
        services.reorder_images(alice, alice_product.pk, [second.pk])
    services.reorder_images(alice, alice_product.pk, [second.pk, first.pk])
    assert list(alice_product.images.values_list("pk", flat=True)) == [second.pk, first.pk]


def test_removed_image_file_is_deleted_after_commit(
    alice, alice_product, django_capture_on_commit_callbacks
):
    image = services.add_image(alice, alice_product.pk, upload())
    storage, name = image.image.storage, image.image.name
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_image(alice, alice_product.pk, image.pk)
    assert not storage.exists(name)
