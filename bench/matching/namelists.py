"""The region's name lists (names/<ISO3>.csv): each name with its register spelling, its
customary Latin spellings and, where they differ from the letter-for-letter ones, its Russian
Cyrillic spellings."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

NAMES_DIR = Path(__file__).resolve().parent / "names"
STATES: tuple[str, ...] = ("AFG", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "TKM", "UZB")


@dataclass(frozen=True, slots=True)
class NameEntry:
    native: str  # as the state's register writes it
    latin: tuple[str, ...]  # customary Latin spellings, most usual first
    ru: tuple[str, ...]  # Russian Cyrillic spellings when not letter for letter


@dataclass(frozen=True, slots=True)
class NameList:
    state: str
    male: tuple[NameEntry, ...]
    female: tuple[NameEntry, ...]
    surnames: tuple[NameEntry, ...]


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split("|") if part.strip())


@cache
def load(state: str) -> NameList:
    """The name list of one state, read from names/<state>.csv."""
    path = NAMES_DIR / f"{state}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    kinds: dict[str, list[NameEntry]] = {"m": [], "f": [], "s": []}
    for row in csv.DictReader(lines):
        entry = NameEntry(
            native=row["native"].strip(),
            latin=_split(row["latin"] or ""),
            ru=_split(row["ru"] or ""),
        )
        kinds[row["kind"].strip()].append(entry)
    return NameList(
        state=state,
        male=tuple(kinds["m"]),
        female=tuple(kinds["f"]),
        surnames=tuple(kinds["s"]),
    )
