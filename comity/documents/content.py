"""What a request document says, in each language, before any format is chosen.

The renderers (comity/documents/renderers/) lay out the same `Document`; its canonical
JSON is what the hash printed in the document covers (docs/documents.md).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from comity.cooperation.models import (
    AssistanceMeasure,
    EventKind,
    Offence,
    Person,
    ProceedingsNature,
    Request,
    RequestType,
    TimelineEvent,
    Urgency,
)
from comity.core import languages as known_languages
from comity.directory.models import Authority, State
from comity.documents import calendars
from comity.documents.models import FactTranslation, TranslationStatus
from comity.treaties.models import Article, Cooperation, Instrument

# Bump when a fixed text or the structure changes: it is part of the hashed content.
TEMPLATE_VERSION = "2"
# The languages documents are written in; the one list (fixed texts exist in each).
# Both read from comity/core/languages.py.
DOCUMENT_LANGUAGES: tuple[str, ...] = known_languages.document_languages()
LANGUAGE_NAMES = {code: known_languages.get(code).name for code in DOCUMENT_LANGUAGES}
RTL_LANGUAGES: frozenset[str] = known_languages.rtl_codes(DOCUMENT_LANGUAGES)

# Which articles of an instrument a request of each type rests on.
_COOPERATION_OF_TYPE: dict[str, tuple[str, ...]] = {
    RequestType.MLA: (Cooperation.MLA,),
    RequestType.EXTRADITION: (Cooperation.EXTRADITION,),
    RequestType.PROVISIONAL_ARREST: (Cooperation.EXTRADITION,),
    RequestType.FREEZING: (Cooperation.CONFISCATION, Cooperation.MLA),
    RequestType.SEIZURE: (Cooperation.CONFISCATION, Cooperation.MLA),
    RequestType.CONFISCATION: (Cooperation.CONFISCATION, Cooperation.MLA),
    RequestType.ASSET_RETURN: (Cooperation.CONFISCATION,),
    RequestType.RECORDS_EXTRACT: (Cooperation.CRIMINAL_RECORDS, Cooperation.MLA),
    RequestType.CONVICTION_NOTICE: (Cooperation.CRIMINAL_RECORDS,),
    RequestType.TRANSFER_OF_PROCEEDINGS: (Cooperation.TRANSFER_OF_PROCEEDINGS,),
}

# Request fields this module lays out itself, or that are bookkeeping and never printed.
# Any other field (added to the model later) is printed under "Further particulars".
_KNOWN_FIELDS = frozenset(
    {
        "id", "public_id", "reference", "case", "type", "status", "title", "urgency",
        "urgency_reason", "requesting_authority", "requested_state", "requested_authority",
        "executing_authority", "proceedings_nature", "proceedings_reference",
        "conducting_authority", "summary_of_facts", "purpose", "particular_procedure",
        "confidentiality", "legal_basis", "legal_basis_codes", "time_limit", "refusal_ground",
        "created_by", "created_at", "updated_at", "submitted_at", "acknowledged_at",
        "acknowledgement_due", "response_due", "completed_at", "version", "search_text",
    }
)  # fmt: skip


class ContentError(ValueError):
    """The document cannot be written as asked (e.g. an unsupported language)."""


# --- The pieces --------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A piece of text and the language it is in.

    ``status`` is empty for fixed texts and for typed facts already in the page's language;
    otherwise it says where the typed fact stands for this language: needed (shown as typed),
    done or certified (the translation is shown).
    """

    text: str
    lang: str
    status: str = ""

    @property
    def rtl(self) -> bool:
        return self.lang in RTL_LANGUAGES

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"


