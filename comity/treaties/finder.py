"""The legal-basis finder: which instruments a request from one state to another may rest on.

`parse_query` validates what the user typed; `find` answers from an in-memory snapshot of
the treaty data, so a warm process answers without walking the database. How the answer is
decided, in order, is written down in docs/legal-basis.md; keep the two in step.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from comity.core.models import IccsCode
from comity.directory.models import State
from comity.treaties.measures import FinderError, normalize_measure, resolve_measure
from comity.treaties.models import (
    Article,
    Confidence,
    Cooperation,
    Declaration,
    DeclarationTopic,
    Instrument,
    InstrumentKind,
    Participation,
    PartyStatus,
)

__all__ = [
    "Answer",
    "Applicable",
    "ArticleRef",
    "DeclarationRef",
    "Excluded",
    "FinderError",
    "Query",
    "declaration_facts",
    "find",
    "parse_query",
    "party_facts",
    "reset_cache",
]

_KIND_ORDER = {kind: rank for rank, kind in enumerate(InstrumentKind.values)}
_CONFIDENCE_ORDER: dict[str, int] = {
    str(Confidence.HIGH): 0,
    str(Confidence.MEDIUM): 1,
    str(Confidence.LOW): 2,
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A request for these may also rest on an instrument of general mutual legal assistance.
_ALSO_UNDER_MLA = frozenset({Cooperation.CONFISCATION, Cooperation.CRIMINAL_RECORDS})
# National rules (declarations with no instrument) shown beside every instrument.
_NATIONAL_TOPICS = (
    DeclarationTopic.CENTRAL_AUTHORITY,
    DeclarationTopic.LANGUAGES,
    DeclarationTopic.CHANNEL,
)
_EXTRADITION_TOPICS = frozenset(
    {DeclarationTopic.EXTRADITION_BASIS, DeclarationTopic.OWN_NATIONALS}
)
_TOPIC_LABELS: dict[str, str] = {value: str(label) for value, label in DeclarationTopic.choices}
# Where a state may not extradite its nationals, these oblige it to prosecute instead.
_AUT_DEDERE = "UNTOC 16(10), UNCAC 44(11), 1988 Convention 6(9)"


# --- The answer -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    requesting: str
    requested: str
    measure: str
    cooperation: str
    offence: str
    on: date

    def as_json(self) -> dict[str, Any]:
        return {
            "requesting": self.requesting,
            "requested": self.requested,
            "measure": self.measure,
            "cooperation": self.cooperation,
            "offence": self.offence,
            "date": self.on.isoformat(),
        }


@dataclass(frozen=True)
class ArticleRef:
    article: str
    topic: str
    summary: str
    verify: bool

    def as_json(self) -> dict[str, Any]:
        return asdict(self)  # every field is plain JSON already


@dataclass(frozen=True)
class DeclarationRef:
    state: str
    instrument: str | None
    topic: str
    article: str
    text: str
    value: bool | None
    lodged: bool | None
    confidence: str
    source: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)  # every field is plain JSON already


@dataclass(frozen=True)
class Applicable:
    code: str
    title: str
    short_title: str
    kind: str
    reasons: tuple[str, ...]
    articles: tuple[ArticleRef, ...]
    request_content: str
    declarations: tuple[DeclarationRef, ...]
    caveats: tuple[str, ...]
    confidence: str
    in_force: dict[str, date | None]
    sources: tuple[str, ...]
    as_of: date | None
    citation: str

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "short_title": self.short_title,
            "kind": self.kind,
            "reasons": list(self.reasons),
            "articles": [article.as_json() for article in self.articles],
            "request_content": self.request_content,
            "declarations": [declaration.as_json() for declaration in self.declarations],
            "caveats": list(self.caveats),
            "confidence": self.confidence,
            "in_force": {
                iso3: day.isoformat() if day else None for iso3, day in self.in_force.items()
            },
            "sources": list(self.sources),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "citation": self.citation,
        }


@dataclass(frozen=True)
class Excluded:
    code: str
    title: str
    reasons: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class Answer:
    query: Query
    instruments: tuple[Applicable, ...]
    excluded: tuple[Excluded, ...]
    fallback: str | None
    notes: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "query": self.query.as_json(),
            "instruments": [instrument.as_json() for instrument in self.instruments],
            "excluded": [instrument.as_json() for instrument in self.excluded],
            "fallback": self.fallback,
            "notes": list(self.notes),
        }


# --- The snapshot -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Party:
    state: str
    status: str
    status_text: str
    signed: date | None
    entry_into_force: date | None
    computed: bool  # the date comes from the deposit and the instrument's rule
    caveat: str
    source: str
    confidence: str
    as_of: date | None


@dataclass(frozen=True)
class _Instrument:
    code: str
    title_en: str
    title_ru: str
    short_title: str
    kind: str
    cooperation: frozenset[str]
    all_offences: bool
    scope_iccs: tuple[str, ...]
    scope_conditional: bool
    scope_note: str
    in_force: date | None
    eif_days_after_deposit: int | None
    request_content: str
    notes: str
    source: str
    confidence: str
    as_of: date | None
    supersedes: frozenset[str]
    articles: tuple[tuple[str, ArticleRef], ...]  # (cooperation, article); "" = general
    parties: dict[str, _Party] = field(hash=False)

    @property
    def title(self) -> str:
        if (get_language() or "en")[:2] == "ru" and self.title_ru:
            return self.title_ru
        return self.title_en

    @property
    def label(self) -> str:
        return self.short_title or self.code


@dataclass(frozen=True)
class _Snapshot:
    version: tuple[Any, ...]
    states: dict[str, State]
    iccs: dict[str, str]  # code -> label
    instruments: tuple[_Instrument, ...]
    # (state, instrument code or None for national law) -> declarations
    declarations: dict[tuple[str, str | None], tuple[DeclarationRef, ...]]

    def state_name(self, iso3: str) -> str:
        state = self.states.get(iso3)
        return state.name if state else iso3


_HISTORY_MODELS: tuple[type[Model], ...] = (
    Instrument.history.model,
    Article.history.model,
    Participation.history.model,
    Declaration.history.model,
)
# Tables without history (or writes that bypass it, such as bulk loads): rows and top key.
_PLAIN_MODELS: tuple[type[Model], ...] = (
    Instrument,
    Article,
    Participation,
    Declaration,
    Instrument.supersedes.through,
    State,
    IccsCode,
)


def _aggregate(expression: str, table: str) -> str:
    # Table and column names come from the models (quoted), never from any input.
    return f"(SELECT {expression} FROM {table})"  # noqa: S608


def _version_sql() -> str:
    quote = connection.ops.quote_name
    parts: list[str] = []
    for model in _HISTORY_MODELS:
        table = quote(model._meta.db_table)
        parts += [
            _aggregate("COUNT(*)", table),
            _aggregate(f"MAX({quote('history_id')})", table),
            # The date tells apart two states that reused the same ids after a rollback.
            _aggregate(f"MAX({quote('history_date')})", table),
        ]
    for model in _PLAIN_MODELS:
        table = quote(model._meta.db_table)
        key = quote(str(model._meta.pk.column))
        parts += [_aggregate("COUNT(*)", table), _aggregate(f"MAX({key})", table)]
    return "SELECT " + ", ".join(parts)


def _data_version() -> tuple[Any, ...]:
    """One cheap query that changes whenever the treaty data does."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        row = cursor.fetchone()
    return (connection.alias, *(str(value) for value in row))


