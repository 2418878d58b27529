"""Loading the versioned reference files (states, authorities, fiches, contact points, ICCS
codes, and the treaty data). Idempotent: a second load with the same files writes nothing.

Entries the network has taken over (changed through a reviewed proposal, confirmed as
current, or edited in the admin: their history names a user) keep their own values for
the fields the authority maintains; the file still sets the reference fields (state, kind,
roles, central-authority flags, source, confidence).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import importlib.util
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import models, transaction

from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.core.models import IccsCode, ReferenceDataset
from comity.directory.models import Authority, ContactPoint, MeasureFiche, State
from comity.directory.search import authority_search_text, contact_search_text

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
ICCS_FILE = Path(__file__).resolve().parent.parent / "core" / "reference" / "iccs.csv"

# Set from the file on every load, whoever changed the entry since.
_AUTHORITY_REFERENCE_FIELDS = (
    "state_id",
    "kind",
    "tags",
    "is_central_authority",
    "is_primary",
    "source",
    "confidence",
    "is_demo",
)
_FICHE_REFERENCE_FIELDS = ("source", "confidence", "is_demo")


@dataclass(frozen=True)
class LoadResult:
    states: int
    authorities: int
    iccs_codes: int
    fiches: int = 0
    contacts: int = 0
    # Counts reported by the treaty loader (instruments, parties, ...), when it ran.
    treaties: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        treaties = ", ".join(f"{count} {name}" for name, count in self.treaties.items())
        return (
            f"{self.states} states, {self.authorities} authorities, {self.fiches} measure "
            f"fiches, {self.contacts} contact points, {self.iccs_codes} ICCS codes"
            + (f"; treaties: {treaties}" if treaties else "")
        )


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


# Cells ----------------------------------------------------------------------------------


def _list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _flag(cell: str) -> bool | None:
    """1/0 for yes/no; empty for not known."""
    return {"1": True, "0": False}.get(cell.strip())


def _day(cell: str) -> date | None:
    return date.fromisoformat(cell) if cell.strip() else None


def _number(cell: str) -> int | None:
    return int(cell) if cell.strip() else None


def _json_cell(cell: str, empty: Any) -> Any:
    return json.loads(cell) if cell.strip() else empty


# Writing only what differs --------------------------------------------------------------


def assign_changed(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set the values that differ from the object's; True if any did (the row needs saving).
    The treaty loader writes its rows the same way."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _save(obj: models.Model, reason: str) -> None:
    obj._change_reason = reason  # type: ignore[attr-defined]  # read by simple_history
    obj.save()


def _taken_over(model: type[models.Model]) -> set[int]:
    """Rows whose history names a user: the network has changed or confirmed them."""
    history = model.history  # type: ignore[attr-defined]
    return set(history.filter(history_user__isnull=False).values_list("id", flat=True))


# States and authorities -----------------------------------------------------------------


def _load_states(path: Path) -> dict[str, State]:
    for row in _rows(path):
        State.objects.update_or_create(
            iso3=row["iso3"],
            defaults={
                "name_en": row["name_en"],
                "name_ru": row["name_ru"],
                "name_fa": row["name_fa"],
                "is_member": row["member"] == "1",
            },
        )
    return {s.iso3: s for s in State.objects.all()}


def _authority_values(row: dict[str, str], states: dict[str, State]) -> dict[str, Any]:
    return {
        "state_id": states[row["state"]].pk,
        "kind": row["kind"],
        "tags": _list(row["tags"]),
        "is_central_authority": row["is_central_authority"] == "1",
        "is_primary": row["is_primary"] == "1",
        "source": row["source"],
        "confidence": row["confidence"],
        "is_demo": row["is_demo"] == "1",
        "name_en": row["name_en"],
        "name_ru": row["name_ru"],
        "name_local": row["name_local"],
        "local_language": row["local_language"],
        "role": row["role"],
        "legal_basis": row["legal_basis"],
        "languages": row["languages"],
        "address": row["address"],
        "phone": row["phone"],
        "email": row["email"],
        "website": row["website"],
        "urgent_contact": row["urgent_contact"],
        "office_hours": row["office_hours"],
        "time_zone": row["time_zone"],
        "channels": _json_cell(row["channels"], []),
        "accepted_languages": _list(row["accepted_languages"]),
        "translation_certified": _flag(row["translation_certified"]),
        "requires_e_signature": _flag(row["requires_e_signature"]),
        "requires_encryption": _flag(row["requires_encryption"]),
        "dual_criminality": row["dual_criminality"],
        "dual_criminality_note": row["dual_criminality_note"],
        "evidence_use_limits": row["evidence_use_limits"],
        "typical_execution_days": _number(row["typical_execution_days"]),
        "execution_time_note": row["execution_time_note"],
        "documents": _json_cell(row["documents"], {}),
        "unsourced_fields": _list(row["unsourced_fields"]),
        "last_verified": _day(row["last_verified"]),
    }


def _load_authorities(path: Path, states: dict[str, State], reason: str) -> None:
    rows = _rows(path)
    existing = {a.key: a for a in Authority.objects.filter(key__in=[r["key"] for r in rows])}
    taken_over = _taken_over(Authority)
    # Rows losing the default flag go first, so that moving it never trips the constraint.
    for row in sorted(rows, key=lambda r: r["is_primary"] == "1"):
        values = _authority_values(row, states)
        authority = existing.get(row["key"])
        if authority is None:
            _save(Authority(key=row["key"], **values), reason)
            continue
        if authority.pk in taken_over or authority.verified_by_id is not None:
            values = {k: values[k] for k in _AUTHORITY_REFERENCE_FIELDS}
        if assign_changed(authority, values):
            _save(authority, reason)


# Fiches and contact points ----------------------------------------------------------------


def _load_fiches(path: Path, states: dict[str, State], reason: str) -> None:
    existing = {(f.state_id, f.measure): f for f in MeasureFiche.objects.all()}
    taken_over = _taken_over(MeasureFiche)
    for row in _rows(path):
        state = states[row["state"]]
        values: dict[str, Any] = {
            "source": row["source"],
            "confidence": row["confidence"],
            "is_demo": row["is_demo"] == "1",
            "availability": row["availability"],
            "conditions": row["conditions"],
            "what_to_send": row["what_to_send"],
            "alternative": row["alternative"],
            "legal_basis": row["legal_basis"],
            "last_verified": _day(row["last_verified"]),
        }
        fiche = existing.get((state.pk, row["measure"]))
        if fiche is None:
            _save(MeasureFiche(state=state, measure=row["measure"], **values), reason)
            continue
        if fiche.pk in taken_over:
            values = {k: values[k] for k in _FICHE_REFERENCE_FIELDS}
        if assign_changed(fiche, values):
            _save(fiche, reason)


def _load_contacts(path: Path, reason: str) -> None:
    """Contact points are found by authority and name, the name they ever had included:
    a renamed or deleted one is not brought back."""
    authorities = {a.key: a.pk for a in Authority.objects.only("pk", "key")}
    current = {(c.authority_id, c.name): c for c in ContactPoint.objects.all()}
    ever = set(ContactPoint.history.values_list("authority_id", "name"))
    taken_over = _taken_over(ContactPoint)
    for row in _rows(path):
        authority_id = authorities[row["authority"]]
        values: dict[str, Any] = {
            "name_latin": row["name_latin"],
            "name_cyrillic": row["name_cyrillic"],
            "role": row["role"],
            "languages": _list(row["languages"]),
            "measures": _list(row["measures"]),
            "email": row["email"],
            "phone": row["phone"],
            "available_24_7": row["available_24_7"] == "1",
            "is_demo": row["is_demo"] == "1",
            "last_verified": _day(row["last_verified"]),
        }
        contact = current.get((authority_id, row["name"]))
        if contact is None:
            if (authority_id, row["name"]) not in ever:
                new = ContactPoint(authority_id=authority_id, name=row["name"], **values)
                _save(new, reason)
            continue
        if contact.pk not in taken_over and assign_changed(contact, values):
            _save(contact, reason)


def _refresh_search_texts() -> None:
    """Search text follows names held elsewhere (the state, the authority): recompute it,
    writing only rows whose text changed, and without a history record."""
    for authority in Authority.objects.select_related("state"):
        text = authority_search_text(authority)
        if text != authority.search_text:
            Authority.objects.filter(pk=authority.pk).update(search_text=text)
    for contact in ContactPoint.objects.select_related("authority__state"):
        text = contact_search_text(contact)
        if text != contact.search_text:
            ContactPoint.objects.filter(pk=contact.pk).update(search_text=text)


def _load_iccs() -> None:
    for row in _rows(ICCS_FILE):
        IccsCode.objects.update_or_create(
            code=row["code"],
            defaults={
                "level": int(row["level"]),
                "label": row["label"],
                "checked": row["checked"] == "yes",
            },
        )


def _load_treaties() -> dict[str, int]:
    # The treaty data has its own loader; loaded by name so that this module does not
    # depend on the treaty app at import time.
    if importlib.util.find_spec("comity.treaties.loader") is None:
        return {}
    loaded = importlib.import_module("comity.treaties.loader").load_treaties()
    if not dataclasses.is_dataclass(loaded) or isinstance(loaded, type):
        return {}
    return {k: v for k, v in dataclasses.asdict(loaded).items() if isinstance(v, int)}


def reference_load() -> LoadResult:
    """Bring the reference data in line with the shipped files, in one transaction."""
    versions = _versions()
    with transaction.atomic():
        states_file = REFERENCE_DIR / "states.csv"
        states = _load_states(states_file)
        _record_dataset("states", states_file, versions)
        for name, loader in (
            ("authorities", lambda p, r: _load_authorities(p, states, r)),
            ("fiches", lambda p, r: _load_fiches(p, states, r)),
            ("contacts", _load_contacts),
        ):
            path = REFERENCE_DIR / f"{name}.csv"
            loader(path, f"reference data {name} {versions[name][0]}")
            _record_dataset(name, path, versions)
        _refresh_search_texts()
        _load_iccs()
        _record_dataset("iccs", ICCS_FILE, versions)
        treaties = _load_treaties()
        result = LoadResult(
            states=State.objects.count(),
            authorities=Authority.objects.count(),
            iccs_codes=IccsCode.objects.count(),
            fiches=MeasureFiche.objects.count(),
            contacts=ContactPoint.objects.count(),
            treaties=treaties,
        )
        audit_record(
            code=Code.REFERENCE_LOADED,
            actor=None,
            subject_type="reference",
            details={
                "states": result.states,
                "authorities": result.authorities,
                "iccs": result.iccs_codes,
                "fiches": result.fiches,
                "contacts": result.contacts,
                **{f"treaties_{k}": v for k, v in treaties.items()},
            },
        )
    return result
