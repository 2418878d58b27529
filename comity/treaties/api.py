"""The treaties API: the legal-basis finder and the instruments it reads (see docs/legal-basis.md).

    GET /api/v1/legal-basis?from=KAZ&to=KGZ&measure=extradition&offence=0601&date=2026-11-28
    GET /api/v1/instruments?kind=&cooperation=&state=
    GET /api/v1/instruments/{code}

The finder's answer is the one the page and `comity legal-basis --json` give. Treaty data is
public law, so any signed-in user may read it; bad input answers 400 naming the field.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel, BeforeValidator

from comity import policy
from comity.accounts.models import User
from comity.api.auth import api_user
from comity.api.errors import ApiError
from comity.api.errors import error_responses as _errors
from comity.api.pagination import PageOut, PageParams, paginate
from comity.treaties import finder
from comity.treaties.models import (
    Cooperation,
    Declaration,
    Instrument,
    InstrumentKind,
    Participation,
    PartyStatus,
)

router = Router(tags=["treaties"])

_READ = (400, 401, 403)


def _reader(request: HttpRequest) -> User:
    user = api_user(request)
    if not policy.can_use_legal_basis_finder(user):
        raise ApiError(
            status=403, code="forbidden", message=_("You are not allowed to use the finder.")
        )
    return user


def _blank_to_none(value: Any) -> Any:
    return None if value == "" else value


# --- The finder -------------------------------------------------------------------------------


class LegalBasisQuery(Schema):
    # Empty defaults: the finder itself says which field is missing, in the user's language.
    from_: str = Field(
        "", alias="from", max_length=64, description="Requesting state, ISO 3166 alpha-3"
    )
    to: str = Field("", max_length=64, description="Requested state, ISO 3166 alpha-3")
    measure: str = Field(
        "",
        max_length=64,
        description="A kind of cooperation (mla, extradition, confiscation, ...), a request "
        "type (provisional_arrest, freezing, ...) or a measure (bank_records, ...)",
    )
    offence: str = Field("", max_length=16, description="ICCS code, e.g. 0601")
    date: str = Field("", max_length=32, description="YYYY-MM-DD; today if empty")


class ArticleOut(BaseModel):
    article: str
    topic: str
    summary: str
    verify: bool


class DeclarationRefOut(BaseModel):
    state: str
    instrument: str | None
    topic: str
    article: str
    text: str
    value: bool | None
    lodged: bool | None
    confidence: str
    source: str


class ApplicableOut(BaseModel):
    code: str
    title: str
    short_title: str
    kind: str
    reasons: list[str]
    articles: list[ArticleOut]
    request_content: str
    declarations: list[DeclarationRefOut]
    caveats: list[str]
    confidence: str
    in_force: dict[str, date | None]
    sources: list[str]
    as_of: date | None
    citation: str


class ExcludedOut(BaseModel):
    code: str
    title: str
    reasons: list[str]


class QueryOut(BaseModel):
    requesting: str
    requested: str
    measure: str
    cooperation: str
    offence: str
    date: date


class LegalBasisOut(BaseModel):
    query: QueryOut
    instruments: list[ApplicableOut]
    excluded: list[ExcludedOut]
    fallback: str | None
    notes: list[str]


@router.get(
    "/legal-basis",
    response={200: LegalBasisOut, **_errors(_READ)},
    url_name="legal_basis",
)
def legal_basis(request: HttpRequest, params: Query[LegalBasisQuery]) -> dict[str, Any]:
    """The instruments a request may rest on, most specific first, each with why, what to
    cite, the requested state's declarations and caveats; a reciprocity fallback if none."""
    _reader(request)
    try:
        query = finder.parse_query(
            params.from_, params.to, params.measure, params.offence, params.date
        )
    except finder.FinderError as exc:
        raise ApiError(
            status=400, code="invalid", message=str(exc), fields={exc.field: [str(exc)]}
        ) from None
    return finder.find(query).as_json()


# --- The instruments --------------------------------------------------------------------------


class InstrumentListQuery(PageParams):
    kind: Annotated[InstrumentKind | None, BeforeValidator(_blank_to_none)] = None
    cooperation: Annotated[Cooperation | None, BeforeValidator(_blank_to_none)] = None
    state: str = Field("", max_length=3, description="Only instruments this state has a row for")


class InstrumentSummaryOut(BaseModel):
    code: str
    title: str
    short_title: str
    kind: str
    cooperation: list[str]
    parties: int  # states recorded as parties
    confidence: str
    as_of: date | None


class InstrumentPage(PageOut):
    items: list[InstrumentSummaryOut]


class ArticleRowOut(ArticleOut):
    cooperation: str


class ParticipationOut(BaseModel):
    state: str
    state_name: str
    status: str
    status_text: str
    signed: date | None
    deposited: date | None
    entry_into_force: date | None  # as recorded
    effective_entry_into_force: date | None  # recorded, or computed from the deposit
    entry_into_force_computed: bool
    caveat: str
    source: str
    confidence: str
    as_of: date | None