def party_facts(row: Participation) -> dict[str, Any]:
    """A state's participation as the finder and the API both state it, with its source."""
    return {
        "state": row.state.iso3,
        "status": row.status,
        "status_text": row.status_text,
        "signed": row.signed,
        "caveat": row.caveat,
        "source": row.source,
        "confidence": row.confidence,
        "as_of": row.as_of,
    }


def declaration_facts(row: Declaration) -> dict[str, Any]:
    """What a declaration says, as the finder and the API both state it, with its source."""
    return {
        "state": row.state.iso3,
        "topic": row.topic,
        "article": row.article,
        "text": row.text,
        "value": row.value,
        "lodged": row.lodged,
        "confidence": row.confidence,
        "source": row.source,
    }


def _party(row: Participation) -> _Party:
    entry_into_force, computed = row.effective_entry_into_force()
    return _Party(entry_into_force=entry_into_force, computed=computed, **party_facts(row))


def _declaration(row: Declaration) -> DeclarationRef:
    instrument = row.instrument.code if row.instrument else None
    return DeclarationRef(instrument=instrument, **declaration_facts(row))


def _build(version: tuple[Any, ...]) -> _Snapshot:
    articles: dict[int, list[tuple[str, ArticleRef]]] = {}
    for article in Article.objects.order_by("instrument_id", "order", "id"):
        ref = ArticleRef(article.article, article.topic, article.summary, article.verify)
        articles.setdefault(article.instrument_id, []).append((article.cooperation, ref))
    parties: dict[int, dict[str, _Party]] = {}
    for row in Participation.objects.select_related("instrument", "state"):
        parties.setdefault(row.instrument_id, {})[row.state.iso3] = _party(row)
    declarations: dict[tuple[str, str | None], list[DeclarationRef]] = {}
    for decl in Declaration.objects.select_related("state", "instrument").order_by("id"):
        found = _declaration(decl)
        declarations.setdefault((found.state, found.instrument), []).append(found)
    instruments = tuple(
        _Instrument(
            code=row.code,
            title_en=row.title_en,
            title_ru=row.title_ru,
            short_title=row.short_title,
            kind=row.kind,
            cooperation=frozenset(row.cooperation or ()),
            all_offences=row.all_offences,
            scope_iccs=tuple(str(code) for code in row.scope_iccs or ()),
            scope_conditional=row.scope_conditional,
            scope_note=row.scope_note,
            in_force=row.in_force,
            eif_days_after_deposit=row.eif_days_after_deposit,
            request_content=row.request_content,
            notes=row.notes,
            source=row.source,
            confidence=row.confidence,
            as_of=row.as_of,
            supersedes=frozenset(other.code for other in row.supersedes.all()),
            articles=tuple(articles.get(row.pk, ())),
            parties=parties.get(row.pk, {}),
        )
        for row in Instrument.objects.prefetch_related("supersedes").order_by("code")
    )
    return _Snapshot(
        version=version,
        states={state.iso3: state for state in State.objects.all()},
        iccs=dict(IccsCode.objects.values_list("code", "label")),
        instruments=instruments,
        declarations={key: tuple(rows) for key, rows in declarations.items()},
    )


