"""The reasons an officer reads beside each candidate."""

from __future__ import annotations

from comity.records import matching
from comity.records.explain import AGAINST, TEXTS, explain, reason_text


def test_every_reason_of_the_engine_has_a_text_to_translate() -> None:
    assert set(matching.REASON_TEXTS) <= set(TEXTS)
    assert set(TEXTS) >= AGAINST


def test_the_compared_name_parts_are_shown_as_written() -> None:
    reason = matching.Reason("surname_translit", {"query": "Mukhtarov", "candidate": "Мухтаров"})
    assert reason_text(reason) == (
        "surname “Mukhtarov” is “Мухтаров” written in another script or romanisation"
    )


def test_a_new_code_reads_in_the_engines_english() -> None:
    reason = matching.Reason("surname_phonetic", {"query": "A", "candidate": "B"})
    assert reason_text(reason) == matching.reason_text(reason) == "surname_phonetic"


def test_dates_and_states_are_written_for_the_reader() -> None:
    explanation = explain(
        [
            matching.Reason("birth_conflict", {"query": "1985-03-14", "candidate": "1990"}),
            matching.Reason("nationality", {"query": "KGZ"}),
            matching.Reason("name_extra_candidate", {"candidate": "Алиевич"}),
        ],
        birth=lambda value: f"<{value}>",
        states={"KGZ": "Kyrgyzstan"},
    )
    assert explanation.agrees == ["the nationality is the same: Kyrgyzstan"]
    assert explanation.differs == [
        "the birth dates differ: <1985-03-14> and <1990>",
        "the candidate's name has “Алиевич”, the query does not",
    ]
