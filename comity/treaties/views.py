"""The legal-basis finder's pages, the instrument pages, and the panel of the request form.

Every page answers from the same finder as the API and the command line
(comity.treaties.finder); the instrument pages show the reference data with its sources,
"as of" dates and history.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from comity import policy
from comity.accounts.models import User
from comity.directory.models import Authority, State
from comity.treaties import finder
from comity.treaties.forms import FIELDS, FinderChoices, FinderForm
from comity.treaties.models import (
    Article,
    Cooperation,
    Declaration,
    DeclarationTopic,
    Instrument,
    InstrumentKind,
    Participation,
    PartyStatus,
)

FINDER_TARGET = "finder-body"  # the element htmx swaps when the finder's form is sent
HISTORY_ROWS = 8
_OFFENCE_ROW = re.compile(r"^offences-(\d+)-iccs$")


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not policy.can_use_legal_basis_finder(user):
        raise PermissionDenied
    return user


def _own_state(user: User) -> str:
    """The ISO3 code of the user's authority's state; "" for users without an authority."""
    if user.authority_id is None:
        return ""
    iso3 = State.objects.filter(authorities=user.authority_id).values_list("iso3", flat=True)
    return iso3.first() or ""


def _label(choices: Any, value: str) -> str:
    return str(dict(choices).get(value, value))


# ---------------------------------------------------------------------------- the answer


@dataclass(frozen=True)
class InForce:
    iso3: str
    state: str
    on: date | None


@dataclass(frozen=True)
class DeclarationView:
    topic: str
    ref: finder.DeclarationRef


@dataclass(frozen=True)
class Card:
    """One applicable instrument as the page shows it."""

    item: finder.Applicable
    position: int
    kind: str
    in_force: list[InForce]
    declarations: list[DeclarationView]
    chosen: bool = False


@dataclass(frozen=True)
class AnswerView:
    answer: finder.Answer
    cards: list[Card]
    requesting: str
    requested: str
    measure: str


def answer_view(
    answer: finder.Answer, *, state_names: dict[str, str], chosen: frozenset[str] = frozenset()
) -> AnswerView:
    topics = dict(DeclarationTopic.choices)
    cards = [
        Card(
            item=item,
            position=position,
            kind=_label(InstrumentKind.choices, item.kind),
            in_force=[
                InForce(iso3=iso3, state=state_names.get(iso3, iso3), on=on)
                for iso3, on in item.in_force.items()
            ],
            declarations=[
                DeclarationView(topic=str(topics.get(ref.topic, ref.topic)), ref=ref)
                for ref in item.declarations
            ],
            chosen=item.code in chosen,
        )
        for position, item in enumerate(answer.instruments, start=1)
    ]
    query = answer.query
    return AnswerView(
        answer=answer,
        cards=cards,
        requesting=state_names.get(query.requesting, query.requesting),
        requested=state_names.get(query.requested, query.requested),
        measure=_label(Cooperation.choices, query.cooperation),
    )


def _ask(form: FinderForm) -> finder.Answer | None:
    """The finder's answer to a valid form; its refusals become the form's errors."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        query = finder.parse_query(
            data["from"], data["to"], data["measure"], data["offence"], form.on()
        )
        return finder.find(query)
    except finder.FinderError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return None


def _wants_body_only(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx and htmx.target == FINDER_TARGET and not htmx.history_restore_request)


@login_required
@require_GET
def finder_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    choices = FinderChoices.load()
    answer: AnswerView | None = None
    status = 200
    if any(name in request.GET for name in FIELDS):
        form = FinderForm(request.GET, choices=choices)
        found = _ask(form)
        if found is None:
            form.flag_invalid()
            status = 400
        else:
            answer = answer_view(found, state_names=choices.state_names())
    else:
        form = FinderForm(
            initial={"from": _own_state(user), "date": timezone.localdate()}, choices=choices
        )
    context = {"form": form, "view": answer, "target": FINDER_TARGET}
    template = "treaties/_finder_body.html" if _wants_body_only(request) else "treaties/finder.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


