"""Money: ISO 4217 codes, rounding to minor units half to even, conversion from the rate
table (direct, inverse, through a bridge currency), and no invented rates."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from comity.assets.models import ExchangeRate
from comity.assets.money import (
    RateBook,
    Total,
    currency_name,
    is_currency,
    minor_units,
    round_money,
)

DAY = datetime.date(2026, 11, 27)


def _rate(currency: str, quote: str, value: str, day: datetime.date = DAY) -> ExchangeRate:
    return ExchangeRate(
        currency=currency,
        quote=quote,
        rate=Decimal(value),
        rate_date=day,
        source=f"src {currency}/{quote}",
    )


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("USD", True),
        ("kzt", True),
        ("KGS", True),
        ("IRR", True),
        ("AFN", True),
        ("XAU", False),
        ("XXX", False),
        ("ABC", False),
        ("US", False),
        ("", False),
    ],
)
def test_iso_4217_codes(code: str, valid: bool) -> None:
    assert is_currency(code) is valid


def test_minor_units_follow_iso_4217() -> None:
    assert (minor_units("USD"), minor_units("JPY"), minor_units("KWD"), minor_units("IRR")) == (
        2,
        0,
        3,
        2,
    )


@pytest.mark.parametrize(
    ("amount", "code", "expected"),
    [
        ("2.345", "USD", "2.34"),
        ("2.355", "USD", "2.36"),
        ("0.125", "KZT", "0.12"),
        ("2.5", "JPY", "2"),
        ("3.5", "JPY", "4"),
        ("1.23456", "KWD", "1.235"),
        ("-2.345", "USD", "-2.34"),
    ],
)
def test_rounding_is_half_to_even_at_the_minor_unit(amount: str, code: str, expected: str) -> None:
    assert round_money(Decimal(amount), code) == Decimal(expected)
    assert str(round_money(Decimal(amount), code)) == expected


def test_direct_inverse_and_bridged_rates() -> None:
    book = RateBook(
        on=DAY,
        rows=[
            _rate("USD", "KZT", "500"),
            _rate("KGS", "USD", "0.0115"),
            _rate("EUR", "USD", "1.08"),
        ],
    )
    direct = book.convert(Decimal("10"), "USD", "KZT")
    assert direct is not None and direct.amount == Decimal("5000.00")
    inverse = book.convert(Decimal("1000"), "KZT", "USD")
    assert inverse is not None and inverse.amount == Decimal("2.00")
    bridged = book.convert(Decimal("1000"), "KGS", "KZT")  # 1000 * 0.0115 * 500
    assert bridged is not None
    assert bridged.amount == Decimal("5750.00")
    assert bridged.rate.path == ("KGS", "USD", "KZT")
    assert bridged.rate.sources == ("src KGS/USD", "src USD/KZT")


def test_latest_rate_on_or_before_the_day_and_none_after() -> None:
    rows = [
        _rate("USD", "KZT", "480", datetime.date(2026, 11, 1)),
        _rate("USD", "KZT", "500", datetime.date(2026, 11, 20)),
        _rate("USD", "KZT", "999", datetime.date(2026, 11, 28)),
    ]
    found = RateBook(on=DAY, rows=rows).rate("USD", "KZT")
    assert found is not None
    assert (found.rate, found.rate_date) == (Decimal("500"), datetime.date(2026, 11, 20))
    assert RateBook(on=datetime.date(2026, 10, 1), rows=rows).rate("USD", "KZT") is None


def test_a_missing_rate_is_never_invented() -> None:
    book = RateBook(on=DAY, rows=[_rate("USD", "KZT", "500")])
    assert book.convert(Decimal("100"), "TJS", "USD") is None
    total = Total(reporting="USD")
    total.add(Decimal("100"), "TJS", book)
    total.add(Decimal("5000"), "KZT", book)
    assert total.converted == Decimal("10.00")
    assert total.unconverted == {"TJS": Decimal("100")}
    assert not total.complete
    assert total.by_currency == {"TJS": Decimal("100"), "KZT": Decimal("5000")}


def test_a_total_is_the_sum_of_the_rounded_rows() -> None:
    # 3 x 0.005 USD in KZT: each rounds to 0.00 (half to even at 2.5 -> 2), not 0.015 -> 0.02.
    book = RateBook(on=DAY, rows=[_rate("KZT", "USD", "0.001")])
    total = Total(reporting="USD")
    for _ in range(3):
        converted = total.add(Decimal("5"), "KZT", book)
        assert converted is not None and converted.amount == Decimal("0.00")
    assert total.converted == Decimal("0.00")


@pytest.mark.django_db
def test_the_book_reads_the_table() -> None:
    ExchangeRate.objects.create(
        currency="USD",
        quote="KGS",
        rate=Decimal("87.45"),
        rate_date=DAY,
        source="National Bank",
        sample=True,
    )
    found = RateBook(on=DAY).rate("KGS", "USD")
    assert found is not None and found.sample
    assert found.rate == Decimal(1) / Decimal("87.45")


def test_currency_names_in_the_reader_language() -> None:
    assert currency_name("KZT", "en") == "Tenge"
    assert currency_name("USD", "ru") not in ("", "US Dollar")
    assert currency_name("ZZZ", "ru") == "ZZZ"
