"""The ledger as the pages show it: one row of cells per state pair (or per case), each cell
a stage's count and converted total with the link to the assets behind it."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from comity.assets.ledger import STAGES, Entry, Ledger, Row
from comity.assets.models import ExchangeRate
from comity.assets.money import Rate, Total, is_currency

DEFAULT_REPORTING = "USD"
# Offered as reporting currencies even before the table has a rate for them.
ALWAYS_OFFERED = ("USD", "EUR")

STAGE_LABELS: dict[str, Promise] = {
    "traced": _("Traced"),
    "frozen": _("Frozen or seized"),
    "confiscated": _("Confiscated"),
    "realised": _("Realised"),
    "returned": _("Returned or shared"),
}


@dataclass(frozen=True)
class Cell:
    stage: str
    total: Total
    url: str


@dataclass(frozen=True)
class LedgerLine:
    key: str
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class StageAmounts:
    """One stage's amounts in a currency, for the table by original currency."""

    currency: str
    amounts: list[Decimal | None]


@dataclass(frozen=True)
class Unconverted:
    stage: str
    label: Promise
    amounts: list[tuple[str, Decimal]]


@dataclass(frozen=True)
class DrillRow:
    row: Row
    entries: list[Entry]


@dataclass(frozen=True)
class LedgerView:
    """What the ledger templates read."""

    ledger: Ledger
    lines: list[LedgerLine]
    whole: LedgerLine
    by_currency: list[StageAmounts]
    unconverted: list[Unconverted]
    rates: list[Rate]

    @property
    def stages(self) -> list[tuple[str, Promise]]:
        return [(stage, STAGE_LABELS[stage]) for stage in STAGES]


def reporting_choices(chosen: str) -> list[str]:
    codes = set(ALWAYS_OFFERED) | {chosen}
    for currency, quote in ExchangeRate.objects.values_list("currency", "quote").distinct():
        codes.update((currency, quote))
    return sorted(code for code in codes if is_currency(code))


def query(
    *, reporting: str, as_of: datetime.date, pair: str = "", stage: str = "", anchor: str = ""
) -> str:
    params = {"currency": reporting, "as_of": as_of.isoformat()}
    if pair:
        params["pair"] = pair
    if stage:
        params["stage"] = stage
    return f"?{urlencode(params)}{anchor}"


def line(ledger: Ledger, *, key: str, label: str, as_of: datetime.date) -> LedgerLine:
    return LedgerLine(
        key=key,
        label=label,
        cells=[
            Cell(
                stage=stage,
                total=ledger.totals[stage],
                url=query(
                    reporting=ledger.reporting,
                    as_of=as_of,
                    pair=key,
                    stage=stage,
                    anchor="#drill",
                ),
            )
            for stage in STAGES
        ],
    )


def ledger_view(ledger: Ledger, lines: Sequence[LedgerLine], whole: LedgerLine) -> LedgerView:
    codes = sorted({code for total in ledger.totals.values() for code in total.by_currency})
    return LedgerView(
        ledger=ledger,
        lines=list(lines),
        whole=whole,
        by_currency=[
            StageAmounts(
                currency=code,
                amounts=[ledger.totals[stage].by_currency.get(code) for stage in STAGES],
            )
            for code in codes
        ],
        unconverted=[
            Unconverted(
                stage=stage,
                label=STAGE_LABELS[stage],
                amounts=sorted(ledger.totals[stage].unconverted.items()),
            )
            for stage in STAGES
            if ledger.totals[stage].unconverted
        ],
        rates=[rate for rate in ledger.rates_used() if isinstance(rate, Rate)],
    )


def drill_rows(ledger: Ledger, stage: str) -> list[DrillRow]:
    """The assets behind one stage's figure, with the amounts that made it."""
    return [DrillRow(row, row.stages[stage]) for row in ledger.rows if row.reached(stage)]
