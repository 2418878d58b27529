"""What a request must contain before it may leave, and what may get it refused.

Three tables drive everything; docs/checks.md lists them and a test keeps it in step:

* ``RULES``: per type of request, the contents the applicable instruments require. Each rule
  names the field it is about, when it applies, what to tell the drafter and the articles it
  comes from. A citation belongs to an instrument: the drafter sees the citations of the
  instruments chosen as legal basis, or the rule's first citation when none of them speaks.
* ``THRESHOLDS``: the minimum penalty or sentence of the extradition instruments.
* ``ARREST_DEADLINES``: how long a provisionally arrested person may be held before the
  formal request must arrive.

``missing`` blocks submission (the submit transition refuses with the list); ``warnings``
only warns of refusal risks (docs/DOMAIN.md §5.3). Article numbers marked ``verify`` were
not checked against an official text (data/treaties/instruments.md) and say so on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comity.cooperation.models import (
    ExtraditionBasis,
    Measure,
    PersonRole,
    RecordPurpose,
    Request,
    RequestType,
    Urgency,
)
from comity.directory.models import DualCriminality
from comity.treaties.models import Declaration, DeclarationTopic

# ---------------------------------------------------------------------------- citations

UNTOC = "UNTOC"
UNCAC = "UNCAC"
UN1988 = "UN1988"
ETS024 = "COE_ETS024_EXTRADITION"
ETS030 = "COE_ETS030_MLA"
MINSK = "CIS_MINSK_1993"
CHISINAU = "CIS_CHISINAU_2002"
# Not instruments of the treaty data: the UN model treaties and good practice apply whatever
# the legal basis, and are cited when no chosen instrument speaks.
MODEL_MLA = "model_mla"
MODEL_EXTRADITION = "model_extradition"
PRACTICE = "practice"

INSTRUMENT_LABELS: dict[str, Promise] = {
    UNTOC: gettext_lazy("UNTOC"),
    UNCAC: gettext_lazy("UNCAC"),
    UN1988: gettext_lazy("1988 Convention"),
    ETS024: gettext_lazy("ETS 024"),
    ETS030: gettext_lazy("ETS 030"),
    MINSK: gettext_lazy("Minsk Convention 1993"),
    CHISINAU: gettext_lazy("Chisinau Convention 2002"),
    MODEL_MLA: gettext_lazy("UN Model Treaty on MLA"),
    MODEL_EXTRADITION: gettext_lazy("UN Model Treaty on Extradition"),
    PRACTICE: gettext_lazy("Good practice"),
}


@dataclass(frozen=True)
class Cite:
    instrument: str  # a treaties.Instrument code, or MODEL_* / PRACTICE
    article: str = ""  # "" when the article number is not known
    verify: bool = False  # the number was not checked against an official text
    part: Promise | None = None  # a protocol to the instrument

    def __str__(self) -> str:
        label = str(INSTRUMENT_LABELS[self.instrument])
        if self.part:
            label = _("%(instrument)s, %(part)s") % {"instrument": label, "part": self.part}
        text = _("%(instrument)s art. %(article)s") % {
            "instrument": label,
            "article": self.article,
        }
        if not self.article:
            text = label
        if self.verify:
            text = _("%(citation)s (to verify)") % {"citation": text}
        return text


GENERAL = frozenset({MODEL_MLA, MODEL_EXTRADITION, PRACTICE})


def cited(sources: Iterable[Cite], basis: frozenset[str]) -> str:
    """The citations of the chosen instruments; when none of them speaks, the model
    treaties' (or good practice), else the first citation."""
    sources = tuple(sources)
    chosen = (
        [c for c in sources if c.instrument in basis]
        or [c for c in sources if c.instrument in GENERAL]
        or list(sources[:1])
    )
    return "; ".join(str(c) for c in chosen)


# ---------------------------------------------------------------------------- the facts


SOUGHT_ROLES = frozenset(
    {PersonRole.PERSON_SOUGHT, PersonRole.ACCUSED, PersonRole.CONVICTED, PersonRole.SUSPECT}
)
# Measures that need coercion in the requested state (dual criminality may be required).
COERCIVE_MEASURES = frozenset(
    {Measure.SEARCH_AND_SEIZURE, Measure.FREEZE_ASSETS, Measure.CONFISCATE_ASSETS, Measure.ARREST}
)


@dataclass(frozen=True)
class PersonFacts:
    role: str
    name: str
    birth_date: date | None
    nationality_id: int | None
    nationality: str  # the state's name, in the user's language
    details: str

    @property
    def sought(self) -> bool:
        return self.role in SOUGHT_ROLES


@dataclass(frozen=True)
class PropertyFacts:
    description: str
    offence_link: str
    order_reference: str
    order_date: date | None
    order_authority: str


