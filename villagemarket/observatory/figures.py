"""Report arithmetic and the tile-grid layout of provinces (pure: no ORM)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def share_pct(part: int, whole: int) -> Decimal | None:
    """part as a percentage of whole, one decimal (None when the whole is zero)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def growth_pct(now: int, before: int | None) -> Decimal | None:
    """Year-on-year growth in percent, one decimal (None when there is nothing to grow from)."""
    if not before:
        return None
    return (Decimal(now - before) * 100 / Decimal(before)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def rank(rows: list[dict], key: str) -> list[dict]:
    """Competition ranking (1, 2, 2, 4) by `key`, largest first; rows are sorted and get a
    `rank`.
    """
    rows = sorted(rows, key=lambda r: (-r[key], r.get("code", "")))
    previous, position = None, 0
    for i, row in enumerate(rows, start=1):
        if row[key] != previous:
            position, previous = i, row[key]
        row["rank"] = position
    return rows


# A fixed tile grid (row, column) of the 31 provinces, roughly where they lie: no map download.
PROVINCE_TILES = {
    "23": (0, 7),
    "65": (1, 0),
    "15": (1, 4),
    "11": (1, 5),
    "22": (1, 7),
    "62": (2, 2),
    "64": (2, 3),
    "14": (2, 4),
    "13": (2, 5),
    "12": (2, 6),
    "21": (2, 7),
    "54": (3, 0),
    "63": (3, 1),
    "61": (3, 3),
    "41": (3, 4),
    "37": (3, 5),
    "51": (4, 2),
    "50": (4, 3),
    "42": (4, 4),
    "34": (4, 5),
    "32": (4, 6),
    "31": (4, 7),
    "53": (5, 2),
    "52": (5, 3),
    "43": (5, 4),
    "36": (5, 5),
    "33": (5, 6),
    "45": (6, 3),
    "44": (6, 4),
    "35": (6, 5),
    "46": (7, 4),
}
PROVINCE_SHORT = {
    "11": "京",
    "12": "津",
    "13": "冀",
    "14": "晋",
    "15": "蒙",
    "21": "辽",
    "22": "吉",
    "23": "黑",
    "31": "沪",
    "32": "苏",
    "33": "浙",
    "34": "皖",
    "35": "闽",
    "36": "赣",
    "37": "鲁",
    "41": "豫",
    "42": "鄂",
    "43": "湘",
    "44": "粤",
    "45": "桂",
    "46": "琼",
    "50": "渝",
    "51": "川",
    "52": "贵",
    "53": "云",
    "54": "藏",
    "61": "陕",
    "62": "甘",
    "63": "青",
    "64": "宁",
    "65": "新",
}