# ---------------------------------------------------------------------------- the panel


@dataclass(frozen=True)
class PanelInput:
    """What the panel reads from the request form as it stands."""

    requested_state: str
    requested_authority: str
    measure: str
    offence: str
    chosen: tuple[str, ...]

    @classmethod
    def read(cls, data: QueryDict) -> PanelInput:
        offences = sorted(
            (int(match.group(1)), str(value).strip())
            for key, value in data.items()
            if (match := _OFFENCE_ROW.match(key))
        )
        chosen = dict.fromkeys(c.strip() for c in data.getlist("legal_basis_codes") if c.strip())
        return cls(
            requested_state=data.get("requested_state", "").strip().upper(),
            requested_authority=data.get("requested_authority", "").strip(),
            measure=data.get("type", "").strip(),
            offence=next((code for _index, code in offences if code), ""),
            chosen=tuple(chosen),
        )

    def requested(self) -> str:
        """The requested state, or the state of the chosen central authority."""
        if self.requested_state or not self.requested_authority:
            return self.requested_state
        try:
            public_id = uuid.UUID(self.requested_authority)
        except ValueError:
            return ""
        found = Authority.objects.filter(public_id=public_id)
        return found.values_list("state__iso3", flat=True).first() or ""


def _panel_answer(user: User, given: PanelInput) -> tuple[finder.Answer | None, str]:
    """The finder's answer, or why there is none yet."""
    requesting = _own_state(user)
    requested = given.requested()
    if not requesting:
        return None, _("Your account is not attached to an authority.")
    if not requested:
        return None, _("Choose the requested state to find the legal basis.")
    if not given.offence:
        return None, _("Name an offence (ICCS) to find the instruments that cover it.")
    try:
        query = finder.parse_query(requesting, requested, given.measure, given.offence, None)
        return finder.find(query), ""
    except finder.FinderError as exc:
        return None, str(exc)


