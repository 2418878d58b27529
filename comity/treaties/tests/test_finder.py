"""The legal-basis finder on instruments built for each case (docs/legal-basis.md).

Every test starts from an empty treaty table, so that the shipped reference data cannot
decide an outcome; test_finder_dataset.py checks the finder against that data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from comity.cooperation.models import Measure, RequestType
from comity.directory.models import State
from comity.treaties.finder import (
    Answer,
    FinderError,
    Query,
    find,
    parse_query,
    reset_cache,
)
from comity.treaties.measures import resolve_measure
from comity.treaties.models import (
    Article,
    Cooperation,
    Declaration,
    Instrument,
    Participation,
)

pytestmark = pytest.mark.usefixtures("english")

ON = date(2026, 11, 28)
DEPOSITED = date(2001, 1, 1)


@pytest.fixture(autouse=True)
def empty_treaties(reference: None) -> None:
    Instrument.objects.all().delete()
    Declaration.objects.all().delete()


def make_instrument(
    code: str,
    *,
    kind: str = "multilateral",
    cooperation: Iterable[str] = ("mla", "extradition"),
    all_offences: bool = True,
    scope: Iterable[str] = (),
    conditional: bool = False,
    scope_note: str = "",
    confidence: str = "high",
    in_force: date | None = None,
    eif_days: int | None = None,
    parties: Iterable[str] = ("DEU", "FRA"),
    **extra: Any,
) -> Instrument:
    instrument = Instrument.objects.create(
        code=code,
        title_en=f"{code} convention",
        title_ru=f"Конвенция {code}",
        short_title=code,
        kind=kind,
        cooperation=list(cooperation),
        all_offences=all_offences,
        scope_iccs=list(scope),
        scope_conditional=conditional,
        scope_note=scope_note,
        in_force=in_force,
        eif_days_after_deposit=eif_days,
        confidence=confidence,
        source=f"{code} text",
        as_of=date(2026, 1, 1),
        **extra,
    )
    for iso3 in parties:
        make_party(instrument, iso3)
    return instrument


def make_party(instrument: Instrument, iso3: str, **values: Any) -> Participation:
    defaults: dict[str, Any] = {
        "status": "party",
        "deposited": DEPOSITED,
        "confidence": "high",
        "source": f"{iso3} deposit",
        "as_of": date(2026, 1, 1),
    }
    participation, _ = Participation.objects.update_or_create(
        instrument=instrument,
        state=State.objects.get(iso3=iso3),
        defaults={**defaults, **values},
    )
    return participation


def ask(
    measure: str = "mla",
    offence: str = "0601",
    on: date | str | None = ON,
    requesting: str = "DEU",
    requested: str = "FRA",
) -> Answer:
    return find(parse_query(requesting, requested, measure, offence, on))


def codes(answer: Answer) -> list[str]:
    return [item.code for item in answer.instruments]


def excluded(answer: Answer) -> dict[str, tuple[str, ...]]:
    return {item.code: item.reasons for item in answer.excluded}


def only(answer: Answer, code: str) -> Any:
    [item] = [item for item in answer.instruments if item.code == code]
    return item


# --- Parsing ----------------------------------------------------------------------------------


def test_it_reads_states_case_blind_and_measures_in_any_vocabulary() -> None:
    query = parse_query(" deu", "Fra ", "Bank-Records", " 0601 ", "2026-11-28")
    assert query == Query("DEU", "FRA", "bank_records", "mla", "0601", ON)


def test_the_date_defaults_to_today() -> None:
    assert parse_query("DEU", "FRA", "mla", "0601", None).on == timezone.localdate()
    assert parse_query("DEU", "FRA", "mla", "0601", "").on == timezone.localdate()
    assert parse_query("DEU", "FRA", "mla", "0601", ON).on == ON


@pytest.mark.parametrize(
    ("args", "field", "says"),
    [
        (("XYZ", "FRA", "mla", "0601", None), "from", "XYZ"),
        (("", "FRA", "mla", "0601", None), "from", "requesting state"),
        (("DEU", "Narnia", "mla", "0601", None), "to", "Narnia"),
        (("DEU", "deu", "mla", "0601", None), "to", "differ"),
        (("DEU", "FRA", "teleportation", "0601", None), "measure", "teleportation"),
        (("DEU", "FRA", "", "0601", None), "measure", "measure"),
        (("DEU", "FRA", "mla", "9999", None), "offence", "9999"),
        (("DEU", "FRA", "mla", "", None), "offence", "ICCS"),
        (("DEU", "FRA", "mla", "0601", "2026-13-01"), "date", "YYYY-MM-DD"),
        (("DEU", "FRA", "mla", "0601", "28.11.2026"), "date", "YYYY-MM-DD"),
        (("DEU", "FRA", "mla", "0601", "20261128"), "date", "YYYY-MM-DD"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(
    args: tuple[str, str, str, str, str | None], field: str, says: str
) -> None:
    with pytest.raises(FinderError) as refused:
        parse_query(*args)
    assert refused.value.field == field
    assert says in str(refused.value)


@pytest.mark.parametrize(
    ("value", "cooperation"),
    [
        ("mla", Cooperation.MLA),
        ("extradition", Cooperation.EXTRADITION),
        ("provisional_arrest", Cooperation.EXTRADITION),
        ("arrest", Cooperation.EXTRADITION),
        ("freezing", Cooperation.CONFISCATION),
        ("seizure", Cooperation.CONFISCATION),
        ("asset_return", Cooperation.CONFISCATION),
        ("freeze_assets", Cooperation.CONFISCATION),
        ("confiscate_assets", Cooperation.CONFISCATION),
        ("records_extract", Cooperation.CRIMINAL_RECORDS),
        ("conviction_notice", Cooperation.CRIMINAL_RECORDS),
        ("criminal_record", Cooperation.CRIMINAL_RECORDS),
        ("bank_records", Cooperation.MLA),
        ("search_and_seizure", Cooperation.MLA),
        ("video_hearing", Cooperation.MLA),
        ("transfer_of_proceedings", Cooperation.TRANSFER_OF_PROCEEDINGS),
        ("transfer_of_sentenced", Cooperation.TRANSFER_OF_SENTENCED),
    ],
)
def test_each_measure_maps_onto_its_kind_of_cooperation(value: str, cooperation: str) -> None:
    assert resolve_measure(value) == cooperation


def test_every_request_type_and_measure_of_a_request_is_understood() -> None:
    for value in [*RequestType.values, *Measure.values, *Cooperation.values]:
        assert resolve_measure(value) in Cooperation.values, value


# --- Which instruments, in which order --------------------------------------------------------


def test_it_lists_bilateral_then_regional_then_multilateral() -> None:
    make_instrument("A_MULTI")
    make_instrument("Z_BIL", kind="bilateral")
    make_instrument("M_REG", kind="regional")
    assert codes(ask()) == ["Z_BIL", "M_REG", "A_MULTI"]


def test_within_a_kind_the_surer_instrument_comes_first() -> None:
    make_instrument("A_UNSURE", confidence="medium")
    make_instrument("B_SURE")
    assert codes(ask()) == ["B_SURE", "A_UNSURE"]


def test_an_instrument_the_requested_state_is_not_party_to_is_excluded() -> None:
    make_instrument("ONLY_DEU", parties=["DEU", "GBR"])
    answer = ask()
    assert codes(answer) == []
    assert "France is not a party (no record in the treaty data)." in excluded(answer)["ONLY_DEU"]


def test_a_bilateral_treaty_of_other_states_is_not_mentioned() -> None:
    make_instrument("BIL_DEU_GBR", kind="bilateral", parties=["DEU", "GBR"])
    answer = ask()
    assert answer.instruments == ()
    assert answer.excluded == ()


def test_an_instrument_that_does_not_cover_the_measure_is_excluded_with_why() -> None:
    make_instrument("EXT_ONLY", kind="bilateral", cooperation=["extradition"])
    answer = ask("bank_records")
    assert codes(answer) == []
    [reason] = excluded(answer)["EXT_ONLY"]
    assert "does not cover Mutual legal assistance" in reason
    assert "Extradition" in reason


def test_a_confiscation_request_may_rest_on_a_general_mla_instrument_with_a_caveat() -> None:
    mla = make_instrument("MLA_ONLY", cooperation=["mla"])
    Article.objects.create(instrument=mla, cooperation="mla", article="7", topic="Assistance")
    make_instrument("WITH_CONF", cooperation=["confiscation"])
    answer = ask("freeze_assets")
    assert codes(answer) == ["WITH_CONF", "MLA_ONLY"]
    general = only(answer, "MLA_ONLY")
    assert "General MLA instrument: check it covers this measure." in general.caveats
    assert [a.article for a in general.articles] == ["7"]
    assert not any("General MLA" in caveat for caveat in only(answer, "WITH_CONF").caveats)
    # Extradition never rests on an MLA instrument.
    assert "MLA_ONLY" in excluded(ask("extradition"))


# --- Status -----------------------------------------------------------------------------------


def test_a_signatory_that_has_not_deposited_is_excluded_with_a_note() -> None:
    instrument = make_instrument("SIGNED")
    make_party(
        instrument,
        "FRA",
        status="signatory",
        signed=date(2000, 12, 12),
        deposited=None,
        status_text="domestic law in effect; deposit not confirmed",
    )
    answer = ask()
    assert codes(answer) == []
    [reason] = excluded(answer)["SIGNED"]
    assert "France signed on 2000-12-12 but has not deposited a ratification" in reason
    assert "deposit not confirmed" in reason
    assert any("France signed SIGNED but is not a party" in note for note in answer.notes)
    # A requesting state that only signed: excluded too, without the note about the other side.
    reverse = ask(requesting="FRA", requested="DEU")
    assert "SIGNED" in excluded(reverse)
    assert not any("signed" in note for note in reverse.notes)


@pytest.mark.parametrize(
    ("status", "says"), [("not_party", "is not a party"), ("withdrawn", "withdrawn")]
)
def test_a_state_not_bound_excludes_the_instrument(status: str, says: str) -> None:
    make_party(make_instrument("GONE"), "FRA", status=status)
    assert says in excluded(ask())["GONE"][0]


@pytest.mark.parametrize(("status", "confidence"), [("disputed", "low"), ("reported", "medium")])
def test_an_uncertain_status_keeps_the_instrument_with_a_caveat(
    status: str, confidence: str
) -> None:
    make_party(make_instrument("UNSURE"), "FRA", status=status, caveat="left in 2022?")
    item = only(ask(), "UNSURE")
    assert item.confidence == confidence
    assert any("France" in caveat and "left in 2022?" in caveat for caveat in item.caveats)


def test_confidence_is_the_lowest_of_the_instrument_and_both_parties() -> None:
    instrument = make_instrument("MIXED", confidence="medium")
    make_party(instrument, "DEU", confidence="low", caveat="from memory")
    item = only(ask(), "MIXED")
    assert item.confidence == "low"
    assert any("Germany's participation: low confidence. from memory" in c for c in item.caveats)
    assert any("Data on the instrument: medium confidence" in c for c in item.caveats)


# --- Dates ------------------------------------------------------------------------------------


def test_before_entry_into_force_for_one_state_it_is_excluded() -> None:
    instrument = make_instrument("LATE", eif_days=30)
    make_party(instrument, "FRA", deposited=date(2008, 7, 31))
    answer = ask(on=date(2003, 1, 1))
    assert codes(answer) == []
    assert excluded(answer)["LATE"] == (
        "Not yet in force for France on 2003-01-01 (from 2008-08-30).",
    )
    # From the 30th day after the deposit it applies, and says so.
    item = only(ask(on=date(2008, 8, 30)), "LATE")
    assert item.in_force == {"DEU": DEPOSITED + timedelta(days=30), "FRA": date(2008, 8, 30)}
    assert any("computed from the deposit" in reason for reason in item.reasons)


def test_before_the_instrument_itself_entered_into_force_it_is_excluded() -> None:
    make_instrument("YOUNG", in_force=date(2003, 9, 29), eif_days=30)
    reasons = excluded(ask(on=date(2003, 9, 28)))["YOUNG"]
    assert "it entered into force on 2003-09-29" in reasons[0]
    # A deposit long before: in force from the instrument's own date, not deposit + 30 days.
    assert only(ask(on=date(2003, 9, 29)), "YOUNG").in_force["FRA"] == date(2003, 9, 29)


def test_a_recorded_entry_into_force_wins_over_the_computed_one() -> None:
    instrument = make_instrument("RECORDED", eif_days=30)
    make_party(instrument, "FRA", entry_into_force=date(2010, 5, 5))
    assert "RECORDED" in excluded(ask(on=date(2010, 5, 4)))
    assert only(ask(on=date(2010, 5, 5)), "RECORDED").in_force["FRA"] == date(2010, 5, 5)


def test_an_unknown_entry_into_force_is_listed_with_a_caveat() -> None:
    make_instrument("NO_RULE")  # multilateral, no days-after-deposit rule
    item = only(ask(), "NO_RULE")
    assert "Date of entry into force for France unknown." in item.caveats
    assert item.in_force == {"DEU": None, "FRA": None}


def test_a_bilateral_treaty_enters_into_force_on_its_recorded_date() -> None:
    make_instrument("BIL", kind="bilateral")
    assert "BIL" in excluded(ask(on=DEPOSITED - timedelta(days=1)))
    assert only(ask(on=DEPOSITED), "BIL").in_force == {"DEU": DEPOSITED, "FRA": DEPOSITED}


# --- Offence scope ----------------------------------------------------------------------------


def test_an_instrument_for_any_offence_says_dual_criminality_applies() -> None:
    make_instrument("ANY")
    reasons = only(ask(), "ANY").reasons
    assert "It covers any offence; dual criminality and penalty thresholds apply." in reasons


def test_an_offence_or_its_sub_code_in_scope_is_covered() -> None:
    make_instrument("CORRUPTION", all_offences=False, scope=["0703"])
    assert any("0703" in reason for reason in only(ask(offence="0703"), "CORRUPTION").reasons)
    assert codes(ask(offence="07031")) == ["CORRUPTION"]  # bribery is corruption


def test_an_offence_out_of_scope_is_excluded() -> None:
    make_instrument("CORRUPTION", all_offences=False, scope=["0703"], scope_note="Corruption.")
    answer = ask(offence="0601")
    assert codes(answer) == []
    assert excluded(answer)["CORRUPTION"] == (
        "The offence 0601 Unlawful acts involving controlled drugs or precursors is not in "
        "scope (Corruption.).",
    )


def test_a_broader_offence_is_only_partly_in_scope() -> None:
    make_instrument("CORRUPTION", all_offences=False, scope=["0703"])
    item = only(ask(offence="07"), "CORRUPTION")
    assert any("Only part of 07" in caveat and "0703" in caveat for caveat in item.caveats)


def test_an_offence_under_a_condition_is_listed_with_the_condition() -> None:
    make_instrument(
        "ORGANISED",
        all_offences=False,
        scope=["0703"],
        conditional=True,
        scope_note="serious crime involving an organized criminal group",
    )
    item = only(ask(offence="0601"), "ORGANISED")
    assert "In scope only if: serious crime involving an organized criminal group" in item.caveats


def test_a_scope_code_marked_with_a_question_mark_is_in_scope_only_under_the_condition() -> None:
    make_instrument(
        "DRUGS",
        all_offences=False,
        scope=["0601", "07041?"],
        scope_note="laundering only of the proceeds of drug trafficking",
    )
    assert codes(ask(offence="0601")) == ["DRUGS"]
    laundering = only(ask(offence="07041"), "DRUGS")
    assert "In scope only if: laundering only of the proceeds of drug trafficking" in (
        laundering.caveats
    )
    assert "DRUGS" in excluded(ask(offence="0201"))


# --- Supersession -----------------------------------------------------------------------------


def test_a_newer_instrument_replaces_the_one_it_supersedes_between_its_parties() -> None:
    old = make_instrument("OLD", kind="regional")
    new = make_instrument("NEW", kind="regional")
    new.supersedes.add(old)
    answer = ask()
    assert codes(answer) == ["NEW"]
    assert excluded(answer)["OLD"] == ("Replaced by NEW between these states.",)
    # Where the newer one is not in force for the pair, the older one still applies.
    make_party(new, "FRA", status="signatory", deposited=None)
    assert codes(ask()) == ["OLD"]


def test_an_uncertain_replacement_keeps_the_older_instrument_with_a_caveat() -> None:
    old = make_instrument("OLD", kind="regional")
    new = make_instrument("NEW", kind="regional")
    new.supersedes.add(old)
    make_party(new, "FRA", status="disputed")
    answer = ask()
    assert codes(answer) == ["OLD", "NEW"]
    assert any("NEW replaces OLD" in caveat for caveat in only(answer, "OLD").caveats)


# --- What to cite and what the requested state declared ---------------------------------------


def test_it_gives_the_articles_for_the_measure_and_the_general_ones_with_a_citation() -> None:
    instrument = make_instrument("ARTS")
    Article.objects.create(instrument=instrument, cooperation="", article="2", topic="Terms")
    Article.objects.create(
        instrument=instrument, cooperation="extradition", article="16", topic="Ext", order=1
    )
    Article.objects.create(
        instrument=instrument, cooperation="mla", article="18", topic="MLA", order=2
    )
    Article.objects.create(
        instrument=instrument,
        cooperation="mla",
        article="18(15)",
        topic="Content",
        order=3,
        verify=True,
    )
    item = only(ask("mla"), "ARTS")
    assert [a.article for a in item.articles] == ["2", "18", "18(15)"]
    assert item.citation == "ARTS, arts 2, 18, 18(15)"
    assert "Article numbering to verify: 18(15)." in item.caveats
    extradition = only(ask("extradition"), "ARTS")
    assert extradition.citation == "ARTS, arts 2, 16"
    assert not any("verify" in caveat for caveat in extradition.caveats)


def test_an_instrument_without_articles_is_cited_by_its_name() -> None:
    make_instrument("BARE")
    assert only(ask(), "BARE").citation == "BARE"


def declare(iso3: str, instrument: Instrument | None, topic: str, **values: Any) -> Declaration:
    defaults: dict[str, Any] = {"text": f"{topic} of {iso3}", "confidence": "high", "lodged": True}
    return Declaration.objects.create(
        state=State.objects.get(iso3=iso3),
        instrument=instrument,
        topic=topic,
        **{**defaults, **values},
    )


def test_it_shows_the_requested_states_declarations_and_national_rules() -> None:
    instrument = make_instrument("DECL")
    declare("FRA", instrument, "central_authority", text="Ministry of Justice", lodged=None)
    declare("FRA", None, "central_authority", text="national: Prosecutor General")
    declare("FRA", None, "languages", text="French")
    declare("DEU", instrument, "languages", text="German")  # the requesting side's: not shown
    declare("FRA", instrument, "extradition_basis", value=False)
    item = only(ask("mla"), "DECL")
    shown = [(d.state, d.instrument, d.topic, d.text) for d in item.declarations]
    assert shown == [
        ("FRA", "DECL", "central_authority", "Ministry of Justice"),
        ("FRA", None, "languages", "French"),
    ]
    assert any("deposit not confirmed" in caveat for caveat in item.caveats)


def test_a_state_that_refuses_the_convention_as_extradition_basis_gets_a_first_caveat() -> None:
    instrument = make_instrument("CONV", confidence="medium")
    declare("FRA", instrument, "extradition_basis", value=False, text="Extradition Act only")
    item = only(ask("extradition"), "CONV")
    assert item.caveats[0].startswith(
        "France declared that it does not take CONV as a legal basis for extradition "
        "(Extradition Act only)"
    )


def test_a_state_that_accepts_the_convention_as_extradition_basis_says_so() -> None:
    instrument = make_instrument("CONV")
    declare("FRA", instrument, "extradition_basis", value=True, article="44(6)")
    reasons = only(ask("extradition"), "CONV").reasons
    assert "France takes CONV as a legal basis for extradition (44(6))." in reasons


def test_a_state_that_does_not_extradite_nationals_is_named_for_extradition_only() -> None:
    make_instrument("EXT")
    declare("FRA", None, "own_nationals", value=False, text="Constitution, art 1")
    [note, *_] = ask("extradition").notes
    assert note.startswith("France does not extradite its own nationals (Constitution, art 1")
    assert "aut dedere aut judicare" in note
    assert "UNTOC 16(10)" in note
    assert not any("nationals" in note for note in ask("mla").notes)


# --- When nothing applies ---------------------------------------------------------------------


def test_when_nothing_applies_it_explains_reciprocity() -> None:
    answer = ask()
    assert answer.instruments == ()
    assert answer.fallback is not None
    assert "reciprocity" in answer.fallback
    assert "diplomatic channels" in answer.fallback
    assert "Germany" in answer.fallback
    assert "art. 453" not in answer.fallback
    russia = ask(requested="RUS")
    assert russia.fallback is not None
    assert "art. 453" in russia.fallback


def test_when_something_applies_there_is_no_fallback_but_a_note() -> None:
    make_instrument("ANY")
    answer = ask()
    assert answer.fallback is None
    assert any("Reciprocity" in note for note in answer.notes)


def test_the_answer_is_in_the_users_language() -> None:
    make_instrument("ANY")
    with translation.override("ru"):
        answer = ask()
    assert only(answer, "ANY").title == "Конвенция ANY"


# --- The JSON shape ---------------------------------------------------------------------------


def test_the_json_has_the_agreed_shape() -> None:
    instrument = make_instrument("SHAPE", eif_days=30)
    Article.objects.create(instrument=instrument, cooperation="mla", article="18", topic="MLA")
    declare("FRA", instrument, "languages", text="French")
    make_instrument("OTHER", parties=["DEU"])
    data = json.loads(json.dumps(ask().as_json()))
    assert data["query"] == {
        "requesting": "DEU",
        "requested": "FRA",
        "measure": "mla",
        "cooperation": "mla",
        "offence": "0601",
        "date": "2026-11-28",
    }
    [item] = data["instruments"]
    assert set(item) == {
        "code",
        "title",
        "short_title",
        "kind",
        "reasons",
        "articles",
        "request_content",
        "declarations",
        "caveats",
        "confidence",
        "in_force",
        "sources",
        "as_of",
        "citation",
    }
    assert item["articles"] == [{"article": "18", "topic": "MLA", "summary": "", "verify": False}]
    assert item["in_force"] == {"DEU": "2001-01-31", "FRA": "2001-01-31"}
    assert item["sources"] == ["SHAPE text", "DEU: DEU deposit", "FRA: FRA deposit"]
    assert item["as_of"] == "2026-01-01"
    assert item["declarations"][0]["text"] == "French"
    assert data["excluded"] == [
        {
            "code": "OTHER",
            "title": "OTHER convention",
            "reasons": ["France is not a party (no record in the treaty data)."],
        }
    ]
    assert data["fallback"] is None
    assert isinstance(data["notes"], list)


# --- The snapshot -----------------------------------------------------------------------------


def test_a_warm_answer_costs_one_query(django_assert_num_queries: Any) -> None:
    make_instrument("ANY")
    query = parse_query("DEU", "FRA", "mla", "0601", ON)
    find(query)
    with django_assert_num_queries(1):  # the check that the data has not changed
        find(query)


def test_a_correction_is_seen_at_once() -> None:
    instrument = make_instrument("FIXED")
    assert only(ask(), "FIXED").title == "FIXED convention"
    instrument.title_en = "Corrected title"
    instrument.save()
    assert only(ask(), "FIXED").title == "Corrected title"
    participation = Participation.objects.get(instrument=instrument, state__iso3="FRA")
    participation.status = "withdrawn"
    participation.save()
    assert "FIXED" in excluded(ask())
    participation.delete()
    assert "France is not a party" in excluded(ask())["FIXED"][0]
    declare("FRA", None, "languages", text="added")
    make_party(instrument, "FRA")
    assert only(ask(), "FIXED").declarations[0].text == "added"


def test_reset_cache_rebuilds_the_same_answer() -> None:
    make_instrument("ANY")
    before = ask()
    reset_cache()
    assert ask() == before
