"""Uploaded images: type and size checked, re-encoded (which drops EXIF/GPS metadata), random names.

Only the decoded pixels survive re-encoding, so a JPEG's EXIF block, a PNG's text chunks or
anything appended after the image data never reaches storage.
"""

from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from villagemarket.core.errors import Invalid

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_SIDE = 1600


def _too_many_pixels(field: str) -> Invalid:
    return Invalid(_("The image has too many pixels."), fields={field: [_("too many pixels")]})


def process_upload(
    upload, *, field: str = "image", max_side: int = MAX_SIDE
) -> tuple[ContentFile, int, int]:
    """Validate and re-encode an uploaded image. Returns (file with a random name, width, height).

    Raises Invalid naming `field` when the file is too large, not an image, or of a refused type.
    """
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > settings.IMAGE_MAX_BYTES:
        limit_mb = settings.IMAGE_MAX_BYTES // (1024 * 1024)
        raise Invalid(
            _("The image is too large (at most %(mb)s MB).") % {"mb": limit_mb},
            fields={field: [_("too large")]},
        )
    upload.seek(0)
    data = upload.read()
    Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
    not_an_image = Invalid(
        _("The file is not a readable image."), fields={field: [_("not an image")]}
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            pixels = probe.size[0] * probe.size[1]
            probe.verify()
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(field) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise not_an_image from exc
    if kind not in ACCEPTED_FORMATS:
        raise Invalid(
            _("Images must be JPEG, PNG, WebP or GIF."),
            fields={field: [_("unsupported type %s") % kind]},
        )
    # Pillow only refuses at twice its limit (and merely warns below that): refuse at the limit,
    # before decoding, so a small file cannot expand into gigabytes of pixels.
    if pixels > settings.IMAGE_MAX_PIXELS:
        raise _too_many_pixels(field)
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(field) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise not_an_image from exc
    image = ImageOps.exif_transpose(image)  # keep the visible orientation once EXIF is gone
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    if has_alpha:
        image.save(out, format="PNG", optimize=True)
        ext = "png"
    else:
        image.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
        ext = "jpg"
    name = f"{secrets.token_hex(16)}.{ext}"
    return ContentFile(out.getvalue(), name=name), image.width, image.height