@dataclass(frozen=True)
class Facts:
    """A request and its lists, read once for every rule."""

    request: Request
    basis: frozenset[str]
    measures: frozenset[str]
    provisions: tuple[str, ...]
    persons: tuple[PersonFacts, ...]
    properties: tuple[PropertyFacts, ...]

    @classmethod
    def load(cls, request: Request) -> Facts:
        """Four queries, whatever the number of rows."""
        persons = request.persons.select_related("nationality")
        properties = request.properties.values_list(
            "description", "offence_link", "order_reference", "order_date", "order_authority"
        )
        return cls(
            request=request,
            basis=frozenset(request.legal_basis_codes or ()),
            measures=frozenset(request.assistance_sought.values_list("measure", flat=True)),
            provisions=tuple(request.offences.values_list("provision", flat=True)),
            persons=tuple(
                PersonFacts(
                    role=p.role,
                    name=p.name,
                    birth_date=p.birth_date,
                    nationality_id=p.nationality_id,
                    nationality=p.nationality.name if p.nationality else "",
                    details=p.details,
                )
                for p in persons
            ),
            properties=tuple(PropertyFacts(*row) for row in properties),
        )

    def value(self, name: str) -> object:
        return {
            "offences": self.provisions,
            "assistance_sought": self.measures,
            "persons": self.persons,
            "properties": self.properties,
        }.get(name, getattr(self.request, name, None))

    def filled(self, name: str) -> bool:
        value = self.value(name)
        if isinstance(value, str):
            return bool(value.strip())
        if isinstance(value, tuple | frozenset):
            return bool(value)
        return value is not None

    @property
    def sought(self) -> tuple[PersonFacts, ...]:
        return tuple(p for p in self.persons if p.sought)

    @property
    def branch(self) -> str:
        return str(self.request.extradition_basis or "")

    @property
    def coercive(self) -> bool:
        return self.request.type in COERCIVE_TYPES or bool(self.measures & COERCIVE_MEASURES)


# ---------------------------------------------------------------------------- rules

ALL = frozenset(RequestType.values)
MLA = frozenset({RequestType.MLA})
ASSETS = frozenset({RequestType.FREEZING, RequestType.SEIZURE, RequestType.CONFISCATION})
OTHER_MLA = frozenset(
    {
        RequestType.ASSET_RETURN,
        RequestType.TRANSFER_OF_PROCEEDINGS,
        RequestType.CONVICTION_NOTICE,
    }
)
# Requests whose contents follow UNTOC art. 18(15) and its twins.
MLA_CONTENT = MLA | ASSETS | OTHER_MLA
EXTRADITION = frozenset({RequestType.EXTRADITION})
ARREST = frozenset({RequestType.PROVISIONAL_ARREST})
SURRENDER = EXTRADITION | ARREST
RECORDS = frozenset({RequestType.RECORDS_EXTRACT})
COERCIVE_TYPES = SURRENDER | ASSETS

Condition = Callable[[Facts], bool]


def always(facts: Facts) -> bool:
    """always"""
    return True


def _urgent(f: Facts) -> bool:
    """urgency is not normal"""
    return f.request.urgency != Urgency.NORMAL


def _not_service_only(f: Facts) -> bool:
    """not only service of documents"""
    return f.measures != {Measure.SERVICE_OF_DOCUMENTS}


def _serves_documents(f: Facts) -> bool:
    """service of documents is sought"""
    return Measure.SERVICE_OF_DOCUMENTS in f.measures


def _cis_basis(f: Facts) -> bool:
    """Minsk or Chisinau is a legal basis"""
    return bool(f.basis & {MINSK, CHISINAU})


def _cis_basis_with_persons(f: Facts) -> bool:
    """Minsk or Chisinau is a legal basis and persons are named"""
    return _cis_basis(f) and bool(f.persons)


def _has_sought(f: Facts) -> bool:
    """a person sought is named"""
    return bool(f.sought)


def _has_properties(f: Facts) -> bool:
    """property is listed"""
    return bool(f.properties)


def _has_persons(f: Facts) -> bool:
    """persons are named"""
    return bool(f.persons)


def _prosecution(f: Facts) -> bool:
    """sought for prosecution"""
    return f.branch == ExtraditionBasis.PROSECUTION


def _enforcement(f: Facts) -> bool:
    """sought to serve a sentence"""
    return f.branch == ExtraditionBasis.ENFORCEMENT


def _in_absentia(f: Facts) -> bool:
    """sentence given in absentia"""
    return _enforcement(f) and f.request.in_absentia is True


def _for_proceedings(f: Facts) -> bool:
    """extract for criminal proceedings"""
    return f.request.record_purpose == RecordPurpose.CRIMINAL_PROCEEDINGS


def _someone_sought(f: Facts) -> bool:
    """a person sought has a name"""
    return any(p.name.strip() for p in f.sought)


def _sought_born(f: Facts) -> bool:
    """every person sought has a date of birth"""
    return all(p.birth_date for p in f.sought)


def _sought_nationality(f: Facts) -> bool:
    """every person sought has a nationality"""
    return all(p.nationality_id for p in f.sought)


def _sought_described(f: Facts) -> bool:
    """every person sought is described"""
    return all(p.details.strip() for p in f.sought)


def _everyone_nationality(f: Facts) -> bool:
    """every person has a nationality"""
    return all(p.nationality_id for p in f.persons)


def _everyone_born(f: Facts) -> bool:
    """every person has a date of birth"""
    return all(p.birth_date for p in f.persons)