_cache: _Snapshot | None = None
_lock = threading.Lock()


def _snapshot() -> _Snapshot:
    """The treaty data in memory, rebuilt only when the version query says it changed."""
    global _cache  # noqa: PLW0603 - one snapshot per process, by design
    version = _data_version()
    cached = _cache
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        cached = _cache
        if cached is not None and cached.version == version:
            return cached
        # Read after the version: a change in between only makes the next call rebuild.
        built = _build(version)
        _cache = built
    return built


def reset_cache() -> None:
    """Forget the snapshot (the next call rebuilds it). Changes are found without this."""
    global _cache  # noqa: PLW0603 - see _snapshot
    with _lock:
        _cache = None


# --- Parsing ----------------------------------------------------------------------------------


def _state(value: str, field_name: str, states: dict[str, State]) -> str:
    iso3 = (value or "").strip().upper()
    if not iso3:
        if field_name == "from":
            raise FinderError(field_name, _("Give the requesting state, e.g. KAZ."))
        raise FinderError(field_name, _("Give the requested state, e.g. KGZ."))
    if iso3 not in states:
        raise FinderError(
            field_name,
            _("Unknown state %(value)s: give an ISO 3166 alpha-3 code such as KAZ.")
            % {"value": value.strip()[:40]},
        )
    return iso3


def _offence(value: str, iccs: dict[str, str]) -> str:
    code = (value or "").strip()
    if not code:
        raise FinderError("offence", _("Give the offence as an ICCS code, e.g. 0601."))
    if code not in iccs:
        raise FinderError(
            "offence",
            _("Unknown offence code %(value)s: give an ICCS code such as 0601.")
            % {"value": code[:40]},
        )
    return code


