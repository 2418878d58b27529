"""`comity records match` and `compare`: the JSON-lines contracts."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from comity.records import matching, services
from comity.records.models import Register
from comity.records.services import PersonData

pytestmark = pytest.mark.django_db


def _run(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str) -> list[dict[str, object]]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("records", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def _people(register: Register) -> None:
    for ref, name, birth in [
        ("KG1", "Мамытов Азамат Турсунбекович", "1986-04-12"),
        ("KG2", "Мамытов Азамат Эркинович", "1991-09-30"),
        ("KG3", "Токтогулов Эрлан", "1995"),
    ]:
        services.person_save(
            actor=None,
            register=register,
            data=PersonData(ref=ref, full_name=name, birth_date=birth, nationalities="KGZ"),
        )


def test_match_writes_candidates_best_first(
    monkeypatch: pytest.MonkeyPatch, kgz_register: Register
) -> None:
    _people(kgz_register)
    queries = [
        {"id": "q1", "name": "Azamat Mamytov", "birth_date": "1986-04-12", "nationality": "KGZ"},
        {"id": 2, "name": "MAMYTOV<<AZAMAT", "birth_date": "1991"},
        {"id": "q3", "name": "Nobody Atall"},
    ]
    answers = _run(
        monkeypatch, "match", "--top", "2", stdin="\n".join(json.dumps(q) for q in queries)
    )
    assert [a["id"] for a in answers] == ["q1", 2, "q3"]
    first = answers[0]["candidates"]
    assert isinstance(first, list) and 1 <= len(first) <= 2
    assert first[0]["ref"] == "KG1"
    assert set(first[0]) == {"ref", "score", "explanation"}
    assert first[0]["explanation"]
    scores = [c["score"] for c in first]
    assert scores == sorted(scores, reverse=True)
    second = answers[1]["candidates"]
    assert isinstance(second, list) and second[0]["ref"] == "KG2"


def test_match_refuses_a_line_that_is_not_json(
    monkeypatch: pytest.MonkeyPatch, kgz_register: Register
) -> None:
    with pytest.raises(CommandError, match="line 1"):
        _run(monkeypatch, "match", stdin="not json\n")


def test_compare_uses_the_engine_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = [
        {"id": 1, "a": "Азамат Мамытов", "b": "Azamat Mamytov"},
        {"id": 2, "a": "Azamat Mamytov", "b": "Olga Lebedeva"},
    ]
    answers = _run(monkeypatch, "compare", stdin="\n".join(json.dumps(p) for p in pairs))
    assert [a["id"] for a in answers] == [1, 2]
    assert answers[0]["match"] is True and answers[1]["match"] is False
    for answer in answers:
        assert set(answer) == {"id", "score", "match"}
        score = answer["score"]
        assert isinstance(score, float)
        assert (score >= matching.THRESHOLD) == answer["match"]


def test_reindex_rebuilds_lost_keys(kgz_register: Register) -> None:
    from comity.records.models import NameKey

    _people(kgz_register)
    before = set(NameKey.objects.values_list("person_id", "key"))
    NameKey.objects.all().delete()
    out = io.StringIO()
    call_command("records", "reindex", stdout=out)
    assert "keys rebuilt for 3 persons" in out.getvalue()
    assert set(NameKey.objects.values_list("person_id", "key")) == before