def _someone_to_serve(f: Facts) -> bool:
    """a person has a name and an address"""
    return any(p.name.strip() and p.details.strip() for p in f.persons)


def _properties_described(f: Facts) -> bool:
    """every property is described"""
    return all(p.description.strip() for p in f.properties)


def _properties_linked(f: Facts) -> bool:
    """every property is linked to the offence"""
    return all(p.offence_link.strip() for p in f.properties)


def _properties_ordered(f: Facts) -> bool:
    """every property has its order (reference, date, court)"""
    return all(
        p.order_reference.strip() and p.order_date and p.order_authority.strip()
        for p in f.properties
    )


def _extradition_announced(f: Facts) -> bool:
    """the answer is yes"""
    return f.request.intention_to_request_extradition is True


@dataclass(frozen=True)
class Rule:
    key: str  # stable, for docs and tests
    field: str  # the request's field (or list) the drafter completes
    types: frozenset[str]
    applies_when: Condition
    message: Promise
    sources: tuple[Cite, ...]
    # Whether the request meets the rule; by default, the field is filled in.
    satisfied: Condition | None = None

    def met(self, facts: Facts) -> bool:
        return self.satisfied(facts) if self.satisfied else facts.filled(self.field)


def _mla(letter: str) -> tuple[Cite, ...]:
    """The six elements that UNTOC 18(15), UNCAC 46(15) and the 1988 Convention 7(10) share."""
    return (
        Cite(UNTOC, f"18(15)({letter})"),
        Cite(UNCAC, f"46(15)({letter})"),
        Cite(UN1988, f"7(10)({letter})"),
    )


_PROTOCOL_2 = gettext_lazy("Second Additional Protocol")
_MINSK_7 = Cite(MINSK, "7", verify=True)
_CHISINAU_REQUEST = Cite(CHISINAU, "", verify=True)
_ETS024_DOCUMENTS = Cite(ETS024, "12(2)(a)")
_ETS024_OFFENCE = Cite(ETS024, "12(2)(b)")
_ETS024_PERSON = Cite(ETS024, "12(2)(c)")
_ETS024_ARREST = Cite(ETS024, "16(2)")
_MINSK_58 = Cite(MINSK, "58", verify=True)
_MINSK_61 = Cite(MINSK, "61", verify=True)
_MODEL_EXT_5 = Cite(MODEL_EXTRADITION, "5", verify=True)
_MODEL_EXT_9 = Cite(MODEL_EXTRADITION, "9", verify=True)