def _date(value: str | date | None) -> date:
    if value is None or (isinstance(value, str) and not value.strip()):
        return timezone.localdate()
    if isinstance(value, date):
        return value
    text = value.strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise FinderError("date", _("Enter the date as YYYY-MM-DD, e.g. 2026-11-28.")) from None


def parse_query(
    requesting: str, requested: str, measure: str, offence: str, on: str | date | None
) -> Query:
    """A Query from what the user typed, or FinderError naming the first bad field."""
    snapshot = _snapshot()
    requesting_iso3 = _state(requesting, "from", snapshot.states)
    requested_iso3 = _state(requested, "to", snapshot.states)
    if requesting_iso3 == requested_iso3:
        raise FinderError("to", _("The requested state must differ from the requesting state."))
    cooperation = resolve_measure(measure)
    return Query(
        requesting=requesting_iso3,
        requested=requested_iso3,
        measure=normalize_measure(measure),
        cooperation=str(cooperation),
        offence=_offence(offence, snapshot.iccs),
        on=_date(on),
    )


# --- Deciding ---------------------------------------------------------------------------------


def _lowest(*levels: str) -> str:
    known = [level for level in levels if level in _CONFIDENCE_ORDER]
    if not known:
        return str(Confidence.LOW)
    return max(known, key=lambda level: _CONFIDENCE_ORDER[level])


def _confidence_label(level: str) -> str:
    labels: dict[str, str] = {
        Confidence.HIGH: _("high"),
        Confidence.MEDIUM: _("medium"),
        Confidence.LOW: _("low"),
    }
    return str(labels.get(level, level))


@dataclass
class _Draft:
    """One instrument being weighed for a query."""

    instrument: _Instrument
    general_mla: bool = False
    reasons: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    exclusions: list[str] = field(default_factory=list)
    caps: list[str] = field(default_factory=list)  # confidence ceilings from the status
    declarations: tuple[DeclarationRef, ...] = ()
    certain: bool = True  # both states are recorded as parties (not disputed or reported)
    exact: bool = True  # the offence is squarely in scope (not partly, not under a condition)


