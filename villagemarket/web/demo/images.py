"""Product pictures drawn locally with Pillow: category colour, a simple motif, one character.

Files are pooled by (category, character, variant) and written once straight into MEDIA_ROOT,
so 600 products need ~150 small JPEGs and a second run writes none.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

SIZE = 480
FOLDER = "demo"
FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]


@cache
def _font(size: int):
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return None  # no CJK font: the picture keeps its motif only


def _mix(colour, other, t: float):
    return tuple(int(a + (b - a) * t) for a, b in zip(colour, other, strict=True))


def draw(colour: tuple[int, int, int], char: str, variant: int) -> Image.Image:
    """A soft background in the category colour, circles as a motif, the character in white."""
    img = Image.new("RGB", (SIZE, SIZE), _mix(colour, (255, 255, 255), 0.78))
    d = ImageDraw.Draw(img)
    for i in range(4):
        r = 60 + 40 * ((i + variant) % 4)
        cx, cy = (90 + 110 * i + 37 * variant) % SIZE, (70 + 150 * ((i * 3 + variant) % 3)) % SIZE
        d.ellipse(
            (cx - r, cy - r, cx + r, cy + r), fill=_mix(colour, (255, 255, 255), 0.55 + 0.1 * i)
        )
    d.rounded_rectangle((110, 110, 370, 370), radius=48, fill=colour)
    font = _font(170)
    if font is not None and char:
        d.text((SIZE / 2, SIZE / 2), char, font=font, fill=(255, 255, 255), anchor="mm")
    return img


def image_name(category: str, char: str, variant: int) -> str:
    """The pooled file (relative to MEDIA_ROOT) for this look, drawn on first use."""
    name = f"{FOLDER}/{category}-{ord(char[:1] or 'x'):x}-{variant}.jpg"
    path = Path(settings.MEDIA_ROOT) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        from .data import CATEGORIES

        colour = next((c[3] for c in CATEGORIES if c[0] == category), (120, 120, 120))
        draw(colour, char, variant).save(path, "JPEG", quality=70, optimize=True)
    return name