RULES: tuple[Rule, ...] = (
    # Every request.
    Rule(
        "title",
        "title",
        ALL,
        always,
        gettext_lazy("Give the request a title."),
        (Cite(PRACTICE),),
    ),
    Rule(
        "urgency_reason",
        "urgency_reason",
        ALL - ARREST,
        _urgent,
        gettext_lazy("Say why the request is urgent."),
        (Cite(PRACTICE),),
    ),
    # Mutual legal assistance and its kin: UNTOC 18(15) (a) is the requesting authority,
    # which Comity fills in itself.
    Rule(
        "mla.conducting_authority",
        "conducting_authority",
        MLA_CONTENT,
        always,
        gettext_lazy(
            "Name the authority conducting the investigation, prosecution or proceedings."
        ),
        (*_mla("b"), _MINSK_7, _CHISINAU_REQUEST),
    ),
    Rule(
        "mla.offences",
        "offences",
        MLA_CONTENT,
        always,
        gettext_lazy("Name at least one offence and its provision of national law."),
        (*_mla("b"), Cite(ETS030, "14(2)"), _MINSK_7, _CHISINAU_REQUEST),
    ),
    Rule(
        "mla.facts",
        "summary_of_facts",
        MLA_CONTENT,
        _not_service_only,
        gettext_lazy("Summarise the relevant facts."),
        (*_mla("c"), Cite(ETS030, "14(2)"), _MINSK_7, _CHISINAU_REQUEST),
    ),
    Rule(
        "mla.assistance",
        "assistance_sought",
        MLA,
        always,
        gettext_lazy("Describe the assistance sought."),
        (*_mla("d"), Cite(ETS030, "14(1)(b)"), _MINSK_7, _CHISINAU_REQUEST),
    ),
    Rule(
        "mla.purpose",
        "purpose",
        MLA_CONTENT,
        always,
        gettext_lazy("State the purpose for which the evidence, information or action is sought."),
        (*_mla("f"), Cite(ETS030, "14(1)(b)")),
    ),
    Rule(
        "mla.person_to_serve",
        "persons",
        MLA,
        _serves_documents,
        gettext_lazy(
            "Name the person to be served and give the address in the identifying details."
        ),
        (Cite(MODEL_MLA, "5", verify=True), Cite(ETS030, "14(1)(d)")),
        _someone_to_serve,
    ),
    Rule(
        "cis.persons",
        "persons",
        MLA_CONTENT,
        _cis_basis,
        gettext_lazy("Name the persons the request concerns: accused, witnesses, victims."),
        (_MINSK_7, _CHISINAU_REQUEST),
    ),
    Rule(
        "cis.nationality",
        "persons",
        MLA_CONTENT,
        _cis_basis_with_persons,
        gettext_lazy("Give the nationality of every person named."),
        (_MINSK_7, _CHISINAU_REQUEST),
        _everyone_nationality,
    ),
    # Freezing, seizure, confiscation: UNTOC 13(3), UNCAC 55(3), 1988 Convention 5(4).
    Rule(
        "assets.property",
        "properties",
        ASSETS,
        always,
        gettext_lazy("List at least one property: what it is, where it is and who holds it."),
        (Cite(UNTOC, "13(3)"), Cite(UNCAC, "55(3)"), Cite(UN1988, "5(4)(b)")),
    ),
    Rule(
        "assets.description",
        "properties",
        ASSETS,
        _has_properties,
        gettext_lazy("Describe every property listed."),
        (Cite(UNTOC, "13(3)(a)"), Cite(UNCAC, "55(3)(a)"), Cite(UN1988, "5(4)(b)")),
        _properties_described,
    ),
    Rule(
        "assets.link",
        "properties",
        ASSETS,
        _has_properties,
        gettext_lazy(
            "For every property, say how it is linked to the offence "
            "(proceeds, instrument or equivalent value)."
        ),
        (Cite(UNTOC, "13(3)(a)"), Cite(UNCAC, "55(3)(a)"), Cite(UN1988, "5(4)(b)")),
        _properties_linked,
    ),
    Rule(
        "assets.order",
        "properties",
        frozenset({RequestType.CONFISCATION}),
        _has_properties,
        gettext_lazy(
            "For every property, give the confiscation order: its reference, date and court."
        ),
        (Cite(UNTOC, "13(3)(b)"), Cite(UNCAC, "55(3)(b)"), Cite(UN1988, "5(4)(b)")),
        _properties_ordered,
    ),
    # Extradition and provisional arrest (docs/DOMAIN.md §5.2).
    Rule(
        "surrender.basis",
        "extradition_basis",
        SURRENDER,
        always,
        gettext_lazy("Say whether the person is sought for prosecution or to serve a sentence."),
        (_ETS024_DOCUMENTS, _MINSK_58, _MODEL_EXT_5),
    ),
    Rule(
        "surrender.person",
        "persons",
        SURRENDER,
        always,
        gettext_lazy(
            "Name the person sought (role: person sought, accused, suspect or convicted person)."
        ),
        (_ETS024_PERSON, _ETS024_ARREST, _MINSK_58, _MODEL_EXT_5),
        _someone_sought,
    ),
    Rule(
        "surrender.description",
        "persons",
        SURRENDER,
        _has_sought,
        gettext_lazy(
            "Describe the person sought in the identifying details: appearance, identity "
            "documents, where the person may be."
        ),
        (_ETS024_PERSON, _ETS024_ARREST, _MINSK_58, _MODEL_EXT_5),
        _sought_described,
    ),
    Rule(
        "extradition.birth_date",
        "persons",
        EXTRADITION,
        _has_sought,
        gettext_lazy("Give the date of birth of the person sought."),
        (_ETS024_PERSON, _MINSK_58, _MODEL_EXT_5),
        _sought_born,
    ),
    Rule(
        "extradition.nationality",
        "persons",
        EXTRADITION,
        _has_sought,
        gettext_lazy("Give the nationality of the person sought."),
        (_ETS024_PERSON, _MINSK_58, _MODEL_EXT_5),
        _sought_nationality,
    ),
    Rule(
        "surrender.facts",
        "summary_of_facts",
        SURRENDER,
        always,
        gettext_lazy("Describe the acts: when and where they were committed, and by whom."),
        (_ETS024_OFFENCE, _ETS024_ARREST, _MINSK_58, _MODEL_EXT_5),
    ),
    Rule(
        "surrender.offences",
        "offences",
        SURRENDER,
        always,
        gettext_lazy("Name each offence and the provision of law that creates it."),
        (_ETS024_PERSON, _ETS024_ARREST, _MINSK_58, _MODEL_EXT_5),
    ),
    Rule(
        "surrender.penalty",
        "max_penalty",
        SURRENDER,
        always,
        gettext_lazy("State the penalty that the offence carries."),
        (_ETS024_PERSON, _MINSK_58, _MODEL_EXT_5),
    ),
    Rule(
        "surrender.warrant_reference",
        "warrant_reference",
        SURRENDER,
        _prosecution,
        gettext_lazy("Give the reference of the arrest warrant."),
        (_ETS024_DOCUMENTS, _ETS024_ARREST, _MINSK_58, _MODEL_EXT_5),
    ),
    Rule(
        "surrender.warrant_date",
        "warrant_date",
        SURRENDER,
        _prosecution,
        gettext_lazy("Give the date of the arrest warrant."),
        (_ETS024_DOCUMENTS, _ETS024_ARREST, _MINSK_58, _MODEL_EXT_5),
    ),
    Rule(
        "surrender.warrant_authority",
        "warrant_authority",
        SURRENDER,
        _prosecution,
        gettext_lazy("Name the court or authority that issued the arrest warrant."),
        (_ETS024_DOCUMENTS, _ETS024_ARREST, _MINSK_58, _MODEL_EXT_5),
    ),
    Rule(
        "surrender.judgment_reference",
        "judgment_reference",
        SURRENDER,
        _enforcement,
        gettext_lazy("Give the reference of the judgment."),
        (_ETS024_DOCUMENTS, _ETS024_ARREST, _MINSK_58, _MODEL_EXT_5),
    ),
    Rule(
        "surrender.judgment_date",
        "judgment_date",
        SURRENDER,
        _enforcement,
        gettext_lazy("Give the date of the judgment."),
        (_ETS024_DOCUMENTS, _ETS024_ARREST, _MINSK_58, _MODEL_EXT_5),
    ),
    Rule(
        "surrender.judgment_court",
        "judgment_court",
        SURRENDER,
        _enforcement,
        gettext_lazy("Name the court that gave the judgment."),
        (_ETS024_DOCUMENTS, _MINSK_58, _MODEL_EXT_5),
    ),
    Rule(
        "extradition.sentence_imposed",
        "sentence_imposed",
        EXTRADITION,
        _enforcement,
        gettext_lazy("State the sentence imposed."),
        (_ETS024_DOCUMENTS, _MINSK_58, _MODEL_EXT_5),
    ),
    Rule(
        "extradition.sentence_remaining",
        "sentence_remaining",
        EXTRADITION,
        _enforcement,
        gettext_lazy("State how much of the sentence remains to be served."),
        (_MINSK_58, _MODEL_EXT_5),
    ),
    Rule(
        "extradition.in_absentia",
        "in_absentia",
        EXTRADITION,
        _enforcement,
        gettext_lazy("Say whether the judgment was given in absentia."),
        (Cite(ETS024, "3", part=_PROTOCOL_2), Cite(MODEL_EXTRADITION, "3(g)", True)),
    ),
    Rule(
        "extradition.retrial",
        "retrial_assurance",
        EXTRADITION,
        _in_absentia,
        gettext_lazy(
            "The judgment was given in absentia: state that the person will have a retrial "
            "or other means to defend the case."
        ),
        (Cite(ETS024, "3", part=_PROTOCOL_2), Cite(MODEL_EXTRADITION, "3(g)", True)),
    ),
    Rule(
        "arrest.urgency_reason",
        "urgency_reason",
        ARREST,
        always,
        gettext_lazy("Say why the arrest is urgent."),
        (Cite(ETS024, "16(1)"), _MINSK_61, _MODEL_EXT_9),
    ),
    Rule(
        "arrest.intention",
        "intention_to_request_extradition",
        ARREST,
        always,
        gettext_lazy("State that a formal extradition request will follow."),
        (_ETS024_ARREST, _MINSK_61, _MODEL_EXT_9),
        _extradition_announced,
    ),
    # Criminal-record extract.
    Rule(
        "records.person",
        "persons",
        RECORDS,
        always,
        gettext_lazy("Name the person whose criminal record is requested."),
        (Cite(ETS030, "13"), _MINSK_7),
    ),
    Rule(
        "records.birth_date",
        "persons",
        RECORDS,
        _has_persons,
        gettext_lazy("Give the date of birth of every person named."),
        (Cite(ETS030, "13"), _MINSK_7),
        _everyone_born,
    ),
    Rule(
        "records.purpose",
        "record_purpose",
        RECORDS,
        always,
        gettext_lazy("Say what the extract is for: criminal proceedings or another purpose."),
        (Cite(ETS030, "13(1)-(2)"),),
    ),
    Rule(
        "records.conducting_authority",
        "conducting_authority",
        RECORDS,
        _for_proceedings,
        gettext_lazy("Name the authority conducting the criminal proceedings."),
        (Cite(ETS030, "13(1)"), _MINSK_7),
    ),
)

