"""Loading the versioned reference files (states, authorities, ICCS codes). Idempotent."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.core.models import IccsCode, ReferenceDataset
from comity.directory.models import Authority, State

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
ICCS_FILE = Path(__file__).resolve().parent.parent / "core" / "reference" / "iccs.csv"


@dataclass(frozen=True)
class LoadResult:
    states: int
    authorities: int
    iccs_codes: int


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _versions() -> dict[str, tuple[str, date, str]]:
    versions: dict[str, tuple[str, date, str]] = {}
    for line in (REFERENCE_DIR / "VERSION").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, version, as_of, source = line.split(",", 3)
        versions[name] = (version, date.fromisoformat(as_of), source)
    return versions


def _record_dataset(name: str, path: Path, versions: dict[str, tuple[str, date, str]]) -> None:
    version, as_of, source = versions[name]
    ReferenceDataset.objects.update_or_create(
        name=name,
        defaults={
            "version": version,
            "as_of": as_of,
            "source": source,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        },
    )


def reference_load() -> LoadResult:
    """Bring states, authorities and ICCS codes in line with the shipped files."""
    versions = _versions()
    with transaction.atomic():
        states_file = REFERENCE_DIR / "states.csv"
        for row in _rows(states_file):
            State.objects.update_or_create(
                iso3=row["iso3"],
                defaults={
                    "name_en": row["name_en"],
                    "name_ru": row["name_ru"],
                    "name_fa": row["name_fa"],
                    "is_member": row["member"] == "1",
                },
            )
        _record_dataset("states", states_file, versions)
        states = {s.iso3: s for s in State.objects.all()}
        authorities_file = REFERENCE_DIR / "authorities.csv"
        rows = _rows(authorities_file)
        # Clear default flags first so that moving the default never trips the constraint.
        Authority.objects.filter(key__in=[r["key"] for r in rows]).update(is_primary=False)
        for row in rows:
            Authority.objects.update_or_create(
                key=row["key"],
                defaults={
                    "state": states[row["state"]],
                    "name_en": row["name_en"],
                    "name_local": row["name_local"],
                    "kind": row["kind"],
                    "tags": [t for t in row["tags"].split(";") if t],
                    "is_central_authority": row["is_central_authority"] == "1",
                    "is_primary": row["is_primary"] == "1",
                    "role": row["role"],
                    "legal_basis": row["legal_basis"],
                    "languages": row["languages"],
                    "address": row["address"],
                    "phone": row["phone"],
                    "email": row["email"],
                    "website": row["website"],
                    "source": row["source"],
                    "confidence": row["confidence"],
                    "is_demo": row["is_demo"] == "1",
                },
            )
        _record_dataset("authorities", authorities_file, versions)
        for row in _rows(ICCS_FILE):
            IccsCode.objects.update_or_create(
                code=row["code"],
                defaults={
                    "level": int(row["level"]),
                    "label": row["label"],
                    "checked": row["checked"] == "yes",
                },
            )
        _record_dataset("iccs", ICCS_FILE, versions)
        result = LoadResult(
            states=State.objects.count(),
            authorities=Authority.objects.count(),
            iccs_codes=IccsCode.objects.count(),
        )
        audit_record(
            code=Code.REFERENCE_LOADED,
            actor=None,
            subject_type="reference",
            details={
                "states": result.states,
                "authorities": result.authorities,
                "iccs": result.iccs_codes,
            },
        )
    return result
