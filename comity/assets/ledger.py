"""The ledger: traced, frozen or seized, confiscated, realised, returned or shared; in counts
and totals, per case, per pair of states and for the region (docs/assets.md).

Each asset counts in every stage it reached (a cumulative pipeline): an account that was
frozen and then confiscated counts as frozen and as confiscated. The amount of a stage is
- traced: the estimated value;
- frozen: the amount executed by the latest freezing or seizure order in effect or lifted
  (what was actually found), else the estimated value;
- confiscated: the amount of the latest executed confiscation order, else the frozen amount,
  else the estimated value;
- realised: the amounts of the executed disposal orders;
- returned or shared: the net amounts transferred under agreements.
Amounts stay in their currency; the totals convert each row once (comity/assets/money.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from comity.assets.models import Asset, Execution, Order, OrderKind, Transfer
from comity.assets.money import Converted, RateBook, Total

STAGES: tuple[str, ...] = ("traced", "frozen", "confiscated", "realised", "returned")
DONE = (Execution.EXECUTED, Execution.PARTIAL, Execution.LIFTED)
RESTRAINT = (OrderKind.FREEZING, OrderKind.SEIZURE)

Money = tuple[Decimal, str]


@dataclass
class Entry:
    amount: Decimal | None
    currency: str
    converted: Converted | None = None


@dataclass
class Row:
    asset: Asset
    stages: dict[str, list[Entry]]

    def reached(self, stage: str) -> bool:
        return bool(self.stages.get(stage))


@dataclass
class Ledger:
    reporting: str
    as_of: datetime.date
    rows: list[Row] = field(default_factory=list)
    totals: dict[str, Total] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return all(total.complete for total in self.totals.values())

    @property
    def sample_rates(self) -> bool:
        return any(rate.sample for total in self.totals.values() for rate in total.rates.values())

    def rates_used(self) -> list[object]:
        seen: dict[str, object] = {}
        for total in self.totals.values():
            for code, rate in total.rates.items():
                seen.setdefault(code, rate)
        return [seen[code] for code in sorted(seen)]


def with_ledger_data(assets: QuerySet[Asset]) -> QuerySet[Asset]:
    """The asset rows with what the ledger reads, in a fixed number of queries."""
    return assets.select_related(
        "case__authority__state", "location_state", "request"
    ).prefetch_related(
        Prefetch("orders", queryset=Order.objects.order_by("order_date", "id")),
        Prefetch("transfers", queryset=Transfer.objects.order_by("transferred_on", "id")),
    )


def _estimate(asset: Asset) -> Money | None:
    if asset.estimated_value is None or not asset.currency:
        return None
    return (Decimal(asset.estimated_value), asset.currency)


def _latest(orders: list[Order], kinds: Iterable[str]) -> Order | None:
    wanted = set(kinds)
    found = [o for o in orders if o.kind in wanted and o.execution in DONE]
    return found[-1] if found else None


def _order_money(order: Order) -> Money | None:
    if order.amount is None or not order.currency:
        return None
    return (Decimal(order.amount), order.currency)


def stage_amounts(asset: Asset) -> dict[str, list[Money | None]]:
    """The asset's amounts by stage (None: the stage was reached with no amount known)."""
    orders = list(asset.orders.all())
    estimate = _estimate(asset)
    result: dict[str, list[Money | None]] = {"traced": [estimate]}
    frozen_order = _latest(orders, RESTRAINT)
    frozen: Money | None = None
    if frozen_order is not None:
        frozen = _order_money(frozen_order) or estimate
        result["frozen"] = [frozen]
    confiscation = _latest(
        [o for o in orders if o.execution != Execution.LIFTED], [OrderKind.CONFISCATION]
    )
    if confiscation is not None:
        result["confiscated"] = [_order_money(confiscation) or frozen or estimate]
    disposals = [
        _order_money(o)
        for o in orders
        if o.kind == OrderKind.DISPOSAL and o.execution in (Execution.EXECUTED, Execution.PARTIAL)
    ]
    if disposals:
        result["realised"] = list(disposals)
    transfers = [(Decimal(t.net_amount), t.currency) for t in asset.transfers.all()]
    if transfers:
        result["returned"] = list(transfers)
    return result


def build_ledger(
    assets: Iterable[Asset], *, reporting: str, as_of: datetime.date, book: RateBook | None = None
) -> Ledger:
    rates = book or RateBook(on=as_of)
    ledger = Ledger(reporting=reporting.upper(), as_of=as_of)
    ledger.totals = {stage: Total(reporting=ledger.reporting) for stage in STAGES}
    for asset in assets:
        stages: dict[str, list[Entry]] = {}
        for stage, amounts in stage_amounts(asset).items():
            total = ledger.totals[stage]
            total.count += 1
            entries: list[Entry] = []
            for money in amounts:
                if money is None:
                    entries.append(Entry(amount=None, currency=""))
                    continue
                converted = total.add(money[0], money[1], rates)
                entries.append(Entry(amount=money[0], currency=money[1], converted=converted))
            stages[stage] = entries
        ledger.rows.append(Row(asset=asset, stages=stages))
    return ledger


@dataclass
class Group:
    key: str
    label: str
    ledger: Ledger


def ledger_by_pair(
    assets: Iterable[Asset], *, reporting: str, as_of: datetime.date
) -> tuple[Ledger, list[Group]]:
    """The whole ledger and one per (requesting state, state where the asset is)."""
    items = list(assets)
    book = RateBook(on=as_of)
    groups: dict[str, list[Asset]] = {}
    labels: dict[str, str] = {}
    for asset in items:
        origin = asset.case.authority.state
        key = f"{origin.iso3}-{asset.location_state.iso3}"
        groups.setdefault(key, []).append(asset)
        labels[key] = f"{origin.iso3} → {asset.location_state.iso3}"
    whole = build_ledger(items, reporting=reporting, as_of=as_of, book=book)
    return whole, [
        Group(
            key=key,
            label=labels[key],
            ledger=build_ledger(groups[key], reporting=reporting, as_of=as_of, book=book),
        )
        for key in sorted(groups)
    ]
