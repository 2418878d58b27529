"""The statistics of cooperation: the one public entry to them (docs/stats.md).

``scope_for(user)`` says what a user may see (decided in comity.policy), ``Filters`` what
they asked for, and ``dashboard(scope, filters)`` computes every table from the facts table
(comity.stats.models.RequestFact), the extract requests and the asset ledger. The pages,
the exports and the API use only this module.

Two scopes: a central authority sees its own requests, outgoing and incoming; a coordinator
of the network sees aggregates over every state, with small cells suppressed
(comity.stats.suppression) and nothing of any one request.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comity import policy
from comity.cooperation.lifecycle import RefusalGround
from comity.cooperation.models import RequestType
from comity.directory.models import State
from comity.stats import columnar, percentiles
from comity.stats.models import RequestFact
from comity.stats.passes import Pass, one_pass
from comity.stats.percentiles import Group
from comity.stats.relation import Branch, Relation
from comity.stats.suppression import CellKey, Plan, suppressed_cells

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import _StrPromise

    from comity.accounts.models import User

DIRECTIONS = ("both", "outgoing", "incoming")
OUTGOING, INCOMING = "outgoing", "incoming"
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
REPORTING_CURRENCY = "USD"

# Day buckets of the distributions and of the backlog: (key, first day, last day or None).
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("d0_7", 0, 7),
    ("d8_30", 8, 30),
    ("d31_90", 31, 90),
    ("d91_180", 91, 180),
    ("d181_365", 181, 365),
    ("d366", 366, None),
)
BUCKET_LABELS: dict[str, _StrPromise] = {
    "d0_7": gettext_lazy("0–7 days"),
    "d8_30": gettext_lazy("8–30 days"),
    "d31_90": gettext_lazy("31–90 days"),
    "d91_180": gettext_lazy("91–180 days"),
    "d181_365": gettext_lazy("181–365 days"),
    "d366": gettext_lazy("over 365 days"),
}
# The steps of a request, each a duration column of the facts.
STEPS: tuple[tuple[str, str, _StrPromise], ...] = (
    ("acknowledgement", "hours_to_ack", gettext_lazy("Submitted → acknowledged")),
    ("execution", "hours_ack_to_execution", gettext_lazy("Acknowledged → in execution")),
    ("completion", "hours_execution_to_done", gettext_lazy("In execution → executed")),
    ("total", "hours_to_done", gettext_lazy("Submitted → executed or refused")),
)
INFO_ROUNDS: tuple[tuple[str, int, int | None], ...] = (
    ("0", 0, 0),
    ("1", 1, 1),
    ("2", 2, 2),
    ("3+", 3, None),
)


# ---------------------------------------------------------------------------- the contract


class QueryLike(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...
    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class Filters:
    start: datetime.date | None = None  # submitted on or after (inclusive)
    end: datetime.date | None = None  # submitted on or before (inclusive)
    types: tuple[str, ...] = ()
    counterpart: str | None = None  # ISO 3166 alpha-3
    instrument: str | None = None  # treaties.Instrument code
    offence: str | None = None  # ICCS section: two digits
    direction: str = "both"  # "outgoing" | "incoming" | "both" (an authority's requests)

    @classmethod
    def from_query(cls, query: QueryLike) -> tuple[Filters, dict[str, list[str]]]:
        """Filters from GET parameters: start, end, type (repeatable), counterpart,
        instrument, offence, direction. Invalid values are left out and reported."""
        types = [t for value in query.getlist("type") for t in value.split(",") if t.strip()]
        return cls.parse(
            start=query.get("start") or "",
            end=query.get("end") or "",
            types=types,
            counterpart=query.get("counterpart") or "",
            instrument=query.get("instrument") or "",
            offence=query.get("offence") or "",
            direction=query.get("direction") or "",
        )

    @classmethod
    def parse(
        cls,
        *,
        start: str | datetime.date = "",
        end: str | datetime.date = "",
        types: Iterable[str] = (),
        counterpart: str = "",
        instrument: str = "",
        offence: str = "",
        direction: str = "",
    ) -> tuple[Filters, dict[str, list[str]]]:
        errors: dict[str, list[str]] = {}
        start_day = _day(start, "start", errors)
        end_day = _day(end, "end", errors)
        if start_day and end_day and start_day > end_day:
            errors.setdefault("end", []).append(_("The end of the period is before its start."))
            end_day = None
        chosen: list[str] = []
        for given in types:
            kind = given.strip()
            if kind not in RequestType.values:
                errors.setdefault("type", []).append(
                    _("Unknown type “%(value)s”.") % {"value": kind}
                )
            elif kind not in chosen:
                chosen.append(kind)
        iso3 = (counterpart or "").strip().upper() or None
        if iso3 is not None and not State.objects.filter(iso3=iso3).exists():
            errors.setdefault("counterpart", []).append(
                _("Unknown state “%(code)s”: use an ISO 3166 alpha-3 code such as KGZ.")
                % {"code": iso3}
            )
            iso3 = None
        code = (instrument or "").strip() or None
        if code is not None and len(code) > 64:
            errors.setdefault("instrument", []).append(_("Unknown instrument."))
            code = None
        section = (offence or "").strip() or None
        if section is not None and not (len(section) == 2 and section.isdigit()):
            errors.setdefault("offence", []).append(
                _("Give the ICCS section as two digits, e.g. 06.")
            )
            section = None
        way = (direction or "both").strip()
        if way not in DIRECTIONS:
            errors.setdefault("direction", []).append(
                _("Choose one of: %(allowed)s.") % {"allowed": ", ".join(DIRECTIONS)}
            )
            way = "both"
        filters = cls(
            start=start_day,
            end=end_day,
            types=tuple(chosen),
            counterpart=iso3,
            instrument=code,
            offence=section,
            direction=way,
        )
        return filters, errors


@dataclass(frozen=True)
class Scope:
    authority_id: int | None  # a central authority's own requests
    network: bool  # the coordinator's aggregates over all states


def scope_for(user: User | AnonymousUser) -> Scope | None:
    """The statistics this user may see, or None (decided in comity.policy)."""
    if policy.can_view_network_stats(user):
        return Scope(authority_id=None, network=True)
    if policy.can_view_stats(user):
        authority_id: int | None = getattr(user, "authority_id", None)
        return Scope(authority_id=authority_id, network=False)
    return None


@dataclass
class Column:
    key: str
    label: str
    kind: str  # "text" | "int" | "days" | "percent" | "money"


@dataclass
class Cell:
    value: int | Decimal | None
    suppressed: bool = False


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, str | Cell]]
    note: str = ""
    chart: str = "bar"  # "bar" | "stacked" | "line" | "none"
    chart_label_column: str = ""
    chart_value_columns: list[str] = field(default_factory=list)


@dataclass
class Dashboard:
    scope: Scope
    filters: Filters
    tables: list[Table]
    suppressed_cells: int
    generated_at: datetime.datetime

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


AUTHORITY_TABLES: tuple[str, ...] = (
    "volumes_by_type",
    "volumes_by_counterpart",
    "volumes_by_month",
    "turnaround",
    "turnaround_distribution",
    "info_rounds",
    "refusals_by_ground",
    "backlog_by_age",
    "extracts",
    "assets",
)
NETWORK_TABLES: tuple[str, ...] = (
    "volumes_by_type",
    "volumes_by_month",
    "pairs",
    "instruments",
    "turnaround",
    "turnaround_distribution",
    "info_rounds",
    "refusals_by_ground",
    "backlog_by_age",
    "extracts",
    "assets",
)


def table_keys(scope: Scope) -> tuple[str, ...]:
    return NETWORK_TABLES if scope.network else AUTHORITY_TABLES


def dashboard(scope: Scope, filters: Filters, *, only: Sequence[str] = ()) -> Dashboard:
    """Every table of the scope (or the ``only`` ones), computed now."""
    now = timezone.now()
    context = _Context(scope=scope, filters=filters, now=now)
    tables: list[Table] = []
    hidden = 0
    for key in table_keys(scope):
        if only and key not in only:
            continue
        draft = _BUILDERS[key](context)
        table, count = draft.finish(suppress=scope.network)
        tables.append(table)
        hidden += count
    return Dashboard(
        scope=scope, filters=filters, tables=tables, suppressed_cells=hidden, generated_at=now
    )


# ---------------------------------------------------------------------------- building


@dataclass(frozen=True)
class _N:
    """A count of requests."""

    value: int


@dataclass(frozen=True)
class _F:
    """A figure computed from ``base`` requests."""

    value: int | Decimal | None
    base: int


class _Draft:
    """A table being filled, with what each cell was computed from (for suppression)."""

    def __init__(
        self,
        key: str,
        title: str,
        columns: list[Column],
        *,
        chart: str = "bar",
        values: Sequence[str] = (),
        note: str = "",
    ) -> None:
        self.key, self.title, self.columns, self.note = key, title, columns, note
        self.chart = chart
        self.label_column = columns[0].key
        self.values = list(values)
        self.rows: list[dict[str, str | _N | _F]] = []
        self.partitions: list[list[CellKey]] = []

    def add(self, **cells: str | _N | _F) -> int:
        self.rows.append(dict(cells))
        return len(self.rows) - 1

    def partition_column(self, column: str) -> None:
        """The column's cells add up to a figure shown elsewhere."""
        self.partitions.append([(i, column) for i in range(len(self.rows))])

    def partition_row(self, index: int, columns: Iterable[str]) -> None:
        self.partitions.append([(index, column) for column in columns])

    def finish(self, *, suppress: bool) -> tuple[Table, int]:
        plan = Plan()
        for index, row in enumerate(self.rows):
            for column, cell in row.items():
                if isinstance(cell, _N):
                    plan.count((index, column), cell.value)
                elif isinstance(cell, _F):
                    plan.computed((index, column), cell.base)
        for cells in self.partitions:
            plan.partition(cells)
        hidden = suppressed_cells(plan) if suppress else set()
        rows: list[dict[str, str | Cell]] = []
        for index, row in enumerate(self.rows):
            out: dict[str, str | Cell] = {}
            for column, cell in row.items():
                if isinstance(cell, str):
                    out[column] = cell
                elif (index, column) in hidden:
                    out[column] = Cell(value=None, suppressed=True)
                else:
                    out[column] = Cell(value=cell.value)
            rows.append(out)
        table = Table(
            key=self.key,
            title=self.title,
            columns=self.columns,
            rows=rows,
            note=self.note,
            chart=self.chart,
            chart_label_column=self.label_column,
            chart_value_columns=self.values,
        )
        return table, len(hidden)