assert len({rule.key for rule in RULES}) == len(RULES)  # noqa: S101 (keys are unique)


@dataclass(frozen=True)
class Missing:
    field: str
    message: str
    source: str
    rule: str


def _missing(facts: Facts) -> list[Missing]:
    kind = facts.request.type
    return [
        Missing(rule.field, str(rule.message), cited(rule.sources, facts.basis), rule.key)
        for rule in RULES
        if kind in rule.types and rule.applies_when(facts) and not rule.met(facts)
    ]


def missing(request: Request) -> list[Missing]:
    """What the request still lacks for its type and legal basis, in the user's language."""
    return _missing(Facts.load(request))


def as_errors(items: Iterable[Missing]) -> dict[str, list[str]]:
    """The list as field errors: "message (source)" under each field."""
    errors: dict[str, list[str]] = {}
    for item in items:
        text = _("%(message)s (%(source)s)") % {"message": item.message, "source": item.source}
        errors.setdefault(item.field, []).append(text)
    return errors


# ---------------------------------------------------------------------------- terms


@dataclass(frozen=True)
class Threshold:
    """The least penalty (prosecution) or sentence (enforcement) an instrument extradites for."""

    instrument: str
    penalty_years: Decimal | None
    sentence_months: Decimal | None
    source: Cite
    note: Promise | None = None


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold(ETS024, Decimal(1), Decimal(4), Cite(ETS024, "2(1)")),
    Threshold(MINSK, Decimal(1), Decimal(6), Cite(MINSK, "56(2)", verify=True)),
    Threshold(CHISINAU, Decimal(1), Decimal(6), Cite(CHISINAU, "", verify=True)),
    Threshold(
        UNTOC,
        Decimal(4),
        None,
        Cite(UNTOC, "2(b), 3(1)"),
        gettext_lazy(
            "UNTOC covers serious crime (at least four years) and the offences it "
            "establishes (arts 5, 6, 8 and 23)."
        ),
    ),
)


