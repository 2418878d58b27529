"""How directory values read on a page: languages, measures, channels, stored JSON."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from comity.cooperation.models import Measure, RequestType
from comity.core import languages as known_languages
from comity.directory.changes import KNOWN_MEASURES
from comity.directory.models import (
    Authority,
    Availability,
    Channel,
    ContactPoint,
    FicheMeasure,
    MeasureFiche,
)

# Languages of the region and of its partners, by ISO 639-1 code (comity/core/languages.py).
# Persian is named with the names it goes by in the region, as directory entries use them.
LANGUAGES: dict[str, Any] = {**known_languages.names(), "fa": _("Persian (Farsi, Dari)")}


def _measures() -> dict[str, Any]:
    """Every measure a channel, a document list or a contact point may name: the fiches'
    measures, the request measures, and the kinds of cooperation that are not measures."""
    merged: dict[str, Any] = {"mla": RequestType.MLA.label}
    merged.update(FicheMeasure.choices)
    for value, label in Measure.choices:
        merged.setdefault(value, label)
    merged.update(
        {
            "transfer_of_proceedings": RequestType.TRANSFER_OF_PROCEEDINGS.label,
            "transfer_of_sentenced_persons": _("Transfer of sentenced persons"),
            "asset_return": RequestType.ASSET_RETURN.label,
        }
    )
    return {code: label for code, label in merged.items() if code in KNOWN_MEASURES}


MEASURES: dict[str, Any] = _measures()


def language_choices(extra: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The known languages, plus any other code already stored (kept, not dropped)."""
    choices = [(code, str(label)) for code, label in LANGUAGES.items()]
    choices += [(code, code) for code in extra if code not in LANGUAGES]
    return choices


def measure_choices(extra: Iterable[str] = ()) -> list[tuple[str, str]]:
    choices = [(code, str(label)) for code, label in MEASURES.items()]
    return choices + [(code, code) for code in extra if code not in MEASURES]


def language_name(code: str) -> str:
    label = LANGUAGES.get(code)
    return str(label) if label is not None else code


def measure_name(code: str) -> str:
    label = MEASURES.get(code)
    return str(label) if label is not None else code


def channel_name(code: str) -> str:
    return str(Channel(code).label) if code in Channel.values else code


def names(codes: Iterable[str], name: Any) -> str:
    return ", ".join(name(code) for code in codes)


def yes_no(value: bool | None) -> str:
    if value is None:
        return gettext("Not known")
    return gettext("Yes") if value else gettext("No")


def channel_lines(channels: Any) -> list[str]:
    """One line per accepted channel: "Diplomatic channel: bank records, … (note)"."""
    lines = []
    for item in channels if isinstance(channels, list) else []:
        if not isinstance(item, dict):
            continue
        measures = item.get("measures") or []
        scope = names(measures, measure_name) if measures else gettext("all measures")
        line = f"{channel_name(str(item.get('channel', '')))}: {scope}"
        if item.get("note"):
            line = f"{line} ({item['note']})"
        lines.append(line)
    return lines


def _code_list(name: Any) -> Any:
    return lambda value: names(value, name) if isinstance(value, list) else None


def _documents_text(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    return "\n".join(f"{measure_name(k)}: {v}" for k, v in value.items())


# Fields whose stored shape needs words: how to say them (None: not that shape after all).
_FIELD_TEXT: dict[str, Any] = {
    "channels": lambda value: "\n".join(channel_lines(value)),
    "accepted_languages": _code_list(language_name),
    "languages": _code_list(language_name),
    "measures": _code_list(measure_name),
    "documents": _documents_text,
}


def value_text(model: type[models.Model], field: str, value: Any) -> str:
    """A stored or proposed value as plain text, whatever its shape."""
    if value is None or value in ("", [], {}):
        return "—"
    special = _FIELD_TEXT.get(field)
    text = special(value) if special is not None else None
    if text is not None:
        return str(text)
    if isinstance(value, bool):
        return yes_no(value)
    choices = _choices(model, field)
    if str(value) in choices:
        return str(choices[str(value)])
    return _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _choices(model: type[models.Model], field: str) -> dict[str, Any]:
    try:
        model_field = model._meta.get_field(field)
    except FieldDoesNotExist:
        return {}
    return dict(getattr(model_field, "choices", None) or ())


def field_label(model: type[models.Model], field: str) -> str:
    try:
        model_field = model._meta.get_field(field)
    except FieldDoesNotExist:
        return capfirst(field.replace("_", " "))
    return capfirst(str(getattr(model_field, "verbose_name", field)))


@dataclass(frozen=True)
class LocalTime:
    now: datetime
    zone: str


def local_time(zone: str, now: datetime | None = None) -> LocalTime | None:
    """The time now in the authority's time zone; None when the zone is not known."""
    if not zone:
        return None
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return LocalTime(now=(now or timezone.now()).astimezone(tz), zone=zone)


def other_names(authority: Authority) -> list[str]:
    """The name forms not shown as the main name, each once."""
    shown = authority.name
    forms = [authority.name_en, authority.name_ru, *authority.name_local.split(";")]
    seen = {shown}
    others = []
    for form in (f.strip() for f in forms):
        if form and form not in seen:
            seen.add(form)
            others.append(form)
    return others


def contact_names(contact: ContactPoint) -> list[str]:
    others = [contact.name_latin, contact.name_cyrillic]
    return [n for n in dict.fromkeys(others) if n and n != contact.name]


def badge(colour: str) -> str:
    """Badge classes of one colour family; the subtle pairs keep contrast above 4.5:1."""
    return f"text-{colour}-emphasis bg-{colour}-subtle border border-{colour}-subtle"


AVAILABILITY_BADGES: dict[str, str] = {
    Availability.YES: badge("success"),
    Availability.CONDITIONAL: badge("warning"),
    Availability.NO: badge("danger"),
    Availability.UNKNOWN: badge("secondary"),
}

CONFIDENCE_BADGES: dict[str, str] = {
    "high": badge("success"),
    "medium": badge("warning"),
    "low": badge("danger"),
}

CONFIDENCE_LABELS: dict[str, Any] = {
    "high": _("high"),
    "medium": _("medium"),
    "low": _("low"),
}

MODELS: dict[str, type[models.Model]] = {
    "authority": Authority,
    "contact": ContactPoint,
    "fiche": MeasureFiche,
}
