"""Money: ISO 4217 currencies, rounding to their minor units, and conversion from the
coordinators' exchange-rate table. Decimal arithmetic only, never floats.

Rules (docs/assets.md):
- An amount is kept in its own currency, exactly as entered.
- A converted amount is ``amount x rate`` rounded once to the reporting currency's minor
  units, half to even (the rule of IEEE 754 and of most accounting systems: no drift upwards
  when many amounts are summed).
- A total in the reporting currency is the sum of the rounded converted amounts, so that
  every figure of a total can be traced to the row it came from.
- The rate used is the latest one on or before the reporting date: direct (C to R), else the
  inverse of R to C, else through one bridge currency (US dollar first) both have a rate to.
  No rate, no conversion: the amount stays listed apart, never invented.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

import pycountry
from django.utils import translation

from comity.assets.models import ExchangeRate

# ISO 4217 list one: the currencies whose minor unit is not 2 (all others have 2).
_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_FOUR = "CLF UYW"
_MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(_ZERO.split(), 0),
    **dict.fromkeys(_THREE.split(), 3),
    **dict.fromkeys(_FOUR.split(), 4),
}
# Codes in ISO 4217 that are not money one can hold: funds codes, precious metals, testing.
_NOT_MONEY = frozenset(
    ["XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"]
)

BRIDGES = ("USD", "EUR", "RUB")


def is_currency(code: str) -> bool:
    code = (code or "").strip().upper()
    return (
        len(code) == 3
        and code not in _NOT_MONEY
        and pycountry.currencies.get(alpha_3=code) is not None
    )


def minor_units(code: str) -> int:
    return _MINOR_UNITS.get(code.upper(), 2)


def quantum(code: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(code))


def round_money(amount: Decimal, code: str) -> Decimal:
    return amount.quantize(quantum(code), rounding=ROUND_HALF_EVEN)


def currency_name(code: str, language: str | None = None) -> str:
    """The currency's name in the active (or given) language, from the ISO 4217 names that
    pycountry carries with their translations; the code itself when unknown."""
    found = pycountry.currencies.get(alpha_3=(code or "").upper())
    if found is None:
        return code
    lang = (language or translation.get_language() or "en").split("-")[0]
    if lang == "en":
        return str(found.name)
    import gettext

    try:
        catalogue = gettext.translation("iso4217", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return str(found.name)
    return catalogue.gettext(str(found.name))


def currency_choices() -> list[tuple[str, str]]:
    """(code, "code: name") for every ISO 4217 currency one can hold, by code."""
    rows = [
        (str(c.alpha_3), f"{c.alpha_3}: {currency_name(str(c.alpha_3))}")
        for c in pycountry.currencies
        if str(c.alpha_3) not in _NOT_MONEY
    ]
    return sorted(rows)


@dataclass(frozen=True)
class Rate:
    """How one unit of ``currency`` converts into ``quote`` and what it rests on."""

    currency: str
    quote: str
    rate: Decimal
    rate_date: datetime.date  # the oldest of the rates it is made of
    sources: tuple[str, ...]
    sample: bool
    path: tuple[str, ...]  # e.g. ("KGS", "USD", "KZT") for a rate through the US dollar


class RateBook:
    """The rates on or before one day, loaded once: a ledger converts hundreds of rows."""

    def __init__(self, *, on: datetime.date, rows: Iterable[ExchangeRate] | None = None) -> None:
        self.on = on
        latest: dict[tuple[str, str], ExchangeRate] = {}
        source = (
            rows
            if rows is not None
            else ExchangeRate.objects.filter(rate_date__lte=on).order_by("rate_date", "id")
        )
        for row in source:
            if row.rate_date > on:
                continue
            key = (row.currency, row.quote)
            if key not in latest or latest[key].rate_date <= row.rate_date:
                latest[key] = row
        self._latest = latest
        self._cache: dict[tuple[str, str], Rate | None] = {}

    def _single(self, currency: str, quote: str) -> Rate | None:
        direct = self._latest.get((currency, quote))
        if direct is not None:
            return Rate(
                currency,
                quote,
                Decimal(direct.rate),
                direct.rate_date,
                (direct.source,),
                direct.sample,
                (currency, quote),
            )
        inverse = self._latest.get((quote, currency))
        if inverse is not None:
            return Rate(
                currency,
                quote,
                Decimal(1) / Decimal(inverse.rate),
                inverse.rate_date,
                (inverse.source,),
                inverse.sample,
                (currency, quote),
            )
        return None

    def rate(self, currency: str, quote: str) -> Rate | None:
        currency, quote = currency.upper(), quote.upper()
        key = (currency, quote)
        if key in self._cache:
            return self._cache[key]
        found: Rate | None
        if currency == quote:
            found = Rate(currency, quote, Decimal(1), self.on, (), False, (currency,))
        else:
            found = self._single(currency, quote)
            if found is None:
                for bridge in BRIDGES:
                    if bridge in (currency, quote):
                        continue
                    first = self._single(currency, bridge)
                    second = self._single(bridge, quote)
                    if first is not None and second is not None:
                        found = Rate(
                            currency,
                            quote,
                            first.rate * second.rate,
                            min(first.rate_date, second.rate_date),
                            first.sources + second.sources,
                            first.sample or second.sample,
                            (currency, bridge, quote),
                        )
                        break
        self._cache[key] = found
        return found

    def convert(self, amount: Decimal, currency: str, quote: str) -> Converted | None:
        found = self.rate(currency, quote)
        if found is None:
            return None
        return Converted(
            amount=round_money(amount * found.rate, quote), currency=quote.upper(), rate=found
        )


@dataclass(frozen=True)
class Converted:
    amount: Decimal
    currency: str
    rate: Rate


@dataclass
class Total:
    """Amounts in their own currencies, and their sum in the reporting currency."""

    reporting: str
    by_currency: dict[str, Decimal] = field(default_factory=dict)
    converted: Decimal = Decimal(0)
    unconverted: dict[str, Decimal] = field(default_factory=dict)
    rates: dict[str, Rate] = field(default_factory=dict)
    count: int = 0

    def add(self, amount: Decimal | None, currency: str, book: RateBook) -> Converted | None:
        if amount is None or not currency:
            return None
        code = currency.upper()
        self.by_currency[code] = self.by_currency.get(code, Decimal(0)) + amount
        converted = book.convert(amount, code, self.reporting)
        if converted is None:
            self.unconverted[code] = self.unconverted.get(code, Decimal(0)) + amount
            return None
        self.converted += converted.amount
        if code != self.reporting:
            self.rates[code] = converted.rate
        return converted

    @property
    def complete(self) -> bool:
        return not self.unconverted