@dataclass(frozen=True)
class ArrestTerm:
    """How long a person may be held on provisional arrest awaiting the formal request."""

    instrument: str
    days: int  # release may be ordered once these days have passed without the request
    max_days: int  # the arrest may not last longer
    source: Cite


ARREST_DEADLINES: tuple[ArrestTerm, ...] = (
    ArrestTerm(ETS024, 18, 40, Cite(ETS024, "16(4)")),
    # The 1993 text said one month; 40 days is the figure read for the amended text.
    ArrestTerm(MINSK, 40, 40, Cite(MINSK, "62(1)", verify=True)),
    ArrestTerm(CHISINAU, 40, 40, Cite(CHISINAU, "", verify=True)),
)


@dataclass(frozen=True)
class ReleaseDeadline:
    instrument: str
    arrested: date
    assumed: bool  # no arrest date yet: counted from today
    release_from: date
    release_by: date
    source: str


def release_deadlines(facts: Facts, *, today: date) -> list[ReleaseDeadline]:
    """For a provisional arrest (or an extradition after one): when the person may go free."""
    request = facts.request
    if request.type not in ARREST and request.arrest_date is None:
        return []
    if request.type not in SURRENDER:
        return []
    start = request.arrest_date or today
    return [
        ReleaseDeadline(
            instrument=term.instrument,
            arrested=start,
            assumed=request.arrest_date is None,
            release_from=start + timedelta(days=term.days),
            release_by=start + timedelta(days=term.max_days),
            source=str(term.source),
        )
        for term in ARREST_DEADLINES
        if term.instrument in facts.basis
    ]


# ---------------------------------------------------------------------------- warnings


@dataclass(frozen=True)
class Warning:
    code: str
    message: str
    source: str


@dataclass(frozen=True)
class Context:
    """What the warnings read besides the request: looked up once, on demand."""

    today: date
    nationals_refused: Callable[[], str | None]  # the state's rule, if it refuses nationals


WarningCheck = Callable[[Facts, Context], list[Warning]]


@dataclass(frozen=True)
class WarningRule:
    code: str
    types: frozenset[str]
    check: WarningCheck
    summary: Promise  # for the docs
    sources: tuple[Cite, ...]


def _death_penalty(f: Facts, c: Context) -> list[Warning]:
    if f.request.death_penalty_possible is not True:
        return []
    message = _(
        "The offence may carry the death penalty: the requested state may refuse unless "
        "assurances are given that it will not be imposed or carried out. Add the assurance."
    )
    return [Warning("death_penalty", message, cited(_DEATH_SOURCES, f.basis))]


def _dual_criminality(f: Facts, c: Context) -> list[Warning]:
    authority = f.request.requested_authority
    rule = authority.dual_criminality
    applies = (
        rule == DualCriminality.ALWAYS
        or (rule == DualCriminality.COERCIVE and f.coercive)
        or (rule == DualCriminality.RECIPROCITY and f.coercive and not f.basis)
    )
    if not applies:
        return []
    message = _(
        "%(authority)s requires dual criminality (%(rule)s): show that the conduct is also "
        "an offence in %(state)s."
    ) % {
        "authority": authority.name,
        "rule": DualCriminality(rule).label,
        "state": f.request.requested_state.name,
    }
    if authority.dual_criminality_note:
        message = f"{message} {authority.dual_criminality_note}"
    return [Warning("dual_criminality", message, cited(_DUAL_SOURCES, f.basis))]


def _own_nationals(f: Facts, c: Context) -> list[Warning]:
    state_id = f.request.requested_state_id
    nationals = [p for p in f.sought if p.nationality_id == state_id]
    if not nationals:
        return []
    rule = c.nationals_refused()
    if rule is None:
        return []
    return [
        Warning(
            "own_nationals",
            _(
                "%(name)s is a national of %(state)s, which does not extradite its nationals: "
                "expect a refusal, and consider asking it to prosecute instead."
            )
            % {"name": person.name, "state": person.nationality},
            "; ".join(filter(None, (rule, cited(_NATIONALS_SOURCES, f.basis)))),
        )
        for person in nationals
    ]


def _fiscal(f: Facts, c: Context) -> list[Warning]:
    if f.request.fiscal_offence_only is not True:
        return []
    message = _(
        "A fiscal offence only: some states still refuse these. The conventions bar refusal "
        "on that ground alone; say so, and describe the fraud or deceit involved."
    )
    return [Warning("fiscal_offence", message, cited(_FISCAL_SOURCES, f.basis))]


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    whole = value == value.to_integral_value()
    return str(formats.number_format(int(value) if whole else value.normalize()))


