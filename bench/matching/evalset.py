"""Reading the evaluation set and scoring ranked answers against it.

A query is found at rank r when its ref, or one of its "equivalent" refs (a namesake whose
birth date does not contradict the query), is the r-th candidate. recall@10 is the share of
queries found at rank 10 or better; top-1 the share found at rank 1.

The second rule (``indistinct=True``) also accepts the records the query cannot tell from
the person (generate.py): the same given names and surname, the same father when the query
names him, a birth date that does not contradict the query. Both are reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    name: str
    birth_date: str | None
    nationality: str | None
    ref: str
    accepted: frozenset[str]  # the ref and its equivalents
    indistinct: frozenset[str]  # those and the records the query cannot tell apart
    split: str
    kind: str
    mods: tuple[str, ...]

    def as_query(self) -> dict[str, str]:
        line = {"id": self.id, "name": self.name}
        if self.birth_date:
            line["birth_date"] = self.birth_date
        if self.nationality:
            line["nationality"] = self.nationality
        return line


def _lines(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load(directory: Path) -> list[Item]:
    """The queries of ``directory`` with their answers, in the file's order."""
    answers = {a["id"]: a for a in _lines(directory / "answers.jsonl")}
    items = []
    for query in _lines(directory / "queries.jsonl"):
        answer = answers[query["id"]]
        items.append(
            Item(
                id=query["id"],
                name=query["name"],
                birth_date=query.get("birth_date"),
                nationality=query.get("nationality"),
                ref=answer["ref"],
                accepted=frozenset([answer["ref"], *answer.get("equivalent", [])]),
                indistinct=frozenset(
                    [answer["ref"], *answer.get("equivalent", []), *answer.get("indistinct", [])]
                ),
                split=answer["split"],
                kind=answer["kind"],
                mods=tuple(answer.get("mods", [])),
            )
        )
    return items


def sample(items: Sequence[Item], size: int | None) -> list[Item]:
    """Every ``len/size``-th item: a sample that keeps the mix of kinds and splits."""
    if size is None or size >= len(items):
        return list(items)
    step = len(items) / size
    return [items[int(i * step)] for i in range(size)]


def rank(item: Item, refs: Sequence[str], *, indistinct: bool = False) -> int | None:
    """1-based rank of the first accepted ref (or, with ``indistinct``, of the first
    record the query cannot tell from the person), or None."""
    accepted = item.indistinct if indistinct else item.accepted
    for position, ref in enumerate(refs, start=1):
        if ref in accepted:
            return position
    return None


@dataclass(frozen=True, slots=True)
class Figures:
    queries: int
    recall_at_10: float
    top_1: float

    def as_dict(self) -> dict[str, float]:
        return {"queries": self.queries, "recall_at_10": self.recall_at_10, "top_1": self.top_1}

    def cells(self) -> str:
        return f"{self.queries} | {self.recall_at_10:.3f} | {self.top_1:.3f}"


def figures(ranks: Iterable[int | None]) -> Figures:
    values = list(ranks)
    count = len(values)
    if not count:
        return Figures(0, 0.0, 0.0)
    within = sum(1 for r in values if r is not None and r <= 10)
    first = sum(1 for r in values if r == 1)
    return Figures(count, within / count, first / count)


def breakdown(
    items: Sequence[Item], ranks: Mapping[str, int | None], *, per_split_kind: bool = False
) -> dict[str, Figures]:
    """Figures for all queries, per split and per kind (script pair; with ``per_split_kind``
    per kind and split)."""
    groups: dict[str, list[int | None]] = {"all": []}
    for item in items:
        value = ranks.get(item.id)
        groups["all"].append(value)
        groups.setdefault(f"split {item.split}", []).append(value)
        kind = f"{item.kind} ({item.split})" if per_split_kind else item.kind
        groups.setdefault(kind, []).append(value)
    ordered = ["all", "split tune", "split holdout"]
    ordered += sorted(k for k in groups if k not in ordered)
    return {key: figures(groups[key]) for key in ordered if key in groups}


def table(results: Mapping[str, Mapping[str, Figures]]) -> str:
    """A markdown table: one row per group, one column block per approach."""
    names = list(results)
    header = "| group | " + " | ".join(f"{n}: queries | recall@10 | top-1" for n in names) + " |"
    rule = "|---|" + "|".join("---:|---:|---:" for _ in names) + "|"
    groups: list[str] = []
    for per in results.values():
        groups += [g for g in per if g not in groups]
    rows = [header, rule]
    for group in groups:
        cells = [results[n][group].cells() if group in results[n] else "- | - | -" for n in names]
        rows.append(f"| {group} | " + " | ".join(cells) + " |")
    return "\n".join(rows)