class _Decider:
    def __init__(self, snapshot: _Snapshot, query: Query) -> None:
        self.snapshot = snapshot
        self.query = query
        self.notes: list[str] = []

    def name(self, iso3: str) -> str:
        return self.snapshot.state_name(iso3)

    # Coverage ------------------------------------------------------------------------------

    def weigh(self, instrument: _Instrument) -> _Draft | None:
        """A draft for an instrument that concerns this pair, None for one that does not."""
        q = self.query
        requesting = instrument.parties.get(q.requesting)
        requested = instrument.parties.get(q.requested)
        if requesting is None and requested is None:
            return None
        both = requesting is not None and requested is not None
        if instrument.kind == InstrumentKind.BILATERAL and not both:
            return None
        draft = _Draft(instrument)
        if q.cooperation not in instrument.cooperation:
            if q.cooperation in _ALSO_UNDER_MLA and Cooperation.MLA in instrument.cooperation:
                draft.general_mla = True
                draft.caveats.append(_("General MLA instrument: check it covers this measure."))
            elif both and self._bound(requesting) and self._bound(requested):
                draft.exclusions.append(self._not_covered(instrument))
                return draft
            else:
                return None
        for iso3, party in ((q.requesting, requesting), (q.requested, requested)):
            self._status(draft, iso3, party)
        if not draft.exclusions:
            self._in_force(draft, requesting, requested)
        self._scope(draft)
        return draft

    @staticmethod
    def _bound(party: _Party | None) -> bool:
        bound = (PartyStatus.PARTY, PartyStatus.DISPUTED, PartyStatus.REPORTED)
        return party is not None and party.status in bound

    def _not_covered(self, instrument: _Instrument) -> str:
        covered = ", ".join(
            str(Cooperation(value).label)
            for value in Cooperation.values
            if value in instrument.cooperation
        )
        return _("It does not cover %(measure)s (it covers: %(covered)s).") % {
            "measure": Cooperation(self.query.cooperation).label,
            "covered": covered or "-",
        }

    # Status --------------------------------------------------------------------------------

    def _status(self, draft: _Draft, iso3: str, party: _Party | None) -> None:
        name = self.name(iso3)
        instrument = draft.instrument
        if party is None:
            draft.exclusions.append(
                _("%(state)s is not a party (no record in the treaty data).") % {"state": name}
            )
            return
        detail = party.caveat or party.status_text
        if party.status == PartyStatus.PARTY:
            return
        if party.status == PartyStatus.DISPUTED:
            draft.certain = False
            draft.caps.append(Confidence.LOW)
            draft.caveats.append(
                _("Whether %(state)s is bound is disputed or unclear: %(detail)s")
                % {"state": name, "detail": detail or _("no details recorded")}
            )
            return
        if party.status == PartyStatus.REPORTED:
            draft.certain = False
            draft.caps.append(Confidence.MEDIUM)
            draft.caveats.append(
                _(
                    "%(state)s is reported to be a party, but its status is not confirmed: "
                    "%(detail)s"
                )
                % {"state": name, "detail": detail or _("no details recorded")}
            )
            return
        if party.status == PartyStatus.SIGNATORY:
            draft.exclusions.append(self._signatory(name, party, detail))
            if iso3 == self.query.requested:
                self.notes.append(
                    _(
                        "%(state)s signed %(instrument)s but is not a party to it: it is not a "
                        "legal basis for this request until it deposits its ratification or "
                        "accession."
                    )
                    % {"state": name, "instrument": instrument.label}
                )
            return
        if party.status == PartyStatus.WITHDRAWN:
            draft.exclusions.append(
                _("%(state)s has withdrawn, or the instrument is not in force for it.")
                % {"state": name}
            )
            return
        draft.exclusions.append(_("%(state)s is not a party.") % {"state": name})

    def _signatory(self, name: str, party: _Party, detail: str) -> str:
        if party.signed:
            text = _("%(state)s signed on %(date)s but has not deposited a ratification.") % {
                "state": name,
                "date": party.signed.isoformat(),
            }
        else:
            text = _("%(state)s signed but has not deposited a ratification.") % {"state": name}
        if detail:
            text = f"{text} ({detail})"
        return text

    # Entry into force ----------------------------------------------------------------------

    def _in_force(self, draft: _Draft, *parties: _Party | None) -> None:
        on = self.query.on
        instrument = draft.instrument
        if instrument.in_force and on < instrument.in_force:
            draft.exclusions.append(
                _("Not yet in force on %(date)s: it entered into force on %(from)s.")
                % {"date": on.isoformat(), "from": instrument.in_force.isoformat()}
            )
            return
        since: list[str] = []
        for party in parties:
            if party is None:  # pragma: no cover - weigh() excluded it already
                continue
            name = self.name(party.state)
            day = party.entry_into_force
            if day is None:
                draft.caveats.append(
                    _("Date of entry into force for %(state)s unknown.") % {"state": name}
                )
            elif on < day:
                draft.exclusions.append(
                    _("Not yet in force for %(state)s on %(date)s (from %(from)s).")
                    % {"state": name, "date": on.isoformat(), "from": day.isoformat()}
                )
            elif party.computed:
                since.append(
                    _("%(state)s since %(date)s (computed from the deposit)")
                    % {"state": name, "date": day.isoformat()}
                )
            else:
                since.append(
                    _("%(state)s since %(date)s") % {"state": name, "date": day.isoformat()}
                )
        if not draft.exclusions and since:
            draft.reasons.append(
                _("In force for both states on %(date)s: %(since)s.")
                % {"date": on.isoformat(), "since": "; ".join(since)}
            )

    # Offence scope -------------------------------------------------------------------------

    def _offence_label(self, code: str) -> str:
        label = self.snapshot.iccs.get(code)
        return f"{code} {label}" if label else code

    def _scope(self, draft: _Draft) -> None:
        """Offence scope. A scope code ending in "?" is in scope only under the instrument's
        scope note (e.g. laundering, only of the proceeds of the offences it covers)."""
        instrument = draft.instrument
        offence = self.query.offence
        subject = {"offence": self._offence_label(offence)}
        if instrument.all_offences:
            draft.reasons.append(
                _("It covers any offence; dual criminality and penalty thresholds apply.")
            )
            return
        plain = [code for code in instrument.scope_iccs if not code.endswith("?")]
        conditional = [code[:-1] for code in instrument.scope_iccs if code.endswith("?")]
        within = [code for code in plain if offence.startswith(code)]
        if within:
            draft.reasons.append(
                _("The offence %(offence)s is in scope (%(scope)s).")
                % {**subject, "scope": self._offence_label(within[0])}
            )
            return
        draft.exact = False
        parts = [code for code in plain if code.startswith(offence)]
        if parts:
            listed = ", ".join(self._offence_label(code) for code in parts)
            draft.reasons.append(_("The offence %(offence)s is partly in scope.") % subject)
            draft.caveats.append(
                _(
                    "Only part of %(offence)s is in scope: %(parts)s. Check that the conduct "
                    "falls within it."
                )
                % {**subject, "parts": listed}
            )
            return
        if instrument.scope_conditional or any(
            offence.startswith(code) or code.startswith(offence) for code in conditional
        ):
            draft.reasons.append(
                _("The offence %(offence)s may be in scope under a condition.") % subject
            )
            draft.caveats.append(
                _("In scope only if: %(condition)s")
                % {"condition": instrument.scope_note or _("see the instrument's scope")}
            )
            return
        draft.exclusions.append(
            _("The offence %(offence)s is not in scope (%(scope)s).")
            % {**subject, "scope": instrument.scope_note or self._scope_codes(instrument)}
        )

    def _scope_codes(self, instrument: _Instrument) -> str:
        codes = [code.rstrip("?") for code in instrument.scope_iccs]
        return ", ".join(self._offence_label(code) for code in codes) or "-"

    # Declarations --------------------------------------------------------------------------

    def _declarations(self, draft: _Draft) -> None:
        q = self.query
        instrument = draft.instrument
        extradition = q.cooperation == Cooperation.EXTRADITION
        own = [
            ref
            for ref in self.snapshot.declarations.get((q.requested, instrument.code), ())
            if extradition or ref.topic not in _EXTRADITION_TOPICS
        ]
        topics = {ref.topic for ref in own}
        national = [
            ref
            for ref in self.snapshot.declarations.get((q.requested, None), ())
            if ref.topic in _NATIONAL_TOPICS and ref.topic not in topics
        ]
        draft.declarations = (*own, *national)
        name = self.name(q.requested)
        for ref in own:
            if ref.topic == DeclarationTopic.EXTRADITION_BASIS and ref.value is False:
                draft.caveats.insert(
                    0,
                    _(
                        "%(state)s declared that it does not take %(instrument)s as a legal "
                        "basis for extradition (%(text)s): a request resting on it alone may "
                        "be refused; rely on a treaty or on %(state)s's own law."
                    )
                    % {
                        "state": name,
                        "instrument": instrument.label,
                        "text": ref.text.rstrip(". "),
                    },
                )
            elif ref.topic == DeclarationTopic.EXTRADITION_BASIS and ref.value:
                draft.reasons.append(
                    _("%(state)s takes %(instrument)s as a legal basis for extradition%(art)s.")
                    % {
                        "state": name,
                        "instrument": instrument.label,
                        "art": f" ({ref.article})" if ref.article else "",
                    }
                )
            if ref.topic == DeclarationTopic.OTHER:
                continue
            values = {"state": name, "topic": _TOPIC_LABELS.get(ref.topic, ref.topic)}
            if ref.confidence == Confidence.LOW:
                draft.caveats.append(
                    _("%(state)s's declaration on %(topic)s is unverified (low confidence).")
                    % values
                )
            elif ref.lodged is None and instrument.kind != InstrumentKind.BILATERAL:
                draft.caveats.append(
                    _(
                        "%(state)s's declaration on %(topic)s: declared in the national act; "
                        "deposit not confirmed."
                    )
                    % values
                )

    # Putting it together -------------------------------------------------------------------

    def _row_caveats(self, draft: _Draft) -> None:
        instrument = draft.instrument
        if instrument.confidence in (Confidence.MEDIUM, Confidence.LOW):
            draft.caveats.append(
                _("Data on the instrument: %(level)s confidence. %(text)s")
                % {
                    "level": _confidence_label(instrument.confidence),
                    "text": instrument.notes,
                }
            )
        for iso3 in (self.query.requesting, self.query.requested):
            party = instrument.parties[iso3]
            text = party.caveat or (
                party.status_text if party.status_text != PartyStatus.PARTY else ""
            )
            if party.status in (PartyStatus.DISPUTED, PartyStatus.REPORTED):
                continue  # _status said it already, with the same text
            if party.confidence in (Confidence.MEDIUM, Confidence.LOW):
                draft.caveats.append(
                    _("%(state)s's participation: %(level)s confidence. %(text)s")
                    % {
                        "state": self.name(iso3),
                        "level": _confidence_label(party.confidence),
                        "text": text,
                    }
                )
            elif party.caveat:
                draft.caveats.append(f"{self.name(iso3)}: {party.caveat}")
        to_verify = [ref.article for ref in self._articles(draft) if ref.verify]
        if to_verify:
            draft.caveats.append(
                _("Article numbering to verify: %(articles)s.") % {"articles": ", ".join(to_verify)}
            )

    def _articles(self, draft: _Draft) -> tuple[ArticleRef, ...]:
        wanted = {self.query.cooperation, ""}
        if draft.general_mla:
            wanted.add(Cooperation.MLA)
        return tuple(ref for coop, ref in draft.instrument.articles if coop in wanted)

    def applicable(self, draft: _Draft) -> Applicable:
        self._declarations(draft)
        self._row_caveats(draft)
        instrument = draft.instrument
        q = self.query
        parties = [instrument.parties[q.requesting], instrument.parties[q.requested]]
        articles = self._articles(draft)
        sources = [instrument.source] if instrument.source else []
        sources += [f"{party.state}: {party.source}" for party in parties if party.source]
        dates = [day for day in (instrument.as_of, *(p.as_of for p in parties)) if day]
        return Applicable(
            code=instrument.code,
            title=instrument.title,
            short_title=instrument.short_title,
            kind=instrument.kind,
            reasons=_unique(draft.reasons),
            articles=articles,
            request_content=instrument.request_content,
            declarations=draft.declarations,
            caveats=_unique(draft.caveats),
            confidence=_lowest(
                instrument.confidence, *(p.confidence for p in parties), *draft.caps
            ),
            in_force={party.state: party.entry_into_force for party in parties},
            sources=_unique(sources),
            as_of=min(dates) if dates else None,
            citation=_citation(instrument, articles),
        )

    def supersede(self, drafts: list[_Draft]) -> None:
        """Between states bound by both, the newer instrument replaces the one it supersedes."""
        listed = {draft.instrument.code: draft for draft in drafts if not draft.exclusions}
        for newer in listed.values():
            for code in sorted(newer.instrument.supersedes):
                older = listed.get(code)
                if older is None or older is newer:
                    continue
                values = {"newer": newer.instrument.label, "older": older.instrument.label}
                if newer.certain:
                    older.exclusions.append(
                        _("Replaced by %(newer)s between these states.") % values
                    )
                else:
                    older.caveats.append(
                        _(
                            "%(newer)s replaces %(older)s between states bound by both; "
                            "whether both states are bound by %(newer)s is uncertain."
                        )
                        % values
                    )

    def nationals(self) -> None:
        q = self.query
        if q.cooperation != Cooperation.EXTRADITION:
            return
        refusals = [
            ref
            for (state, _code), refs in self.snapshot.declarations.items()
            if state == q.requested
            for ref in refs
            if ref.topic == DeclarationTopic.OWN_NATIONALS and ref.value is False
        ]
        if not refusals:
            return
        # The national rule first, then the most certain.
        ref = min(
            refusals,
            key=lambda r: (r.instrument is not None, _CONFIDENCE_ORDER.get(r.confidence, 3)),
        )
        self.notes.insert(
            0,
            _(
                "%(state)s does not extradite its own nationals (%(text)s, confidence "
                "%(confidence)s): if the person is a national, ask for prosecution there "
                "(aut dedere aut judicare, e.g. %(articles)s)."
            )
            % {
                "state": self.name(q.requested),
                "text": ref.text.rstrip(". "),
                "confidence": _confidence_label(ref.confidence),
                "articles": _AUT_DEDERE,
            },
        )

    def fallback(self) -> str:
        q = self.query
        values = {
            "requesting": self.name(q.requesting),
            "requested": self.name(q.requested),
            "measure": Cooperation(q.cooperation).label,
            "date": q.on.isoformat(),
        }
        text = (
            _(
                "No instrument in the treaty data is a legal basis between %(requesting)s and "
                "%(requested)s for %(measure)s on %(date)s. You may still ask on the basis of "
                "reciprocity (international comity): send the request through diplomatic channels, "
                "or to the central authority where %(requested)s accepts that, with an assurance "
                "that %(requesting)s would grant a comparable request of %(requested)s. The "
                "domestic law of %(requested)s then decides whether and how the request is "
                "executed, including dual criminality and the grounds for refusal."
            )
            % values
        )
        if q.requested == "RUS":
            text += " " + _(
                "For example, the Russian Code of Criminal Procedure (art. 453) accepts "
                "reciprocity confirmed by a written undertaking."
            )
        return text


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _citation(instrument: _Instrument, articles: Sequence[ArticleRef]) -> str:
    numbers = list(dict.fromkeys(ref.article for ref in articles))
    if not numbers:
        return instrument.label
    return ngettext(
        "%(instrument)s, art %(articles)s",
        "%(instrument)s, arts %(articles)s",
        len(numbers),
    ) % {"instrument": instrument.label, "articles": ", ".join(numbers)}