@dataclass
class _Context:
    scope: Scope
    filters: Filters
    now: datetime.datetime
    _relation: Relation | None = None
    _states: dict[int, State] | None = None
    _summary: dict[str, int] | None = None
    _pass: Pass | None = None
    _selection: columnar.Selection | None = None

    @property
    def authority(self) -> int:
        assert self.scope.authority_id is not None  # noqa: S101 (authority scope only)
        return self.scope.authority_id

    @property
    def directions(self) -> tuple[str, ...]:
        """The directions an authority's tables split into."""
        way = self.filters.direction
        return (OUTGOING, INCOMING) if way == "both" else (way,)

    def relation(self) -> Relation:
        if self._relation is None:
            self._relation = Relation.of(_branches(self))
        return self._relation

    def one_pass(self) -> Pass:
        if self._pass is None:
            if in_memory():
                self._pass = columnar.one_pass(
                    self.selection(), self.now, network=self.scope.network
                )
            else:
                self._pass = one_pass(self.relation(), self.now, network=self.scope.network)
        return self._pass

    def selection(self) -> columnar.Selection:
        if self._selection is None:
            self._selection = _selection(self)
        return self._selection

    def grouped(self, keys: Sequence[str]) -> dict[tuple[Any, ...], Group]:
        """The percentile groups of the time to a decision, per combination of keys."""
        if in_memory():
            return columnar.grouped(self.selection(), "hours_to_done", keys)
        return percentiles.grouped(self.relation(), "hours_to_done", keys)

    def state(self, pk: int) -> State | None:
        if self._states is None:
            self._states = {s.pk: s for s in State.objects.all()}
        return self._states.get(pk)

    def state_label(self, pk: int) -> str:
        found = self.state(pk)
        return f"{found.iso3} · {found.name}" if found is not None else "?"

    def iso3(self, pk: int) -> str:
        found = self.state(pk)
        return found.iso3 if found is not None else "?"