@login_required
@require_GET
def panel(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    given = PanelInput.read(request.GET)
    answer, reason = _panel_answer(user, given)
    view = None
    extra: list[str] = list(given.chosen)
    if answer is not None:
        names = {s.iso3: s.name for s in State.objects.filter(iso3__in=_iso3s(answer))}
        view = answer_view(answer, state_names=names, chosen=frozenset(given.chosen))
        offered = {item.code for item in answer.instruments}
        extra = [code for code in given.chosen if code not in offered]
    context = {"view": view, "reason": reason, "extra": extra}
    return render(request, "treaties/_panel.html", context)


def _iso3s(answer: finder.Answer) -> set[str]:
    codes = {answer.query.requesting, answer.query.requested}
    for item in answer.instruments:
        codes.update(item.in_force)
    return codes


# ---------------------------------------------------------------------------- instruments


@dataclass(frozen=True)
class InstrumentRow:
    instrument: Instrument
    cooperation: list[str]
    parties: int


@login_required
@require_GET
def instrument_list(request: HttpRequest) -> HttpResponse:
    _user(request)
    parties = Count("participations", filter=Q(participations__status=PartyStatus.PARTY))
    rows: dict[str, list[InstrumentRow]] = {kind: [] for kind in InstrumentKind.values}
    for instrument in Instrument.objects.annotate(parties=parties).order_by("code"):
        rows.setdefault(instrument.kind, []).append(
            InstrumentRow(
                instrument=instrument,
                cooperation=_cooperation_labels(instrument.cooperation),
                parties=instrument.parties,
            )
        )
    groups = [(kind, label, rows[kind]) for kind, label in InstrumentKind.choices if rows[kind]]
    return render(request, "treaties/instrument_list.html", {"groups": groups})


def _cooperation_labels(values: Any) -> list[str]:
    labels = dict(Cooperation.choices)
    return [str(labels.get(value, value)) for value in values or []]


@dataclass(frozen=True)
class PartyRow:
    participation: Participation
    entry_into_force: date | None
    computed: bool


@dataclass(frozen=True)
class ArticleGroup:
    cooperation: str
    articles: list[Article]


@dataclass(frozen=True)
class Change:
    when: datetime
    what: str
    kind: str
    by: str


_CHANGE_KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def _changes(instrument: Instrument) -> list[Change]:
    """The latest changes to the instrument and to its parties and declarations."""
    own = instrument.history.select_related("history_user").order_by("-history_date")
    parties = (
        Participation.history.filter(instrument_id=instrument.pk)
        .select_related("history_user", "state")
        .order_by("-history_date")
    )
    declarations = (
        Declaration.history.filter(instrument_id=instrument.pk)
        .select_related("history_user", "state")
        .order_by("-history_date")
    )
    rows = [
        *(_change(record, _("Instrument")) for record in own[:HISTORY_ROWS]),
        *(
            _change(record, _("Party: %(state)s") % {"state": record.state.iso3})
            for record in parties[:HISTORY_ROWS]
        ),
        *(
            _change(
                record,
                _("Declaration of %(state)s: %(topic)s")
                % {
                    "state": record.state.iso3,
                    "topic": _label(DeclarationTopic.choices, record.topic),
                },
            )
            for record in declarations[:HISTORY_ROWS]
        ),
    ]
    rows.sort(key=lambda change: change.when, reverse=True)
    return rows[:HISTORY_ROWS]


def _change(record: Any, what: str) -> Change:
    user = record.history_user
    return Change(
        when=record.history_date,
        what=what,
        kind=_CHANGE_KINDS.get(record.history_type, "changed"),
        by=user.display_name if user is not None else "",
    )


def _admin_url(name: str, *args: Any) -> str:
    try:
        return reverse(f"admin:treaties_{name}", args=args)
    except NoReverseMatch:  # that part of the data is not in the admin
        return ""


def _instrument(code: str) -> Instrument:
    parties = Participation.objects.select_related("state").order_by("state__name_en")
    declarations = Declaration.objects.select_related("state").order_by(
        "state__name_en", "topic", "article"
    )
    return get_object_or_404(
        Instrument.objects.prefetch_related(
            "articles",
            Prefetch("participations", queryset=parties),
            Prefetch("declarations", queryset=declarations),
            Prefetch("supersedes", queryset=Instrument.objects.order_by("code")),
            Prefetch("superseded_by", queryset=Instrument.objects.order_by("code")),
        ),
        code=code,
    )


def _article_groups(instrument: Instrument) -> list[ArticleGroup]:
    groups: dict[str, list[Article]] = {}
    for article in instrument.articles.all():
        groups.setdefault(article.cooperation, []).append(article)
    order = ["", *Cooperation.values]
    labels = {"": _("General provisions"), **dict(Cooperation.choices)}
    return [
        ArticleGroup(cooperation=str(labels.get(key, key)), articles=groups[key])
        for key in sorted(groups, key=lambda k: order.index(k) if k in order else len(order))
    ]


@login_required
@require_GET
def instrument_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    instrument = _instrument(code)
    parties = [
        PartyRow(p, *p.effective_entry_into_force()) for p in instrument.participations.all()
    ]
    changes = _changes(instrument)
    context = {
        "instrument": instrument,
        "cooperation": _cooperation_labels(instrument.cooperation),
        "article_groups": _article_groups(instrument),
        "parties": parties,
        "declarations": list(instrument.declarations.all()),
        "changes": changes,
        "last_changed": max((c.when for c in changes), default=None),
        "can_manage": policy.can_manage_treaties(user),
        "admin_url": _admin_url("instrument_change", instrument.pk),
        "admin_party_url": _admin_url("participation_changelist"),
        "admin_declaration_url": _admin_url("declaration_changelist"),
    }
    return render(request, "treaties/instrument_detail.html", context)
