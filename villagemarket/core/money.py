"""Money: integer minor units plus a currency code. The only way code handles amounts.

No floats: amounts are parsed from strings or Decimals, and split with `allocate`
so the parts always add up to the whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Minor units per currency (ISO 4217 exponent). CNY is the base currency.
EXPONENTS = {"CNY": 2, "USD": 2, "EUR": 2, "HKD": 2, "JPY": 0}
SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$", "JPY": "¥"}
BASE_CURRENCY = "CNY"
# Bounds checked before any Decimal arithmetic (see Money.parse).
MAX_AMOUNT_CHARS = 30
MAX_MINOR = 2**63 - 1  # a PostgreSQL/SQLite bigint
# ASCII digits only (re.ASCII makes \d mean [0-9]); no exponent, one optional point.
_AMOUNT_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)


class CurrencyMismatch(ValueError):
    """Raised when two amounts of different currencies are combined."""


@dataclass(frozen=True, slots=True, order=False)
class Money:
    minor: int
    currency: str = BASE_CURRENCY

    def __post_init__(self) -> None:
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise TypeError(f"Money.minor must be an int, got {type(self.minor).__name__}")
        if self.currency not in EXPONENTS:
            raise ValueError(f"unknown currency {self.currency!r}")

    # --- construction -------------------------------------------------------
    @classmethod
    def zero(cls, currency: str = BASE_CURRENCY) -> Money:
        return cls(0, currency)

    @classmethod
    def parse(cls, text: str | Decimal | int, currency: str = BASE_CURRENCY) -> Money:
        """Parse a major-unit amount such as "12.30" exactly.

        More decimals than the currency has is an error, and so is a float. The text is
        checked before any Decimal arithmetic: at most MAX_AMOUNT_CHARS characters, ASCII
        digits with an optional sign, thousands commas and one decimal point — no exponent
        ("1e999999" would otherwise hold a worker for a minute), no non-ASCII digits, and
        the result fits a database bigint.
        """
        if isinstance(text, float):
            raise TypeError("floats are not accepted for money; pass a string")
        if isinstance(text, bool):
            raise TypeError("booleans are not amounts")
        if isinstance(text, Decimal):
            if not text.is_finite():
                raise ValueError(f"{text!r} is not an amount")
            text = format(text, "f") if abs(text.adjusted()) <= MAX_AMOUNT_CHARS else "x"
        raw = str(text).strip()
        if len(raw) > MAX_AMOUNT_CHARS:
            raise ValueError(f"amounts have at most {MAX_AMOUNT_CHARS} characters")
        plain = raw.replace(",", "")
        if not _AMOUNT_RE.fullmatch(plain):
            raise ValueError(f"{raw!r} is not an amount")
        value = Decimal(plain)
        scaled = value.scaleb(EXPONENTS[currency])
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{raw!r} has more decimals than {currency} allows")
        minor = int(scaled)
        if abs(minor) > MAX_MINOR:
            raise ValueError(f"{raw!r} is too large an amount")
        return cls(minor, currency)

    # --- arithmetic -----------------------------------------------------------
    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError("can only combine Money with Money")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __mul__(self, factor: int) -> Money:
        if not isinstance(factor, int) or isinstance(factor, bool):
            raise TypeError("Money can only be multiplied by an int")
        return Money(self.minor * factor, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.minor <= other.minor

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor > other.minor

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.minor >= other.minor

    def __bool__(self) -> bool:
        return self.minor != 0

    def is_zero(self) -> bool:
        return self.minor == 0

    def rate(self, basis_points: int) -> Money:
        """This amount times basis_points/10000, rounded half up to the minor unit."""
        value = (Decimal(self.minor) * basis_points / Decimal(10000)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
        return Money(int(value), self.currency)

    def allocate(self, weights: list[int]) -> list[Money]:
        """Split into parts proportional to weights; the parts always sum to this amount.

        Leftover minor units go to the first parts (largest-remainder rule on integer weights).
        """
        if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
            raise ValueError("weights must be non-negative and not all zero")
        total = sum(weights)
        parts = [self.minor * w // total for w in weights]
        remainders = sorted(
            range(len(weights)), key=lambda i: (self.minor * weights[i]) % total, reverse=True
        )
        for i in remainders[: self.minor - sum(parts)]:
            parts[i] += 1
        return [Money(p, self.currency) for p in parts]

    # --- display ------------------------------------------------------------------
    @property
    def amount(self) -> Decimal:
        return Decimal(self.minor).scaleb(-EXPONENTS[self.currency])

    def format(self) -> str:
        exp = EXPONENTS[self.currency]
        return f"{SYMBOLS.get(self.currency, '')}{self.amount:,.{exp}f}"

    def __str__(self) -> str:
        return self.format()