class DeclarationOut(BaseModel):
    state: str
    topic: str
    article: str
    text: str
    value: bool | None
    lodged: bool | None
    source: str
    confidence: str
    as_of: date | None


class InstrumentOut(BaseModel):
    code: str
    title: str
    title_en: str
    title_ru: str
    short_title: str
    kind: str
    cooperation: list[str]
    all_offences: bool
    scope_iccs: list[str]
    scope_conditional: bool
    scope_note: str
    adopted: date | None
    in_force: date | None
    eif_days_after_deposit: int | None
    depositary: str
    request_content: str
    supersedes: list[str]
    superseded_by: list[str]
    notes: str
    source: str
    confidence: str
    as_of: date | None
    articles: list[ArticleRowOut]
    participations: list[ParticipationOut]
    declarations: list[DeclarationOut]


def _instrument_rows(params: InstrumentListQuery) -> QuerySet[Instrument]:
    rows = Instrument.objects.annotate(
        party_count=Count("participations", filter=Q(participations__status=PartyStatus.PARTY))
    ).order_by("kind", "code")
    if params.kind:
        rows = rows.filter(kind=params.kind)
    if params.state:
        rows = rows.filter(
            pk__in=Participation.objects.filter(state__iso3=params.state.upper()).values(
                "instrument_id"
            )
        )
    if params.cooperation:
        # A JSON list: filtered here, as SQLite cannot look inside it.
        wanted = params.cooperation.value
        rows = rows.filter(
            code__in=[
                code
                for code, covered in Instrument.objects.values_list("code", "cooperation")
                if wanted in (covered or ())
            ]
        )
    return rows


def _summary(row: Instrument) -> InstrumentSummaryOut:
    return InstrumentSummaryOut(
        code=row.code,
        title=row.title,
        short_title=row.short_title,
        kind=row.kind,
        cooperation=list(row.cooperation or ()),
        parties=row.party_count,  # type: ignore[attr-defined]  # the annotation above
        confidence=row.confidence,
        as_of=row.as_of,
    )


@router.get(
    "/instruments",
    response={200: InstrumentPage, **_errors(_READ)},
    url_name="instrument_list",
)
def instrument_list(request: HttpRequest, params: Query[InstrumentListQuery]) -> dict[str, Any]:
    """Instruments (bilateral, regional, multilateral) with the number of states party."""
    _reader(request)
    return paginate(request, _instrument_rows(params), params, _summary)


def _participation(row: Participation) -> ParticipationOut:
    effective, computed = row.effective_entry_into_force()
    return ParticipationOut(
        **finder.party_facts(row),
        state_name=row.state.name,
        deposited=row.deposited,
        entry_into_force=row.entry_into_force,
        effective_entry_into_force=effective,
        entry_into_force_computed=computed and effective is not None,
    )


def _declaration(row: Declaration) -> DeclarationOut:
    return DeclarationOut(**finder.declaration_facts(row), as_of=row.as_of)


def _instrument(code: str) -> Instrument:
    found = (
        Instrument.objects.prefetch_related(
            "supersedes",
            "superseded_by",
            "articles",
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("state").order_by("state__iso3"),
            ),
            Prefetch(
                "declarations",
                queryset=Declaration.objects.select_related("state").order_by(
                    "state__iso3", "topic", "id"
                ),
            ),
        )
        .filter(code__iexact=code.strip())
        .first()
    )
    if found is None:
        raise Http404
    return found


@router.get(
    "/instruments/{code}",
    response={200: InstrumentOut, **_errors((401, 403, 404))},
    url_name="instrument_detail",
)
def instrument_detail(request: HttpRequest, code: str) -> InstrumentOut:
    """One instrument: its articles, every state's participation with dates (entry into
    force computed where only the deposit is known), sources, confidence and declarations."""
    _reader(request)
    row = _instrument(code)
    return InstrumentOut(
        code=row.code,
        title=row.title,
        title_en=row.title_en,
        title_ru=row.title_ru,
        short_title=row.short_title,
        kind=row.kind,
        cooperation=list(row.cooperation or ()),
        all_offences=row.all_offences,
        scope_iccs=[str(code) for code in row.scope_iccs or ()],
        scope_conditional=row.scope_conditional,
        scope_note=row.scope_note,
        adopted=row.adopted,
        in_force=row.in_force,
        eif_days_after_deposit=row.eif_days_after_deposit,
        depositary=row.depositary,
        request_content=row.request_content,
        supersedes=sorted(other.code for other in row.supersedes.all()),
        superseded_by=sorted(other.code for other in row.superseded_by.all()),
        notes=row.notes,
        source=row.source,
        confidence=row.confidence,
        as_of=row.as_of,
        articles=[
            ArticleRowOut(
                cooperation=article.cooperation,
                article=article.article,
                topic=article.topic,
                summary=article.summary,
                verify=article.verify,
            )
            for article in row.articles.all()
        ],
        participations=[_participation(p) for p in row.participations.all()],
        declarations=[_declaration(d) for d in row.declarations.all()],
    )
