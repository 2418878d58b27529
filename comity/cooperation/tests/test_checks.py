"""The completeness rules and the refusal-risk warnings, type by type (cooperation.checks)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from comity.cooperation import checks, services
from comity.cooperation.models import Request, TimelineEvent
from comity.directory import changes
from comity.directory.models import Authority
from tests import builders
from tests.personas import Personas

pytestmark = pytest.mark.django_db

TYPES = (
    "mla",
    "extradition",
    "provisional_arrest",
    "freezing",
    "seizure",
    "confiscation",
    "records_extract",
    "asset_return",
    "transfer_of_proceedings",
    "conviction_notice",
)
DOC = Path(__file__).resolve().parents[3] / "docs" / "checks.md"


def _rules(request: Request) -> list[str]:
    return [item.rule for item in checks.missing(request)]


def _codes(request: Request, today: date | None = None) -> list[str]:
    return [w.code for w in checks.warnings(request, today=today)]


def _person(**fields: Any) -> services.PersonData:
    values: dict[str, Any] = {
        "role": "person_sought",
        "name": "Нурлан Ахметов",
        "birth_date": date(1984, 3, 2),
        "nationality": "KAZ",
        "details": "Height 180 cm; passport N1234567.",
        **fields,
    }
    return services.PersonData(**values)


def _property(**fields: Any) -> services.PropertyData:
    values: dict[str, Any] = {
        "kind": "bank_account",
        "description": "Current account",
        "offence_link": "Proceeds of the sales",
        "order_reference": "No. 2-55/2026",
        "order_date": date(2026, 1, 5),
        "order_authority": "Almaty City Court",
        **fields,
    }
    return services.PropertyData(**values)


# Completeness.


@pytest.mark.parametrize("kind", TYPES)
def test_a_complete_request_of_each_type_lacks_nothing(personas: Personas, kind: str) -> None:
    draft = builders.draft(personas.requesting_officer, type=kind)
    assert checks.missing(draft) == []


@pytest.mark.parametrize(
    ("kind", "overrides", "expected"),
    [
        ("mla", {"title": "x", "summary_of_facts": ""}, ["mla.facts"]),
        (
            "mla",
            {"purpose": "", "conducting_authority": ""},
            ["mla.conducting_authority", "mla.purpose"],
        ),
        ("mla", {"assistance_sought": [], "offences": []}, ["mla.offences", "mla.assistance"]),
        ("mla", {"urgency": "urgent"}, ["urgency_reason"]),
        (
            "mla",
            {
                "summary_of_facts": "",
                "assistance_sought": [services.MeasureData("service_of_documents", "Summons")],
            },
            ["mla.person_to_serve"],
        ),
        (
            "mla",
            {
                "legal_basis_codes": ["CIS_MINSK_1993"],
                "persons": [services.PersonData("witness", "Айгуль Сапарова")],
            },
            ["cis.nationality"],
        ),
        ("mla", {"legal_basis_codes": ["CIS_CHISINAU_2002"], "persons": []}, ["cis.persons"]),
        ("extradition", {"extradition_basis": ""}, ["surrender.basis"]),
        (
            "extradition",
            {"warrant_reference": "", "warrant_date": None, "warrant_authority": ""},
            [
                "surrender.warrant_reference",
                "surrender.warrant_date",
                "surrender.warrant_authority",
            ],
        ),
        (
            "extradition",
            {"extradition_basis": "enforcement"},
            [
                "surrender.judgment_reference",
                "surrender.judgment_date",
                "surrender.judgment_court",
                "extradition.sentence_imposed",
                "extradition.sentence_remaining",
                "extradition.in_absentia",
            ],
        ),
        (
            "extradition",
            {
                "extradition_basis": "enforcement",
                "judgment_reference": "No. 1-12/2025",
                "judgment_date": date(2025, 6, 1),
                "judgment_court": "Almaty City Court",
                "sentence_imposed": "8 years",
                "sentence_remaining": "6 years 2 months",
                "in_absentia": True,
            },
            ["extradition.retrial"],
        ),
        (
            "extradition",
            {"persons": [_person(birth_date=None, nationality=None, details="")]},
            ["surrender.description", "extradition.birth_date", "extradition.nationality"],
        ),
        (
            "extradition",
            {"persons": [services.PersonData("witness", "Айгуль Сапарова")]},
            ["surrender.person"],
        ),
        (
            "extradition",
            {"max_penalty": "", "summary_of_facts": ""},
            ["surrender.facts", "surrender.penalty"],
        ),
        (
            "provisional_arrest",
            {"urgency_reason": "", "intention_to_request_extradition": False},
            ["arrest.urgency_reason", "arrest.intention"],
        ),
        ("freezing", {"properties": []}, ["assets.property"]),
        (
            "seizure",
            {"properties": [_property(description="", offence_link="")]},
            ["assets.description", "assets.link"],
        ),
        ("confiscation", {"properties": [_property(order_reference="")]}, ["assets.order"]),
        ("freezing", {"properties": [_property(order_reference="")]}, []),
        ("records_extract", {"record_purpose": ""}, ["records.purpose"]),
        (
            "records_extract",
            {"persons": [services.PersonData("accused", "Мухаммад Захир")]},
            ["records.birth_date"],
        ),
        ("records_extract", {"persons": []}, ["records.person"]),
        (
            "records_extract",
            {"record_purpose": "other", "conducting_authority": "", "summary_of_facts": ""},
            [],
        ),
        (
            "records_extract",
            {"conducting_authority": ""},
            ["records.conducting_authority"],
        ),
    ],
)
def test_each_type_lists_what_it_lacks(
    personas: Personas, kind: str, overrides: dict[str, Any], expected: list[str]
) -> None:
    draft = builders.draft(personas.requesting_officer, type=kind, **overrides)
    assert _rules(draft) == expected


def test_a_service_only_request_needs_no_facts(personas: Personas) -> None:
    draft = builders.draft(
        personas.requesting_officer,
        summary_of_facts="",
        assistance_sought=[services.MeasureData("service_of_documents", "Summons")],
        persons=[services.PersonData("witness", "Айгуль Сапарова", details="Osh, Lenin St. 5")],
    )
    assert _rules(draft) == []


@pytest.mark.parametrize(
    ("basis", "source"),
    [
        ([], "UNTOC art. 18(15)(c)"),
        (["UNTOC"], "UNTOC art. 18(15)(c)"),
        (["UNCAC", "UN1988"], "UNCAC art. 46(15)(c); 1988 Convention art. 7(10)(c)"),
        (["COE_ETS030_MLA"], "ETS 030 art. 14(2)"),
        (["CIS_MINSK_1993"], "Minsk Convention 1993 art. 7 (to verify)"),
        (["BIL_MLA_KAZ_KGZ_1996"], "UNTOC art. 18(15)(c)"),
    ],
)
def test_the_source_cited_follows_the_legal_basis(
    personas: Personas, basis: list[str], source: str
) -> None:
    draft = builders.draft(
        personas.requesting_officer, summary_of_facts="", legal_basis_codes=basis
    )
    (facts,) = [m for m in checks.missing(draft) if m.field == "summary_of_facts"]
    assert facts.source == source
    assert facts.message == "Summarise the relevant facts."


def test_an_empty_form_of_each_type_starts_from_its_own_list() -> None:
    assert [m.rule for m in checks.review_unsaved(kind="mla").missing] == [
        "title",
        "mla.conducting_authority",
        "mla.offences",
        "mla.facts",
        "mla.assistance",
        "mla.purpose",
    ]
    extradition = {m.rule for m in checks.review_unsaved(kind="extradition").missing}
    assert {"surrender.basis", "surrender.person", "surrender.penalty"} <= extradition
    assert "mla.assistance" not in extradition


# Submission.


def test_submission_is_refused_with_the_list_and_changes_nothing(personas: Personas) -> None:
    draft = builders.draft(personas.requesting_officer, type="extradition", warrant_date=None)
    events = TimelineEvent.objects.filter(request=draft).count()

    with pytest.raises(services.IncompleteRequest) as refused:
        services.request_transition(
            actor=personas.requesting_officer, request=draft, action="submit"
        )

    assert [m.rule for m in refused.value.missing] == ["surrender.warrant_date"]
    assert refused.value.message_dict == {
        "warrant_date": [
            "Give the date of the arrest warrant. "
            "(UN Model Treaty on Extradition art. 5 (to verify))"
        ]
    }
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_at, draft.version) == ("draft", None, 1)
    assert TimelineEvent.objects.filter(request=draft).count() == events


@pytest.mark.parametrize("kind", TYPES)
def test_a_complete_request_of_each_type_is_submitted(personas: Personas, kind: str) -> None:
    request = builders.submitted(personas.requesting_officer, type=kind)
    assert request.status == "submitted"


# Warnings.


def test_a_complete_mla_request_warns_only_of_vague_bank_records(personas: Personas) -> None:
    draft = builders.draft(personas.requesting_officer)
    assert _codes(draft) == ["bank_details"]
    detailed = builders.draft(personas.requesting_officer, bank_details="Bank X, Osh, 2024-2026")
    assert _codes(detailed) == []


def test_a_witness_statement_without_questions_is_flagged(personas: Personas) -> None:
    measures = [services.MeasureData("witness_statement", "Hear the driver")]
    draft = builders.draft(personas.requesting_officer, assistance_sought=measures)
    assert _codes(draft) == ["witness_questions"]


@pytest.mark.parametrize(
    ("overrides", "codes"),
    [
        ({}, []),
        ({"death_penalty_possible": True}, ["death_penalty"]),
        ({"death_penalty_possible": False}, []),
        ({"fiscal_offence_only": True}, ["fiscal_offence"]),
        ({"persons": [_person(nationality="KGZ")]}, ["own_nationals"]),
        (
            {"legal_basis_codes": ["COE_ETS024_EXTRADITION"], "max_penalty_years": Decimal("0.5")},
            ["penalty_threshold"],
        ),
        (
            {"legal_basis_codes": ["COE_ETS024_EXTRADITION"], "max_penalty_years": Decimal(1)},
            [],
        ),
        ({"legal_basis_codes": ["UNTOC"], "max_penalty_years": Decimal(3)}, ["penalty_threshold"]),
        (
            {
                "legal_basis_codes": ["CIS_MINSK_1993"],
                "extradition_basis": "enforcement",
                "judgment_reference": "No. 1-12/2025",
                "judgment_date": date(2025, 6, 1),
                "judgment_court": "Almaty City Court",
                "sentence_imposed": "5 months",
                "sentence_imposed_months": Decimal(5),
                "sentence_remaining": "4 months",
                "in_absentia": False,
            },
            ["sentence_threshold"],
        ),
    ],
    ids=[
        "none",
        "death-penalty",
        "no-death-penalty",
        "fiscal",
        "own-national",
        "below-ets024",
        "at-ets024",
        "below-untoc-serious-crime",
        "sentence-below-minsk",
    ],
)
def test_extradition_warnings(
    personas: Personas, overrides: dict[str, Any], codes: list[str]
) -> None:
    draft = builders.draft(personas.requesting_officer, type="extradition", **overrides)
    assert _codes(draft) == codes


def test_the_own_nationals_warning_names_the_person_and_the_states_rule(
    personas: Personas,
) -> None:
    draft = builders.draft(
        personas.requesting_officer,
        type="extradition",
        persons=[_person(name="Бекболот Усенов", nationality="KGZ")],
    )
    (warning,) = checks.warnings(draft)
    assert "Бекболот Усенов is a national of Kyrgyzstan" in warning.message
    assert warning.source.startswith("constitution (article to verify)")
    assert "UNTOC art. 16(10)" in warning.source


def test_the_threshold_warning_says_what_the_instrument_requires(personas: Personas) -> None:
    draft = builders.draft(
        personas.requesting_officer,
        type="extradition",
        legal_basis_codes=["COE_ETS024_EXTRADITION"],
        max_penalty_years=Decimal("0.5"),
    )
    (warning,) = checks.warnings(draft)
    assert warning.message == (
        "The maximum penalty (0.5 years) is below the 1 years that ETS 024 requires."
    )
    assert warning.source == "ETS 024 art. 2(1)"


def test_dual_criminality_of_a_reciprocity_state_warns_only_without_a_treaty(
    personas: Personas,
) -> None:
    kgz = personas.requested_officer
    without = builders.draft(kgz, requested_state="KAZ", type="freezing")
    with_treaty = builders.draft(
        kgz, requested_state="KAZ", type="freezing", legal_basis_codes=["UNCAC"]
    )
    plain = builders.draft(kgz, requested_state="KAZ", bank_details="Bank Y, 2025")

    (warning,) = checks.warnings(without)
    assert warning.code == "dual_criminality"
    assert "CPC art. 569" in warning.message
    assert _codes(with_treaty) == []
    assert _codes(plain) == []  # bank records are not coercive


@pytest.mark.parametrize(
    ("rule", "measures", "kind", "warned"),
    [
        ("coercive", ["bank_records"], "mla", False),
        ("coercive", ["search_and_seizure"], "mla", True),
        ("coercive", ["bank_records"], "seizure", True),
        ("always", ["bank_records"], "mla", True),
        ("not_required", ["search_and_seizure"], "mla", False),
    ],
)
def test_dual_criminality_follows_the_requested_authoritys_directory_entry(
    personas: Personas, rule: str, measures: list[str], kind: str, warned: bool
) -> None:
    kgz = Authority.objects.get(key="kgz-gpo")
    change = changes.propose(
        personas.requested_officer, kgz, "authority", {"dual_criminality": rule}
    )
    changes.approve(personas.coordinator, change)
    draft = builders.draft(
        personas.requesting_officer,
        type=kind,
        bank_details="Bank X, 2024",
        assistance_sought=[services.MeasureData(m, "") for m in measures],
    )
    assert ("dual_criminality" in _codes(draft)) is warned


def test_a_provisional_arrest_shows_the_release_deadline_of_the_treaty(
    personas: Personas,
) -> None:
    today = timezone.localdate()
    arrested = today - timedelta(days=3)
    draft = builders.draft(
        personas.requesting_officer,
        type="provisional_arrest",
        legal_basis_codes=["COE_ETS024_EXTRADITION", "CIS_MINSK_1993"],
        arrest_date=arrested,
        formal_request_by=today + timedelta(days=10),
    )
    review = checks.review(draft, today=today)
    assert [(d.instrument, d.release_from, d.release_by) for d in review.deadlines] == [
        ("COE_ETS024_EXTRADITION", arrested + timedelta(days=18), arrested + timedelta(days=40)),
        ("CIS_MINSK_1993", arrested + timedelta(days=40), arrested + timedelta(days=40)),
    ]
    assert review.deadlines[1].source == "Minsk Convention 1993 art. 62(1) (to verify)"
    assert review.warnings == []


def test_a_formal_request_planned_after_the_release_date_is_flagged(personas: Personas) -> None:
    today = timezone.localdate()
    draft = builders.draft(
        personas.requesting_officer,
        type="provisional_arrest",
        legal_basis_codes=["COE_ETS024_EXTRADITION"],
        arrest_date=today - timedelta(days=5),
        formal_request_by=today + timedelta(days=20),
    )
    (warning,) = checks.warnings(draft, today=today)
    assert warning.code == "arrest_deadline"
    assert warning.source == "ETS 024 art. 16(4)"
    assert "send it earlier" in warning.message


def test_a_release_date_already_passed_is_flagged_and_counts_from_today_without_an_arrest(
    personas: Personas,
) -> None:
    today = timezone.localdate()
    late = builders.draft(
        personas.requesting_officer,
        type="provisional_arrest",
        legal_basis_codes=["COE_ETS024_EXTRADITION"],
        arrest_date=today - timedelta(days=30),
    )
    assert _codes(late, today) == ["arrest_deadline"]
    not_yet = builders.draft(
        personas.requesting_officer,
        type="provisional_arrest",
        legal_basis_codes=["COE_ETS024_EXTRADITION"],
    )
    (deadline,) = checks.review(not_yet, today=today).deadlines
    assert (deadline.assumed, deadline.release_from) == (True, today + timedelta(days=18))
    assert _codes(not_yet, today) == []


def test_an_extradition_after_a_provisional_arrest_is_held_to_the_release_date(
    personas: Personas,
) -> None:
    today = timezone.localdate()
    draft = builders.draft(
        personas.requesting_officer,
        type="extradition",
        legal_basis_codes=["COE_ETS024_EXTRADITION"],
        arrest_date=today - timedelta(days=25),
    )
    assert _codes(draft, today) == ["arrest_deadline"]


@pytest.mark.parametrize("kind", TYPES)
def test_the_review_reads_a_fixed_number_of_rows(
    personas: Personas, kind: str, django_assert_max_num_queries: Any
) -> None:
    draft = builders.draft(personas.requesting_officer, type=kind)
    with django_assert_max_num_queries(5):  # four lists, and the nationals rule if needed
        checks.review(draft)


# The documentation.


def test_the_docs_show_the_tables_the_code_applies() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = text.split("<!-- checks:start -->\n", 1)[1].split("<!-- checks:end -->", 1)[0]
    assert documented == checks.as_markdown()
    for rule in checks.RULES:
        assert f"| `{rule.key}` |" in documented, rule.key
    for warning in checks.WARNINGS:
        assert f"| `{warning.code}` |" in documented, warning.code