def _below(value: Decimal | None, least: Decimal | None) -> bool:
    return value is not None and least is not None and value < least


def _threshold(f: Facts, c: Context) -> list[Warning]:
    request = f.request
    found: list[Warning] = []
    for term in THRESHOLDS:
        if term.instrument not in f.basis:
            continue
        label = str(INSTRUMENT_LABELS[term.instrument])
        if _below(request.max_penalty_years, term.penalty_years):
            text = _(
                "The maximum penalty (%(given)s years) is below the %(least)s years that "
                "%(instrument)s requires."
            ) % {
                "given": _number(request.max_penalty_years),
                "least": _number(term.penalty_years),
                "instrument": label,
            }
            if term.note:
                text = f"{text} {term.note}"
            found.append(Warning("penalty_threshold", text, str(term.source)))
        if _enforcement(f) and _below(request.sentence_imposed_months, term.sentence_months):
            text = _(
                "The sentence imposed (%(given)s months) is below the %(least)s months that "
                "%(instrument)s requires."
            ) % {
                "given": _number(request.sentence_imposed_months),
                "least": _number(term.sentence_months),
                "instrument": label,
            }
            found.append(Warning("sentence_threshold", text, str(term.source)))
    return found


def _arrest_deadline(f: Facts, c: Context) -> list[Warning]:
    request = f.request
    planned = request.formal_request_by or request.time_limit
    if request.type in EXTRADITION:
        planned = c.today  # this is the formal request: it leaves today at the earliest
    found: list[Warning] = []
    for deadline in release_deadlines(f, today=c.today):
        late = planned is not None and planned > deadline.release_from
        passed = planned is None and c.today > deadline.release_from
        if not (late or passed):
            continue
        text = _(
            "The person may be released from %(release)s (%(instrument)s), but the formal "
            "extradition request is planned for %(planned)s: send it earlier."
        )
        if passed:
            text = _(
                "The person may be released from %(release)s (%(instrument)s) and that date "
                "has passed: send the formal extradition request at once."
            )
        found.append(
            Warning(
                "arrest_deadline",
                text
                % {
                    "release": formats.date_format(deadline.release_from, "SHORT_DATE_FORMAT"),
                    "instrument": str(INSTRUMENT_LABELS[deadline.instrument]),
                    "planned": formats.date_format(planned, "SHORT_DATE_FORMAT") if planned else "",
                },
                deadline.source,
            )
        )
    return found


def _bank_details(f: Facts, c: Context) -> list[Warning]:
    if Measure.BANK_RECORDS not in f.measures or f.filled("bank_details"):
        return []
    message = _(
        "Bank records are asked for without the bank, the accounts and the period: the "
        "requested state may return the request as too vague."
    )
    return [Warning("bank_details", message, cited(_OPTIONAL_SOURCES, f.basis))]


def _witness_questions(f: Facts, c: Context) -> list[Warning]:
    if Measure.WITNESS_STATEMENT not in f.measures or f.filled("questions_for_witnesses"):
        return []
    message = _(
        "A witness statement is asked for without the questions to put: the statement may "
        "not cover what you need."
    )
    return [Warning("witness_questions", message, cited(_OPTIONAL_SOURCES, f.basis))]


_DEATH_SOURCES = (
    Cite(MODEL_EXTRADITION, "4(d)", verify=True),
    Cite(ETS024, "11"),
)
_DUAL_SOURCES = (
    Cite(UNTOC, "18(9)"),
    Cite(UNCAC, "46(9)(b)"),
    Cite(ETS030, "5"),
    Cite(UNTOC, "16(1)"),
)
_NATIONALS_SOURCES = (Cite(UNTOC, "16(10)"), Cite(UNCAC, "44(11)"), Cite(ETS024, "6"))
_FISCAL_SOURCES = (
    Cite(UNTOC, "16(15)"),
    Cite(UNTOC, "18(22)"),
    Cite(UNCAC, "44(16)"),
    Cite(ETS024, "5"),
    Cite(ETS030, "2(a)"),
)
_OPTIONAL_SOURCES = (Cite(MODEL_MLA, "5", verify=True),)