@dataclass(frozen=True)
class Item:
    """One thing in a section: a labelled value, a paragraph, or a table."""

    kind: str  # "field" | "paragraph" | "table"
    label: str = ""
    value: Text | None = None
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[Text, ...], ...] = ()
    widths: tuple[int, ...] = ()  # a table's column widths, in per cent

    @property
    def records(self) -> list[list[tuple[str, Text]]]:
        """A table's rows as (header, cell) pairs: how a narrow column shows it."""
        return [list(zip(self.headers, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Page:
    """The whole document in one language."""

    language: str
    rtl: bool
    letterhead: tuple[str, ...]
    document_title: str
    title: Text
    sections: tuple[Section, ...]
    labels: dict[str, str]
    status_labels: dict[str, str]


@dataclass(frozen=True)
class Meta:
    reference: str
    number: int
    verification_code: str
    generated_on: str
    languages: tuple[str, ...]
    layout: str
    template_version: str = TEMPLATE_VERSION
    check_url: str = ""

    @property
    def code_display(self) -> str:
        return group_code(self.verification_code)


@dataclass(frozen=True)
class Document:
    meta: Meta
    pages: tuple[Page, ...]
    # Filled once the content is hashed; not part of what the hash covers.
    content_sha256: str = field(default="", compare=False)

    @property
    def bilingual(self) -> bool:
        return len(self.pages) == 2

    @property
    def first(self) -> Page:
        return self.pages[0]

    @property
    def rows(self) -> list[tuple[Section, Section | None]]:
        """Sections side by side (the second is None in a one-language document)."""
        second = self.pages[1].sections if self.bilingual else (None,) * len(self.first.sections)
        return list(zip(self.first.sections, second, strict=True))

    def canonical(self) -> bytes:
        body = {"meta": asdict(self.meta), "pages": [asdict(page) for page in self.pages]}
        return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()

    def hashed(self) -> Document:
        digest = hashlib.sha256(self.canonical()).hexdigest()
        return Document(meta=self.meta, pages=self.pages, content_sha256=digest)


# --- Languages of typed text ---------------------------------------------------------------


def _script_language(char: str) -> str:
    name = unicodedata.name(char, "")
    if name.startswith(("ARABIC", "PERSIAN")):
        return "fa"
    if name.startswith("CYRILLIC"):
        return "ru"
    if name.startswith("LATIN"):
        return "en"
    return ""


def guess_language(text: str) -> str:
    """The document language whose script most letters of ``text`` are in ("" if none).

    A script stands for a language only among the document languages: Kazakh written in
    Cyrillic counts as Russian here, so it is not marked for translation into Russian.
    """
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            language = _script_language(char)
            if language:
                counts[language] = counts.get(language, 0) + 1
    if not counts:
        return ""
    return max(counts, key=lambda language: counts[language])


def supported(languages: Iterable[str]) -> list[str]:
    return [code for code in languages if code in DOCUMENT_LANGUAGES]


def default_languages(authority: Authority) -> list[str]:
    """The requested authority's accepted languages that documents exist in; else English."""
    accepted = supported(str(code).lower()[:2] for code in (authority.accepted_languages or []))
    return accepted[:1] or ["en"]


def check_languages(languages: list[str], layout: str) -> list[str]:
    """The languages normalised, or ContentError with a message for the user."""
    wanted = [code.strip().lower() for code in languages if code.strip()]
    unknown = [code for code in wanted if code not in DOCUMENT_LANGUAGES]
    if unknown:
        raise ContentError(
            _("Documents cannot be written in %(unknown)s yet; choose from: %(allowed)s.")
            % {"unknown": ", ".join(unknown), "allowed": ", ".join(DOCUMENT_LANGUAGES)}
        )
    if len(set(wanted)) != len(wanted):
        raise ContentError(_("Choose two different languages for a bilingual document."))
    expected = 2 if layout == "bilingual" else 1
    if len(wanted) != expected:
        if layout == "bilingual":
            raise ContentError(_("A bilingual document needs exactly two languages."))
        raise ContentError(_("A one-language document needs exactly one language."))
    return wanted


# --- Reading the request once --------------------------------------------------------------


@dataclass
class Source:
    """Everything the document shows, read in a fixed number of queries."""

    request: Request
    offences: list[Offence]
    measures: list[AssistanceMeasure]
    persons: list[Person]
    instruments: list[Instrument]
    translations: dict[tuple[str, str], FactTranslation]
    last_transition: TimelineEvent | None
    extra: list[models.Field[Any, Any]]

    @property
    def solar_hijri(self) -> bool:
        r = self.request
        return calendars.uses_solar_hijri(r.requested_state.iso3, r.requesting_authority.state.iso3)


def _extra_fields(request: Request) -> list[models.Field[Any, Any]]:
    """Fields of the request model that this module does not know, worth printing."""
    fields: list[models.Field[Any, Any]] = []
    for model_field in request._meta.concrete_fields:
        if model_field.name in _KNOWN_FIELDS or not model_field.editable:
            continue
        if isinstance(model_field, models.DateTimeField) or model_field.name.endswith("_at"):
            continue  # timestamps are bookkeeping; legal dates are DateFields
        fields.append(model_field)
    return fields


def load(request: Request) -> Source:
    fresh = (
        Request.objects.select_related(
            "requesting_authority__state", "requested_state", "requested_authority__state"
        )
        .prefetch_related(
            Prefetch("offences", queryset=Offence.objects.select_related("iccs")),
            "assistance_sought",
            Prefetch("persons", queryset=Person.objects.select_related("nationality")),
            "translations",
        )
        .get(pk=request.pk)
    )
    cooperation = _COOPERATION_OF_TYPE.get(fresh.type, (Cooperation.MLA,))
    codes = [str(code) for code in (fresh.legal_basis_codes or [])]
    by_code = {
        instrument.code: instrument
        for instrument in Instrument.objects.filter(code__in=codes).prefetch_related(
            Prefetch(
                "articles",
                queryset=Article.objects.filter(cooperation__in=cooperation),
                to_attr="chosen_articles",
            )
        )
    }
    last = (
        TimelineEvent.objects.filter(request=fresh, kind=EventKind.TRANSITION)
        .order_by("-created_at", "-id")
        .first()
    )
    return Source(
        request=fresh,
        offences=list(fresh.offences.all()),
        measures=list(fresh.assistance_sought.all()),
        persons=list(fresh.persons.all()),
        instruments=[by_code[code] for code in codes if code in by_code],
        translations={(t.field, t.language): t for t in fresh.translations.all()},
        last_transition=last,
        extra=_extra_fields(fresh),
    )


@dataclass(frozen=True)
class TypedFact:
    """A piece of text the officer typed, which a document may need translated."""

    name: str  # the request field, or a list item as persons.0.details
    label: str
    text: str


_TYPED_SCALARS = (
    "title",
    "urgency_reason",
    "conducting_authority",
    "legal_basis",
    "summary_of_facts",
    "purpose",
    "particular_procedure",
    "confidentiality",
)


def _is_reference(name: str) -> bool:
    """Numbers and references are copied, never translated."""
    return name.endswith(("_reference", "_number"))


def _label(request: Request, name: str) -> str:
    text = str(getattr(request._meta.get_field(name), "verbose_name", name))
    return text[:1].upper() + text[1:]


def typed_facts(source: Source) -> list[TypedFact]:
    """Every non-empty typed text of the request, in document order."""
    r = source.request
    facts = [
        TypedFact(name, _label(r, name), str(getattr(r, name)))
        for name in _TYPED_SCALARS
        if str(getattr(r, name, "") or "").strip()
    ]
    for index, offence in enumerate(source.offences):
        if offence.description.strip():
            label = _("Offence %(number)s: description") % {"number": index + 1}
            facts.append(TypedFact(f"offences.{index}.description", label, offence.description))
    for index, measure in enumerate(source.measures):
        if measure.details.strip():
            label = _("Measure %(number)s: details") % {"number": index + 1}
            facts.append(TypedFact(f"assistance_sought.{index}.details", label, measure.details))
    for index, person in enumerate(source.persons):
        if person.details.strip():
            label = _("Person %(number)s: identifying details") % {"number": index + 1}
            facts.append(TypedFact(f"persons.{index}.details", label, person.details))
    for model_field in source.extra:
        value = getattr(r, model_field.name, None)
        if (
            isinstance(value, str)
            and value.strip()
            and not model_field.choices
            and not _is_reference(model_field.name)
        ):
            facts.append(TypedFact(model_field.name, _label(r, model_field.name), value))
    return facts


# --- Writing one page ------------------------------------------------------------------------


def authority_name(authority: Authority, language: str) -> str:
    if language == "ru" and authority.name_ru:
        return authority.name_ru
    if language == authority.local_language and authority.name_local:
        return authority.name_local
    return authority.name_en


def state_name(state: State, language: str) -> str:
    localized: str = getattr(state, f"name_{language}", "") or state.name_en
    return localized


def format_date(day: date, language: str, *, solar_hijri: bool) -> str:
    text = calendars.gregorian_date(day, language)
    if solar_hijri:
        # The Solar Hijri date beside the Gregorian one, as both calendars are official.
        text = f"{text} ({calendars.solar_hijri_date(day, language)})"
    return text


class _Writer:
    """Builds the page of one language; runs inside translation.override(language)."""

    def __init__(self, source: Source, language: str, generated_on: date) -> None:
        self.source = source
        self.request = source.request
        self.language = language
        self.generated_on = generated_on

    def plain(self, text: str) -> Text:
        return Text(text, self.language)

    def fact(self, name: str, typed: str) -> Text:
        """A typed fact as it stands in this language (see Text)."""
        found = self.source.translations.get((name, self.language))
        if found is not None and found.text.strip() and found.status != TranslationStatus.NEEDED:
            return Text(found.text.strip(), self.language, found.status)
        typed = typed.strip()
        written_in = guess_language(typed)
        if written_in in ("", self.language):
            return Text(typed, self.language)
        return Text(typed, written_in, TranslationStatus.NEEDED)

    def as_typed(self, typed: str) -> Text:
        """Names and references: never translated, shown in their own script."""
        return Text(typed.strip(), guess_language(typed) or self.language)

    def date(self, day: date) -> Text:
        return self.plain(format_date(day, self.language, solar_hijri=self.source.solar_hijri))

    def field(self, label: str, value: Text) -> Item:
        return Item("field", label=label, value=value)

    def paragraph(self, value: Text) -> Item:
        return Item("paragraph", value=value)

    # The sections, in the order of UNTOC art. 18(15) and the Model Treaty.

    def particulars(self) -> Section:
        r = self.request
        items = [
            self.field(_("Reference"), self.as_typed(r.reference)),
            self.field(_("Date"), self.date(self.generated_on)),
            self.field(
                _("Requesting authority"),
                self.plain(authority_name(r.requesting_authority, self.language)),
            ),
            self.field(
                _("Requested state"), self.plain(state_name(r.requested_state, self.language))
            ),
            self.field(
                _("Requested central authority"),
                self.plain(authority_name(r.requested_authority, self.language)),
            ),
        ]
        if r.urgency != Urgency.NORMAL:
            items.append(self.field(_("Urgency"), self.plain(str(Urgency(r.urgency).label))))
            if r.urgency_reason.strip():
                items.append(
                    self.field(
                        _("Reasons for urgency"), self.fact("urgency_reason", r.urgency_reason)
                    )
                )
        if r.time_limit is not None:
            items.append(self.field(_("Time limit requested"), self.date(r.time_limit)))
        return Section("particulars", _("Particulars of the request"), tuple(items))

    def legal_basis(self) -> Section | None:
        items: list[Item] = []
        for instrument in self.source.instruments:
            title = instrument.title_ru if self.language == "ru" and instrument.title_ru else ""
            text = title or instrument.title_en
            articles = [a.article for a in getattr(instrument, "chosen_articles", [])]
            label = instrument.short_title or instrument.code
            if articles:
                text = _("%(title)s, articles %(articles)s") % {
                    "title": text,
                    "articles": ", ".join(articles),
                }
            items.append(self.field(label, Text(text, "ru" if title else "en")))
        if self.request.legal_basis.strip():
            items.append(self.paragraph(self.fact("legal_basis", self.request.legal_basis)))
        if not items:
            return None
        return Section("legal_basis", _("Legal basis"), tuple(items))

    def proceedings(self) -> Section:
        r = self.request
        items = [
            self.field(
                _("Nature of the proceedings"),
                self.plain(str(ProceedingsNature(r.proceedings_nature).label)),
            )
        ]
        if r.proceedings_reference.strip():
            items.append(
                self.field(_("Proceedings reference"), self.as_typed(r.proceedings_reference))
            )
        if r.conducting_authority.strip():
            items.append(
                self.field(
                    _("Authority conducting the proceedings"),
                    self.fact("conducting_authority", r.conducting_authority),
                )
            )
        return Section("proceedings", _("The proceedings"), tuple(items))

    def text_section(self, name: str, heading: str) -> Section | None:
        typed = str(getattr(self.request, name, "") or "")
        if not typed.strip():
            return None
        return Section(name, heading, (self.paragraph(self.fact(name, typed)),))

    def offences(self) -> Section | None:
        if not self.source.offences:
            return None
        rows = tuple(
            (
                Text(f"{o.iccs.code} {o.iccs.label}", "en"),
                self.as_typed(o.provision),
                self.fact(f"offences.{index}.description", o.description),
            )
            for index, o in enumerate(self.source.offences)
        )
        headers = (_("ICCS code"), _("National provision"), _("Description"))
        table = Item("table", headers=headers, rows=rows, widths=(30, 25, 45))
        return Section("offences", _("Offences"), (table,))

    def measures(self) -> Section | None:
        if not self.source.measures:
            return None
        rows = tuple(
            (
                self.plain(str(m.get_measure_display())),
                self.fact(f"assistance_sought.{index}.details", m.details),
            )
            for index, m in enumerate(self.source.measures)
        )
        headers = (_("Measure"), _("Details"))
        table = Item("table", headers=headers, rows=rows, widths=(32, 68))
        return Section("assistance_sought", _("Assistance sought"), (table,))

    def persons(self) -> Section | None:
        if not self.source.persons:
            return None
        rows = tuple(
            (
                self.plain(str(p.get_role_display())),
                self.as_typed(p.name),
                self.date(p.birth_date) if p.birth_date else self.plain(""),
                self.plain(state_name(p.nationality, self.language) if p.nationality else ""),
                self.fact(f"persons.{index}.details", p.details),
            )
            for index, p in enumerate(self.source.persons)
        )
        headers = (
            _("Role"),
            _("Name"),
            _("Date of birth"),
            _("Nationality"),
            _("Identifying details"),
        )
        table = Item("table", headers=headers, rows=rows, widths=(14, 22, 20, 14, 30))
        return Section("persons", _("Persons"), (table,))

    def extra_value(self, model_field: models.Field[Any, Any]) -> Text | None:
        value = getattr(self.request, model_field.name, None)
        if value is None or value is False or value in ("", [], {}):
            return None  # not stated (a flag that is off says nothing either)
        if model_field.choices:
            return self.plain(str(dict(model_field.flatchoices).get(value, value)))
        if isinstance(value, str):
            if _is_reference(model_field.name):
                return self.as_typed(value)
            return self.fact(model_field.name, value)
        if isinstance(value, list):
            texts = [v for v in value if isinstance(v, str)]
            return self.as_typed(", ".join(texts)) if len(texts) == len(value) else None
        return self.plain_value(value)

    def plain_value(self, value: object) -> Text | None:
        """A value that is not typed text: a flag, a date, an authority, a number."""
        if isinstance(value, bool):
            text = _("Yes") if value else _("No")
        elif isinstance(value, date):
            return self.date(value)
        elif isinstance(value, Authority):
            text = authority_name(value, self.language)
        elif isinstance(value, State):
            text = state_name(value, self.language)
        elif isinstance(value, int | float | Decimal):
            text = str(value)
        else:
            return None
        return self.plain(text)

    def further(self) -> Section | None:
        items = []
        for model_field in self.source.extra:
            value = self.extra_value(model_field)
            if value is not None:
                label = str(model_field.verbose_name)
                items.append(self.field(label[:1].upper() + label[1:], value))
        if not items:
            return None
        return Section("further", _("Further particulars"), tuple(items))

    def page(self) -> Page:
        r = self.request
        sections = [
            self.particulars(),
            self.legal_basis(),
            self.proceedings(),
            self.text_section("summary_of_facts", _("Summary of facts")),
            self.offences(),
            self.measures(),
            self.persons(),
            self.text_section("purpose", _("Purpose of the request")),
            self.text_section("particular_procedure", _("Particular procedure to follow")),
            self.text_section("confidentiality", _("Confidentiality")),
            self.further(),
        ]
        authority = r.requesting_authority
        return Page(
            language=self.language,
            rtl=self.language in RTL_LANGUAGES,
            letterhead=(
                authority_name(authority, self.language),
                state_name(authority.state, self.language),
            ),
            document_title=_("Request: %(type)s") % {"type": RequestType(r.type).label},
            title=self.fact("title", r.title),
            sections=tuple(s for s in sections if s is not None),
            labels=_fixed_labels(),
            status_labels={
                TranslationStatus.NEEDED: _("Translation required"),
                TranslationStatus.DONE: _("Translated"),
                TranslationStatus.CERTIFIED: _("Certified translation"),
            },
        )


def _fixed_labels() -> dict[str, str]:
    """Fixed texts of the layout (header, footer, signature, verification block)."""
    return {
        "page_of": _("Page %(page)s of %(pages)s"),
        "version": _("Version"),
        "signature": _("Signature and seal"),
        "place_date": _("Place and date"),
        "verification": _("Verification"),
        "verification_code": _("Verification code"),
        "check_at": _("Check this document at %(url)s with the code above."),
        "content_hash": _("SHA-256 of the content"),
        "file_hash_note": _(
            "The SHA-256 of the file itself is kept in Comity and shown on the verification page."
        ),
        "reference": _("Reference"),
    }


def build(
    source: Source,
    *,
    languages: list[str],
    layout: str,
    number: int,
    verification_code: str,
    generated_on: date,
    check_url: str,
) -> Document:
    pages = []
    for language in languages:
        with translation.override(language):
            pages.append(_Writer(source, language, generated_on).page())
    meta = Meta(
        reference=source.request.reference,
        number=number,
        verification_code=verification_code,
        generated_on=generated_on.isoformat(),
        languages=tuple(languages),
        layout=layout,
        check_url=check_url,
    )
    return Document(meta=meta, pages=tuple(pages)).hashed()


def css_page_counter(template: str, counter_style: str = "decimal") -> str:
    """``Page %(page)s of %(pages)s`` as a CSS ``content`` value with page counters."""
    parts = re.split(r"(%\((?:page|pages)\)s)", template)
    out = []
    for part in parts:
        if part == "%(page)s":
            out.append(f"counter(page, {counter_style})")
        elif part == "%(pages)s":
            out.append(f"counter(pages, {counter_style})")
        elif part:
            out.append(json.dumps(part, ensure_ascii=False))
    return " ".join(out)


def group_code(code: str) -> str:
    """A verification code as printed: groups of four, e.g. ABCD-EFGH-JK."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