def _day(
    value: str | datetime.date, name: str, errors: dict[str, list[str]]
) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    text = (value or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        errors.setdefault(name, []).append(_("Enter a date as YYYY-MM-DD."))
        return None


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def _branches(context: _Context) -> list[Branch]:
    """The scope and the filters as branches of one relation (comity/stats/relation.py)."""
    filters, scope = context.filters, context.scope
    facts = RequestFact.objects.all()
    if filters.start:
        facts = facts.filter(submitted_at__gte=_midnight(filters.start))
    if filters.end:
        facts = facts.filter(submitted_at__lt=_midnight(filters.end + datetime.timedelta(days=1)))
    if filters.types:
        facts = facts.filter(type__in=filters.types)
    if filters.instrument:
        facts = facts.filter(instrument=filters.instrument)
    if filters.offence:
        facts = facts.filter(offence_category=filters.offence)
    counterpart_id: int | None = None
    if filters.counterpart:
        counterpart_id = (
            State.objects.filter(iso3=filters.counterpart).values_list("pk", flat=True).first()
        )
        if counterpart_id is None:
            return []
    if scope.network:
        if counterpart_id is not None:
            facts = facts.filter(
                Q(requesting_state_id=counterpart_id) | Q(requested_state_id=counterpart_id)
            )
        return [Branch(facts)]
    authority = context.authority
    outgoing = facts.filter(requesting_authority_id=authority)
    incoming = facts.filter(requested_authority_id=authority)
    if counterpart_id is not None:
        outgoing = outgoing.filter(requested_state_id=counterpart_id)
        incoming = incoming.filter(requesting_state_id=counterpart_id)
    chosen = {
        OUTGOING: Branch(outgoing, OUTGOING, "requested_state_id"),
        INCOMING: Branch(incoming, INCOMING, "requesting_state_id"),
    }
    return [chosen[way] for way in context.directions]


def in_memory() -> bool:
    """Whether the dashboards are computed by the in-memory engine (the default) or by
    the database (COMITY_STATS_ENGINE=sql)."""
    return str(getattr(settings, "COMITY_STATS_ENGINE", "memory")) != "sql"


def _selection(context: _Context) -> columnar.Selection:
    """The scope and the filters over the in-memory facts: the same rows as _branches."""
    filters, scope = context.filters, context.scope
    facts = columnar.current()
    counterpart_id: int | None = None
    if filters.counterpart:
        counterpart_id = (
            State.objects.filter(iso3=filters.counterpart).values_list("pk", flat=True).first()
        )
        if counterpart_id is None:
            return columnar.Selection(facts, ())
    return columnar.select(
        facts,
        start=_midnight(filters.start) if filters.start else None,
        end=_midnight(filters.end + datetime.timedelta(days=1)) if filters.end else None,
        types=filters.types,
        instrument=filters.instrument,
        offence=filters.offence,
        counterpart_id=counterpart_id,
        authority_id=None if scope.network else context.authority,
        directions=() if scope.network else context.directions,
    )


def _percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def _type_label(code: str) -> str:
    try:
        return str(RequestType(code).label)
    except ValueError:
        return code


def _ground_label(code: str) -> str:
    try:
        return str(RefusalGround(code).label)
    except ValueError:
        return code or _("Not given")


def _col(key: str, label: str, kind: str) -> Column:
    return Column(key=key, label=label, kind=kind)


def _direction_columns(context: _Context) -> list[Column]:
    labels = {OUTGOING: _("Outgoing"), INCOMING: _("Incoming")}
    columns = [_col(way, labels[way], "int") for way in context.directions]
    if len(context.directions) > 1:
        columns.append(_col("total", _("Total"), "int"))
    return columns


def _counts_by(context: _Context, key: str) -> dict[tuple[Any, ...], dict[str, int]]:
    """Requests per value of ``key`` (type, month or counterpart): per direction for an
    authority, "requests" for the network."""
    index = {"type": 0, "submitted_month": 1, "cp": 2}[key]
    found: dict[tuple[Any, ...], dict[str, int]] = {}
    for row in context.one_pass().volumes:
        column = "requests" if context.scope.network else row[3]
        numbers = found.setdefault((row[index],), {})
        numbers[column] = numbers.get(column, 0) + row[4]
    return found


def _histogram_group(histogram: Sequence[tuple[int, int]]) -> Group:
    group = Group()
    for value, count in histogram:
        group.runs.append((group.n, group.n + count - 1, value))
        group.n += count
    return group


def _volume_table(
    context: _Context,
    *,
    key: str,
    title: str,
    label: Column,
    counted: Mapping[tuple[Any, ...], dict[str, int]],
    order: list[tuple[tuple[Any, ...], str]],
    chart: str = "bar",
) -> _Draft:
    """A volumes table: one text column, then requests (network) or per direction."""
    if context.scope.network:
        columns = [label, _col("requests", _("Requests"), "int")]
        draft = _Draft(key, title, columns, chart=chart, values=["requests"])
        for group, text in order:
            row: dict[str, str | _N | _F] = {label.key: text}
            row["requests"] = _N(counted.get(group, {}).get("requests", 0))
            draft.add(**row)
        draft.partition_column("requests")
        return draft
    columns = [label, *_direction_columns(context)]
    ways = list(context.directions)
    stacked = "stacked" if chart == "bar" and len(ways) > 1 else chart
    draft = _Draft(key, title, columns, chart=stacked, values=ways)
    for group, text in order:
        numbers = counted.get(group, {})
        cells: dict[str, str | _N | _F] = {label.key: text}
        for way in ways:
            cells[way] = _N(numbers.get(way, 0))
        if len(ways) > 1:
            cells["total"] = _N(sum(numbers.get(way, 0) for way in ways))
        draft.add(**cells)
    return draft


# ---------------------------------------------------------------------------- the tables


def _volumes_by_type(context: _Context) -> _Draft:
    counted = _counts_by(context, "type")
    order = [((code,), str(label)) for code, label in RequestType.choices if (code,) in counted]
    order += [((code,), code) for (code,) in counted if code not in RequestType.values]
    return _volume_table(
        context,
        key="volumes_by_type",
        title=_("Requests by type"),
        label=_col("type", _("Type"), "text"),
        counted=counted,
        order=order,
    )


def _volumes_by_counterpart(context: _Context) -> _Draft:
    counted = _counts_by(context, "cp")
    ranked = sorted(counted, key=lambda g: (-sum(counted[g].values()), context.iso3(g[0])))
    order = [(group, context.state_label(group[0])) for group in ranked]
    return _volume_table(
        context,
        key="volumes_by_counterpart",
        title=_("Requests by counterpart state"),
        label=_col("counterpart", _("Counterpart state"), "text"),
        counted=counted,
        order=order,
    )


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months: list[datetime.date] = []
    month = first
    while month <= last:
        months.append(month)
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _volumes_by_month(context: _Context) -> _Draft:
    counted = _counts_by(context, "submitted_month")
    present = sorted(group[0] for group in counted)
    months = _months(present[0], present[-1]) if present else []
    order = [((month,), month.strftime("%Y-%m")) for month in months]
    return _volume_table(
        context,
        key="volumes_by_month",
        title=_("Requests by month of submission"),
        label=_col("month", _("Month"), "text"),
        counted=counted,
        order=order,
        chart="line",
    )


def _days_columns() -> list[Column]:
    return [
        _col("median_days", _("Median (days)"), "days"),
        _col("p90_days", _("90th percentile (days)"), "days"),
    ]


def _turnaround(context: _Context) -> _Draft:
    columns = [
        _col("step", _("Step"), "text"),
        _col("n", _("Requests"), "int"),
        *_days_columns(),
    ]
    draft = _Draft(
        "turnaround",
        _("Time taken at each step"),
        columns,
        values=["median_days", "p90_days"],
        note=_(
            "Calendar days between the two events, for the requests that went through both. "
            "Median and 90th percentile by linear interpolation."
        ),
    )
    histograms = context.one_pass().histograms
    for index, (_key, _column, label) in enumerate(STEPS):
        group = _histogram_group(histograms.get(index, []))
        draft.add(
            step=str(label),
            n=_N(group.n),
            median_days=_F(percentiles.days(group.quantile(percentiles.MEDIAN)), group.n),
            p90_days=_F(percentiles.days(group.quantile(percentiles.P90)), group.n),
        )
    return draft


def _bucket_of(days: int) -> str:
    for key, _first, last in BUCKETS:
        if last is None or days <= last:
            return key
    return BUCKETS[-1][0]


def _summary(context: _Context) -> dict[str, int]:
    """The distributions, the rounds and the backlog, from the one pass."""
    if context._summary is not None:
        return context._summary
    result: dict[str, int] = {}

    def add(name: str, count: int) -> None:
        result[name] = result.get(name, 0) + count

    computed = context.one_pass()
    for index, (step, _column, _label) in enumerate(STEPS):
        for hours, count in computed.histograms.get(index, []):
            add(f"{step}__{_bucket_of(hours // 24)}", count)
    for info, _ground, age, overdue, count in computed.summary:
        add(f"info__{INFO_ROUNDS[info][0]}", count)
        if age >= 0:
            add(f"open__{BUCKETS[age][0]}", count)
            if overdue:
                add(f"overdue__{BUCKETS[age][0]}", count)
    context._summary = result
    return result


def _distribution(context: _Context) -> _Draft:
    columns = [_col("step", _("Step"), "text")]
    columns += [_col(bucket, str(BUCKET_LABELS[bucket]), "int") for bucket, _f, _l in BUCKETS]
    buckets = [bucket for bucket, _f, _l in BUCKETS]
    draft = _Draft(
        "turnaround_distribution",
        _("How long each step takes"),
        columns,
        chart="stacked",
        values=buckets,
        note=_("Requests by the whole days the step took."),
    )
    summary = _summary(context)
    for step, _column, label in STEPS:
        index = draft.add(
            step=str(label), **{b: _N(summary.get(f"{step}__{b}", 0)) for b in buckets}
        )
        draft.partition_row(index, buckets)
    return draft


def _info_rounds(context: _Context) -> _Draft:
    columns = [
        _col("rounds", _("Rounds of additional information"), "text"),
        _col("requests", _("Requests"), "int"),
    ]
    draft = _Draft("info_rounds", _("Requests for additional information"), columns)
    draft.values = ["requests"]
    summary = _summary(context)
    for rounds, _first, _last in INFO_ROUNDS:
        draft.add(rounds=rounds, requests=_N(summary.get(f"info__{rounds}", 0)))
    draft.partition_column("requests")
    return draft


def _refusals(context: _Context) -> _Draft:
    columns = [
        _col("ground", _("Ground for refusal"), "text"),
        _col("refused", _("Refused"), "int"),
        _col("share", _("Share of refusals"), "percent"),
    ]
    draft = _Draft("refusals_by_ground", _("Refusals by ground"), columns, values=["refused"])
    counted: dict[str, int] = {}
    for _info, ground, _age, _overdue, count in context.one_pass().summary:
        if ground is not None:
            counted[ground] = counted.get(ground, 0) + count
    total = sum(counted.values())
    known = [code for code in RefusalGround.values if code in counted]
    for code in known + sorted(set(counted) - set(known)):
        draft.add(
            ground=_ground_label(code),
            refused=_N(counted[code]),
            share=_F(_percent(counted[code], total), total),
        )
    draft.partition_column("refused")
    return draft


def _backlog(context: _Context) -> _Draft:
    columns = [
        _col("age", _("Age"), "text"),
        _col("open", _("Open requests"), "int"),
        _col("overdue", _("Overdue"), "int"),
    ]
    draft = _Draft(
        "backlog_by_age",
        _("Open requests by age"),
        columns,
        values=["open", "overdue"],
        note=_(
            "Age: whole days since submission. Overdue: the response or the acknowledgement "
            "is past its due date."
        ),
    )
    summary = _summary(context)
    for bucket, _first, _last in BUCKETS:
        draft.add(
            age=str(BUCKET_LABELS[bucket]),
            open=_N(summary.get(f"open__{bucket}", 0)),
            overdue=_N(summary.get(f"overdue__{bucket}", 0)),
        )
    draft.partition_column("open")
    draft.partition_column("overdue")
    return draft


def _decided_figures(
    context: _Context, keys: Sequence[str]
) -> tuple[dict[tuple[Any, ...], dict[str, int]], dict[tuple[Any, ...], Group]]:
    positions = [("requesting_state_id", "requested_state_id", "instrument").index(k) for k in keys]
    counts: dict[tuple[Any, ...], dict[str, int]] = {}
    for row in context.one_pass().pairs:
        numbers = counts.setdefault(tuple(row[i] for i in positions), {})
        count = row[4]
        numbers["n"] = numbers.get("n", 0) + count
        numbers["refused"] = numbers.get("refused", 0) + (count if row[3] == "r" else 0)
        numbers["decided"] = numbers.get("decided", 0) + (count if row[3] in ("r", "d") else 0)
    return counts, context.grouped(keys)


def _decided_row(numbers: dict[str, int], group: Group) -> dict[str, _N | _F]:
    return {
        "requests": _N(numbers["n"]),
        "median_days": _F(percentiles.days(group.quantile(percentiles.MEDIAN)), group.n),
        "p90_days": _F(percentiles.days(group.quantile(percentiles.P90)), group.n),
        "refused_percent": _F(_percent(numbers["refused"], numbers["decided"]), numbers["decided"]),
    }


def _decided_columns(label: Column) -> list[Column]:
    return [
        label,
        _col("requests", _("Requests"), "int"),
        *_days_columns(),
        # xgettext:no-python-format
        _col("refused_percent", _("Refused (% of decided)"), "percent"),
    ]


_DECIDED_NOTE = gettext_lazy(
    "Days from submission to execution or refusal. Refused: the share of the decided "
    "requests (executed, partially executed or refused)."
)


def _pairs(context: _Context) -> _Draft:
    keys = ("requesting_state_id", "requested_state_id")
    counts, groups = _decided_figures(context, keys)
    draft = _Draft(
        "pairs",
        _("By pair of states"),
        _decided_columns(_col("pair", _("Requesting → requested state"), "text")),
        values=["median_days", "p90_days"],
        note=str(_DECIDED_NOTE),
    )
    ranked = sorted(counts, key=lambda g: (context.iso3(g[0]), context.iso3(g[1])))
    for group in ranked:
        label = f"{context.iso3(group[0])} → {context.iso3(group[1])}"
        draft.add(pair=label, **_decided_row(counts[group], groups.get(group, Group())))
    draft.partition_column("requests")
    return draft


def _instruments(context: _Context) -> _Draft:
    counts, groups = _decided_figures(context, ("instrument",))
    draft = _Draft(
        "instruments",
        _("By instrument"),
        _decided_columns(_col("instrument", _("Instrument"), "text")),
        values=["requests"],
        note=str(_DECIDED_NOTE),
    )
    for group in sorted(counts, key=lambda g: (g[0] == "", g[0])):
        label = group[0] or _("No instrument cited")
        draft.add(instrument=label, **_decided_row(counts[group], groups.get(group, Group())))
    draft.partition_column("requests")
    return draft


# Extracts of criminal records and the asset ledger live in their own tables; they are
# read here directly (they are small beside the requests).


def _extracts(context: _Context) -> _Draft:
    from comity.records.models import Answer, ExtractRequest, ExtractStatus

    columns = [
        _col("direction", _("Extract requests"), "text"),
        _col("requests", _("Requests"), "int"),
        _col("answered", _("Answered"), "int"),
        *_days_columns(),
        # xgettext:no-python-format
        _col("hit_rate", _("With a record (% of answered)"), "percent"),
    ]
    draft = _Draft(
        "extracts",
        _("Criminal-record extracts"),
        columns,
        values=["median_days"],
        note=_(
            "Calendar days from the request to the answer. The filters by type, instrument "
            "and offence do not apply to extracts."
        ),
    )
    filters = context.filters
    extracts = ExtractRequest.objects.exclude(status=ExtractStatus.WITHDRAWN)
    if filters.start:
        extracts = extracts.filter(submitted_at__gte=_midnight(filters.start))
    if filters.end:
        extracts = extracts.filter(
            submitted_at__lt=_midnight(filters.end + datetime.timedelta(days=1))
        )
    groups: list[tuple[str, QuerySet[ExtractRequest]]] = []
    if context.scope.network:
        by_state: dict[int, list[Any]] = {}
        if filters.counterpart:
            extracts = extracts.filter(
                Q(register__state__iso3=filters.counterpart)
                | Q(requesting_authority__state__iso3=filters.counterpart)
            )
        rows = extracts.values_list("register__state_id", "submitted_at", "answered_at", "answer")
        for state_id, *rest in rows:
            by_state.setdefault(state_id, []).append(rest)
        for state_id in sorted(by_state, key=context.iso3):
            label = _("Answered by %(state)s") % {"state": context.state_label(state_id)}
            _extract_row(draft, label, by_state[state_id], Answer.EXTRACT)
        draft.partition_column("requests")
        return draft
    authority = context.authority
    outgoing = extracts.filter(requesting_authority_id=authority)
    incoming = extracts.filter(register__keeper_id=authority)
    if filters.counterpart:
        outgoing = outgoing.filter(register__state__iso3=filters.counterpart)
        incoming = incoming.filter(requesting_authority__state__iso3=filters.counterpart)
    labels = {OUTGOING: _("Sent by this authority"), INCOMING: _("Answered by this authority")}
    chosen = {OUTGOING: outgoing, INCOMING: incoming}
    for way in context.directions:
        groups.append((labels[way], chosen[way]))
    for label, chosen_qs in groups:
        found = chosen_qs.values_list("submitted_at", "answered_at", "answer")
        _extract_row(draft, label, [list(r) for r in found], Answer.EXTRACT)
    return draft


def _extract_row(draft: _Draft, label: str, rows: list[list[Any]], hit: str) -> None:
    hours = [
        int((answered - submitted).total_seconds() // 3600)
        for submitted, answered, _answer in rows
        if answered is not None and answered >= submitted
    ]
    answered = sum(1 for row in rows if row[1] is not None)
    hits = sum(1 for row in rows if row[1] is not None and row[2] == hit)
    draft.add(
        direction=label,
        requests=_N(len(rows)),
        answered=_N(answered),
        median_days=_F(
            percentiles.days(percentiles.quantile(hours, percentiles.MEDIAN)), len(hours)
        ),
        p90_days=_F(percentiles.days(percentiles.quantile(hours, percentiles.P90)), len(hours)),
        hit_rate=_F(_percent(hits, answered), answered),
    )


def _asset_reader(authority_id: int) -> User:
    """A reader of the authority, never saved: asks comity.policy which assets the
    authority's caseworkers see, so that the rule stays in one place."""
    from comity.accounts.models import Role, User

    return User(authority_id=authority_id, role=Role.REVIEWER, is_active=True)


def _assets(context: _Context) -> _Draft:
    from comity.assets.ledger import STAGES, build_ledger, with_ledger_data
    from comity.assets.models import Asset

    stage_labels = {
        "traced": _("Traced"),
        "frozen": _("Frozen or seized"),
        "confiscated": _("Confiscated"),
        "realised": _("Realised"),
        "returned": _("Returned or shared"),
    }
    columns = [
        _col("stage", _("Stage"), "text"),
        _col("assets", _("Assets"), "int"),
        _col("amount_usd", _("Amount (USD)"), "money"),
    ]
    draft = _Draft("assets", _("Asset pipeline"), columns, values=["assets"])
    filters = context.filters
    assets = Asset.objects.all()
    if not context.scope.network:
        assets = assets.filter(policy.asset_visibility_q(_asset_reader(context.authority)))
    if filters.start:
        assets = assets.filter(created_at__gte=_midnight(filters.start))
    if filters.end:
        assets = assets.filter(created_at__lt=_midnight(filters.end + datetime.timedelta(days=1)))
    if filters.counterpart:
        assets = assets.filter(
            Q(location_state__iso3=filters.counterpart)
            | Q(case__authority__state__iso3=filters.counterpart)
        )
    if filters.types:
        assets = assets.filter(request__type__in=filters.types)
    items = list(with_ledger_data(assets.distinct()))
    if not items:
        return draft
    as_of = timezone.localdate(context.now)
    ledger = build_ledger(items, reporting=REPORTING_CURRENCY, as_of=as_of)
    for stage in STAGES:
        total = ledger.totals[stage]
        draft.add(
            stage=stage_labels.get(stage, stage),
            assets=_N(total.count),
            amount_usd=_F(total.converted, total.count),
        )
    dates = [getattr(rate, "rate_date", as_of) for rate in ledger.rates_used()]
    newest = max(dates) if dates else as_of
    note = _(
        "Each asset counts at every stage it reached. Amounts converted to US dollars with "
        "the rates of %(date)s."
    ) % {"date": newest.isoformat()}
    if not ledger.complete:
        note += " " + _("Amounts in currencies without a rate are left out.")
    draft.note = note
    return draft


_BUILDERS: dict[str, Callable[[_Context], _Draft]] = {
    "volumes_by_type": _volumes_by_type,
    "volumes_by_counterpart": _volumes_by_counterpart,
    "volumes_by_month": _volumes_by_month,
    "turnaround": _turnaround,
    "turnaround_distribution": _distribution,
    "info_rounds": _info_rounds,
    "refusals_by_ground": _refusals,
    "backlog_by_age": _backlog,
    "pairs": _pairs,
    "instruments": _instruments,
    "extracts": _extracts,
    "assets": _assets,
}