def _order(weighed: tuple[Applicable, _Draft]) -> tuple[int, bool, bool, int, str]:
    """Kind (bilateral first); then direct coverage of the measure, then of the offence
    (before general MLA, partial or conditional scope); then confidence; then code."""
    applicable, draft = weighed
    return (
        _KIND_ORDER.get(applicable.kind, len(_KIND_ORDER)),
        draft.general_mla,
        not draft.exact,
        _CONFIDENCE_ORDER.get(applicable.confidence, 3),
        applicable.code,
    )


def _excluded_order(excluded: tuple[Excluded, str]) -> tuple[int, str]:
    return (_KIND_ORDER.get(excluded[1], len(_KIND_ORDER)), excluded[0].code)


def find(query: Query) -> Answer:
    """The instruments that apply to ``query``, most specific first. Reads only the snapshot."""
    snapshot = _snapshot()
    decider = _Decider(snapshot, query)
    drafts = [
        draft
        for draft in (decider.weigh(instrument) for instrument in snapshot.instruments)
        if draft is not None
    ]
    decider.supersede(drafts)
    weighed = sorted(
        ((decider.applicable(draft), draft) for draft in drafts if not draft.exclusions),
        key=_order,
    )
    instruments = [applicable for applicable, _general in weighed]
    excluded = sorted(
        (
            (
                Excluded(draft.instrument.code, draft.instrument.title, _unique(draft.exclusions)),
                draft.instrument.kind,
            )
            for draft in drafts
            if draft.exclusions
        ),
        key=_excluded_order,
    )
    decider.nationals()
    if instruments:
        decider.notes.append(
            _(
                "Reciprocity (comity) remains possible in addition, where the law of "
                "%(requested)s allows it."
            )
            % {"requested": decider.name(query.requested)}
        )
    return Answer(
        query=query,
        instruments=tuple(instruments),
        excluded=tuple(item for item, _kind in excluded),
        fallback=None if instruments else decider.fallback(),
        notes=_unique(decider.notes),
    )