WARNINGS: tuple[WarningRule, ...] = (
    WarningRule(
        "death_penalty",
        ALL,
        _death_penalty,
        gettext_lazy("The offence may carry the death penalty: assurances will be needed."),
        _DEATH_SOURCES,
    ),
    WarningRule(
        "dual_criminality",
        ALL,
        _dual_criminality,
        gettext_lazy(
            "The requested authority requires dual criminality (directory entry), always or "
            "for coercive measures (search and seizure, freezing, confiscation, arrest)."
        ),
        _DUAL_SOURCES,
    ),
    WarningRule(
        "own_nationals",
        SURRENDER,
        _own_nationals,
        gettext_lazy(
            "The person sought is a national of the requested state, which does not "
            "extradite its nationals (treaty data: declarations on own nationals)."
        ),
        _NATIONALS_SOURCES,
    ),
    WarningRule(
        "fiscal_offence",
        ALL,
        _fiscal,
        gettext_lazy("A fiscal offence only."),
        _FISCAL_SOURCES,
    ),
    WarningRule(
        "penalty_threshold",
        SURRENDER,
        _threshold,
        gettext_lazy(
            "The maximum penalty or the sentence imposed is below the instrument's threshold "
            "(THRESHOLDS)."
        ),
        tuple(term.source for term in THRESHOLDS),
    ),
    WarningRule(
        "arrest_deadline",
        SURRENDER,
        _arrest_deadline,
        gettext_lazy(
            "The formal extradition request is planned after the date the provisionally "
            "arrested person may be released (ARREST_DEADLINES)."
        ),
        tuple(term.source for term in ARREST_DEADLINES),
    ),
    WarningRule(
        "bank_details",
        MLA,
        _bank_details,
        gettext_lazy("Bank records asked for without bank, accounts and period."),
        _OPTIONAL_SOURCES,
    ),
    WarningRule(
        "witness_questions",
        MLA,
        _witness_questions,
        gettext_lazy("A witness statement asked for without the questions to put."),
        _OPTIONAL_SOURCES,
    ),
)


def _nationals_rule(request: Request) -> Callable[[], str | None]:
    def lookup() -> str | None:
        declaration = (
            Declaration.objects.filter(
                state_id=request.requested_state_id,
                topic=DeclarationTopic.OWN_NATIONALS,
                value=False,
            )
            .order_by("pk")
            .first()
        )
        if declaration is None:
            return None
        return declaration.source or declaration.text

    return lookup


def _warnings(facts: Facts, *, today: date) -> list[Warning]:
    context = Context(today=today, nationals_refused=_nationals_rule(facts.request))
    kind = facts.request.type
    found: list[Warning] = []
    for rule in WARNINGS:
        if kind in rule.types:
            found.extend(rule.check(facts, context))
    return found


def warnings(request: Request, *, today: date | None = None) -> list[Warning]:
    """Refusal risks worth settling before the request leaves (docs/DOMAIN.md §5.3)."""
    return _warnings(Facts.load(request), today=today or timezone.localdate())


@dataclass(frozen=True)
class Review:
    missing: list[Missing]
    warnings: list[Warning]
    deadlines: list[ReleaseDeadline]

    @property
    def complete(self) -> bool:
        return not self.missing


def review(request: Request, *, today: date | None = None) -> Review:
    """Everything the drafter's panel shows, from one read of the request."""
    facts = Facts.load(request)
    day = today or timezone.localdate()
    return Review(
        missing=_missing(facts),
        warnings=_warnings(facts, today=day),
        deadlines=release_deadlines(facts, today=day),
    )


def review_unsaved(*, kind: str) -> Review:
    """What an empty request of this type lacks: the list a new form starts from."""
    facts = Facts(
        request=Request(type=kind),
        basis=frozenset(),
        measures=frozenset(),
        provisions=(),
        persons=(),
        properties=(),
    )
    return Review(missing=_missing(facts), warnings=[], deadlines=[])


# ---------------------------------------------------------------------------- the docs


def _describe(condition: Condition | None) -> str:
    return (condition.__doc__ or "").strip() if condition else "the field is filled in"


def _all_cites(sources: Iterable[Cite]) -> str:
    return "; ".join(f"{c} (`{c.instrument}`)" for c in sources)


def _types(types: frozenset[str]) -> str:
    if types == ALL:
        return "all"
    return ", ".join(t for t in RequestType.values if t in types)


def as_markdown() -> str:
    """The tables of docs/checks.md, as the code applies them (a test keeps them equal)."""
    with translation.override("en"):
        lines = [
            "### Required contents (block submission)",
            "",
            "| Rule | Field | Types | Applies when | Met when | Message | Sources |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [
            f"| `{r.key}` | `{r.field}` | {_types(r.types)} | {_describe(r.applies_when)} "
            f"| {_describe(r.satisfied)} | {r.message} | {_all_cites(r.sources)} |"
            for r in RULES
        ]
        lines += [
            "",
            "### Risks of refusal (warn only)",
            "",
            "| Warning | Types | When | Sources |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| `{w.code}` | {_types(w.types)} | {w.summary} | {_all_cites(w.sources)} |"
            for w in WARNINGS
        ]
        lines += [
            "",
            "### Extradition thresholds (`THRESHOLDS`)",
            "",
            "| Instrument | Least maximum penalty (years) | Least sentence (months) | Source |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| `{t.instrument}` | {t.penalty_years or '—'} | {t.sentence_months or '—'} "
            f"| {t.source} |"
            for t in THRESHOLDS
        ]
        lines += [
            "",
            "### Provisional arrest: release deadlines (`ARREST_DEADLINES`)",
            "",
            "| Instrument | Release may be ordered after (days) | At the latest (days) | Source |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| `{a.instrument}` | {a.days} | {a.max_days} | {a.source} |" for a in ARREST_DEADLINES
        ]
    return "\n".join(lines) + "\n"
