"""Percentiles: linear interpolation between order statistics, exact, on any engine."""

from __future__ import annotations

import statistics
from decimal import Decimal
from fractions import Fraction

import pytest

from comity.stats import percentiles
from comity.stats.models import RequestFact
from comity.stats.percentiles import MEDIAN, P90, days, quantile
from tests.personas import Personas

from .helpers import T0, Clock, hours, submit


@pytest.mark.parametrize(
    ("values", "median", "p90"),
    [
        ([], None, None),
        ([7], Fraction(7), Fraction(7)),
        ([10, 20], Fraction(15), Fraction(19)),  # p90: 10 + 0.9 * 10
        ([10, 20, 20, 50], Fraction(20), Fraction(41)),  # ties; p90: 20 + 0.7 * 30
        ([10, 20, 20, 30, 50], Fraction(20), Fraction(42)),  # odd; p90: 30 + 0.6 * 20
        ([100, 274, 500], Fraction(274), Fraction(2274, 5)),  # 274 + 0.8 * 226 = 454.8
        ([5, 5, 5, 5, 5, 5], Fraction(5), Fraction(5)),
    ],
)
def test_quantiles_interpolate_between_order_statistics(
    values: list[int], median: Fraction | None, p90: Fraction | None
) -> None:
    assert quantile(values, MEDIAN) == median
    assert quantile(values, P90) == p90
    if len(values) >= 2:  # the same rule as Python's "inclusive" method
        cuts = statistics.quantiles(values, n=10, method="inclusive")
        assert float(p90 or 0) == pytest.approx(cuts[8])
        assert float(median or 0) == pytest.approx(cuts[4])


def test_days_are_hours_over_24_rounded_half_up_to_a_tenth() -> None:
    assert days(Fraction(2274, 5)) == Decimal("19.0")  # 454.8 h = 18.95 days
    assert days(Fraction(42)) == Decimal("1.8")  # 1.75
    assert days(Fraction(20)) == Decimal("0.8")  # 0.8333
    assert days(None) is None


@pytest.mark.django_db
def test_the_database_finds_the_same_order_statistics_per_group(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hours to acknowledgement per type, with ties, odd and even counts and an empty group,
    computed by the database (grouped) and by plain Python (quantile)."""
    clock = Clock(monkeypatch)
    officer = personas.requesting_officer
    samples: dict[str, list[int]] = {
        "mla": [10, 20, 20, 50],
        "extradition": [3, 8, 8, 8, 40],
        "seizure": [],
    }
    for kind, values in samples.items():
        given: list[int | None] = list(values) or [None]
        for value in given:
            request = submit(clock, officer, T0, type=kind)
            if value is not None:
                RequestFact.objects.filter(request=request).update(hours_to_ack=value)
    found = percentiles.grouped(RequestFact.objects.all(), "hours_to_ack", ["type"])
    assert set(found) == {("mla",), ("extradition",)}  # no durations: no group
    for kind in ("mla", "extradition"):
        group = found[(kind,)]
        assert group.n == len(samples[kind])
        assert group.quantile(MEDIAN) == quantile(samples[kind], MEDIAN)
        assert group.quantile(P90) == quantile(samples[kind], P90)
        assert len(group.runs) <= 4  # only the rows the percentiles fall on came back
    whole = percentiles.grouped(RequestFact.objects.all(), "hours_to_ack")[()]
    every = samples["mla"] + samples["extradition"]
    assert whole.n == 9
    assert whole.quantile(P90) == quantile(every, P90)
    assert percentiles.grouped(RequestFact.objects.none(), "hours_to_ack") == {}
    assert hours(1).total_seconds() == 3600
