"""The finder against the shipped treaty data (comity/treaties/reference/).

These are the answers a practitioner in the region checks first; if the data changes so
that one of them changes, the change should be deliberate.
"""

from __future__ import annotations

from datetime import date

import pytest

from comity.treaties.finder import Answer, FinderError, find, parse_query

pytestmark = pytest.mark.usefixtures("treaty_data", "english")

ON = date(2026, 11, 28)


def ask(requesting: str, requested: str, measure: str, offence: str, on: date | str = ON) -> Answer:
    return find(parse_query(requesting, requested, measure, offence, on))


def codes(answer: Answer) -> list[str]:
    return [item.code for item in answer.instruments]


def excluded(answer: Answer) -> dict[str, str]:
    return {item.code: " ".join(item.reasons) for item in answer.excluded}


def test_extradition_kaz_to_kgz_for_drugs_lists_bilateral_regional_then_un() -> None:
    answer = ask("KAZ", "KGZ", "extradition", "0601")
    found = codes(answer)
    assert found[:2] == ["BIL_EXT_KAZ_KGZ_1997", "CIS_CHISINAU_2002"]
    assert "Replaced by" in excluded(answer)["CIS_MINSK_1993"]
    # The drug convention, squarely in scope, before UNTOC, in scope only under a condition.
    assert found.index("UN1988") < found.index("UNTOC")
    [un1988] = [item for item in answer.instruments if item.code == "UN1988"]
    assert "6" in [article.article for article in un1988.articles]
    assert un1988.citation.startswith("1988 Convention, arts 6")
    [untoc] = [item for item in answer.instruments if item.code == "UNTOC"]
    assert any(caveat.startswith("In scope only if:") for caveat in untoc.caveats)
    assert "organized criminal group" in " ".join(untoc.caveats)
    assert answer.fallback is None


def test_mla_kaz_to_kgz_rests_first_on_the_bilateral_mla_agreement() -> None:
    answer = ask("KAZ", "KGZ", "mla", "0601")
    assert codes(answer)[0] == "BIL_MLA_KAZ_KGZ_1996"
    assert "BIL_EXT_KAZ_KGZ_1997" in excluded(answer)
    assert codes(ask("KAZ", "KGZ", "bank_records", "0601"))[0] == "BIL_MLA_KAZ_KGZ_1996"


def test_uncac_covers_corruption_but_not_drug_trafficking() -> None:
    drugs = ask("KAZ", "KGZ", "mla", "0601")
    assert "UNCAC" not in codes(drugs)
    assert "not in scope" in excluded(drugs)["UNCAC"]
    corruption = ask("KAZ", "KGZ", "mla", "0703")
    [uncac] = [item for item in corruption.instruments if item.code == "UNCAC"]
    assert any("0703" in reason and "in scope" in reason for reason in uncac.reasons)
    assert "46" in [article.article for article in uncac.articles]


def test_untoc_is_not_in_force_for_kazakhstan_before_2008_08_30() -> None:
    before = ask("KGZ", "KAZ", "mla", "0601", "2008-08-29")
    assert "UNTOC" not in codes(before)
    assert (
        "Not yet in force for Kazakhstan on 2008-08-29 (from 2008-08-30)"
        in (excluded(before)["UNTOC"])
    )
    after = ask("KGZ", "KAZ", "mla", "0601", "2008-08-30")
    [untoc] = [item for item in after.instruments if item.code == "UNTOC"]
    assert untoc.in_force["KAZ"] == date(2008, 8, 30)


def test_iran_signed_untoc_but_is_not_a_party() -> None:
    answer = ask("KAZ", "IRN", "mla", "0601")
    assert "UNTOC" not in codes(answer)
    assert "signed on 2000-12-12 but has not deposited" in excluded(answer)["UNTOC"]
    assert any("UNTOC" in note and "not a party" in note for note in answer.notes)
    # Other conventions still apply between them.
    assert "UN1988" in codes(answer)


def test_chisinau_replaces_minsk_only_between_states_bound_by_both() -> None:
    assert "Replaced by" in excluded(ask("KAZ", "KGZ", "mla", "0601"))["CIS_MINSK_1993"]
    # Uzbekistan never joined Chisinau: Minsk remains the regional basis with Kazakhstan.
    with_uzbekistan = ask("KAZ", "UZB", "mla", "0601")
    assert "CIS_MINSK_1993" in codes(with_uzbekistan)
    assert "CIS_CHISINAU_2002" in excluded(with_uzbekistan)


@pytest.mark.parametrize("requested", ["KAZ", "RUS"])
def test_extradition_names_a_state_that_does_not_extradite_its_nationals(requested: str) -> None:
    requesting = "KGZ" if requested == "KAZ" else "KAZ"
    answer = ask(requesting, requested, "extradition", "0601")
    assert any(
        "does not extradite its own nationals" in note and "aut dedere aut judicare" in note
        for note in answer.notes
    )
    assert not any("nationals" in note for note in ask(requesting, requested, "mla", "0601").notes)


def test_pakistan_does_not_take_uncac_as_a_basis_for_extradition() -> None:
    answer = ask("USA", "PAK", "extradition", "0703")
    [uncac] = [item for item in answer.instruments if item.code == "UNCAC"]
    assert uncac.caveats[0].startswith(
        "Pakistan declared that it does not take UNCAC as a legal basis for extradition"
    )


def test_before_any_instrument_existed_reciprocity_is_the_fallback() -> None:
    answer = ask("KAZ", "RUS", "extradition", "0601", "1950-01-01")
    assert answer.instruments == ()
    assert answer.fallback is not None
    assert "reciprocity" in answer.fallback
    assert "art. 453" in answer.fallback  # Russia's own rule, as the example
    assert "entered into force on 2003-09-29" in excluded(answer)["UNTOC"]


def test_a_pair_and_measure_with_no_instrument_gets_the_fallback() -> None:
    answer = ask("TKM", "AUS", "transfer_of_sentenced", "0601")
    assert answer.instruments == ()
    assert answer.fallback is not None
    assert "Turkmenistan" in answer.fallback
    assert "art. 453" not in answer.fallback


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("KAZ", "XXX", "mla", "0601", ON), "to"),
        (("KAZ", "KGZ", "rendition", "0601", ON), "measure"),
        (("KAZ", "KGZ", "mla", "0999", ON), "offence"),
        (("KAZ", "KGZ", "mla", "0601", "2026-02-30"), "date"),
    ],
)
def test_unknown_input_is_refused(args: tuple[str, str, str, str, date | str], field: str) -> None:
    with pytest.raises(FinderError) as refused:
        ask(*args)
    assert refused.value.field == field


def test_every_pair_of_the_regions_states_gets_an_answer() -> None:
    states = ["AFG", "AUS", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "TKM"]
    states += ["TUR", "USA", "UZB"]
    for requesting in states:
        for requested in states:
            if requesting == requested:
                continue
            answer = ask(requesting, requested, "extradition", "0601")
            assert answer.instruments or answer.fallback, (requesting, requested)
            for item in answer.instruments:
                assert item.confidence in ("high", "medium", "low")
                assert item.citation
