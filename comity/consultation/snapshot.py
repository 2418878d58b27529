"""The contents of a draft as shared: taken as JSON, shown back part by part.

A snapshot holds what a formal request contains, found from the model so that a field or a
list added to requests later is shared too:

- ``fields``: the request's own content fields (not its relations, lifecycle dates or
  bookkeeping);
- one list per kind of row the request holds in order (the related models with a
  ``position``: offences, assistance sought, persons, property), each row a dict of its
  fields. A state is kept as its ISO code, an ICCS code with its label.

Labels are looked up when shown, so each side reads them in its own language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from comity.cooperation.models import Request
from comity.core.models import IccsCode
from comity.directory.models import State

# Request fields that are not the request's content.
_BOOKKEEPING = frozenset(
    {"id", "public_id", "reference", "status", "refusal_ground", "version", "search_text"}
)
# Row fields that only tie the row to its request or order it.
_ROW_BOOKKEEPING = frozenset({"id", "request", "position"})
# The order a formal request follows; parts not named here come after, in model order.
_ORDER = (
    "type",
    "title",
    "urgency",
    "urgency_reason",
    "proceedings_nature",
    "proceedings_reference",
    "conducting_authority",
    "summary_of_facts",
    "offences",
    "assistance_sought",
    "persons",
    "properties",
    "purpose",
    "legal_basis",
    "legal_basis_codes",
    "particular_procedure",
    "confidentiality",
    "time_limit",
)


def _content_fields() -> list[models.Field[Any, Any]]:
    return [
        f
        for f in Request._meta.concrete_fields
        if not f.is_relation
        and f.editable
        and f.name not in _BOOKKEEPING
        and not isinstance(f, models.DateTimeField)
    ]


def list_relations() -> dict[str, type[models.Model]]:
    """The lists of rows a request holds, by accessor name (e.g. ``offences``)."""
    found: dict[str, type[models.Model]] = {}
    for relation in Request._meta.related_objects:
        model = relation.related_model
        if not relation.one_to_many or not isinstance(model, type):
            continue
        names = {f.name for f in model._meta.concrete_fields}
        if "position" in names:
            found[relation.get_accessor_name() or relation.name] = model
    return found


def _row_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in _ROW_BOOKKEEPING and not f.primary_key
    ]


def _related_value(obj: models.Model | None) -> Any:
    if obj is None:
        return None
    if isinstance(obj, State):
        return obj.iso3
    if isinstance(obj, IccsCode):
        return f"{obj.code} {obj.label}"
    return str(obj)


def _row(obj: models.Model, fields: list[models.Field[Any, Any]]) -> dict[str, Any]:
    return {
        f.name: _related_value(getattr(obj, f.name)) if f.is_relation else getattr(obj, f.name)
        for f in fields
    }


def snapshot_of(request: Request) -> dict[str, Any]:
    """The draft's contents now, as plain JSON."""
    taken: dict[str, Any] = {
        "reference": request.reference,
        "fields": {f.name: getattr(request, f.name) for f in _content_fields()},
    }
    for name, model in list_relations().items():
        fields = _row_fields(model)
        related = [f.name for f in fields if f.is_relation]
        rows = getattr(request, name).select_related(*related).order_by("position", "pk")
        taken[name] = [_row(obj, fields) for obj in rows]
    parsed: dict[str, Any] = json.loads(json.dumps(taken, cls=DjangoJSONEncoder))
    return parsed


def _lists_in(snapshot: dict[str, Any]) -> list[str]:
    return [
        k for k, v in snapshot.items() if k not in ("reference", "fields") and isinstance(v, list)
    ]


def part_names(snapshot: dict[str, Any]) -> list[str]:
    """The parts a comment may be about, in the order of a formal request."""
    present = [*snapshot.get("fields", {}), *_lists_in(snapshot)]
    ordered = [n for n in _ORDER if n in present]
    return ordered + [n for n in present if n not in ordered]


def filled_part_names(snapshot: dict[str, Any]) -> list[str]:
    """The parts that hold something: what a comment is usually about."""
    return [n for n in part_names(snapshot) if _part_value(snapshot, n) not in (None, "", [], {})]


def _part_value(snapshot: dict[str, Any], name: str) -> Any:
    if name in snapshot.get("fields", {}):
        return snapshot["fields"][name]
    return snapshot.get(name)


def changed_parts(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The parts whose contents differ between two snapshots."""
    names = part_names(after)
    names += [n for n in part_names(before) if n not in names]
    return [n for n in names if _part_value(before, n) != _part_value(after, n)]


_LIST_LABELS = {
    "offences": lambda: _("Offences"),
    "assistance_sought": lambda: _("Assistance sought"),
    "persons": lambda: _("Persons"),
    "properties": lambda: _("Property"),
}


def part_label(name: str) -> str:
    """The part's name in the reader's language (its key if requests no longer have it)."""
    if name == "":
        return _("The draft as a whole")
    if name in _LIST_LABELS:
        return _LIST_LABELS[name]()
    model = list_relations().get(name)
    if model is not None:
        return str(capfirst(model._meta.verbose_name_plural))
    return _field_label(Request, name)


def _field_label(model: type[models.Model], name: str) -> str:
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(capfirst(getattr(model_field, "verbose_name", name)))


@dataclass(frozen=True)
class Part:
    """One part of the shared draft, ready to show."""

    name: str
    label: str
    text: str = ""
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    is_list: bool = False
    changed: bool = False
    comment_count: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.rows)


def _date(value: Any) -> str:
    try:
        return str(formats.date_format(date.fromisoformat(str(value)), "DATE_FORMAT"))
    except ValueError:
        return str(value)


def _by_field(model_field: Any, value: Any, states: dict[str, str]) -> str | None:
    """The value as its field shows it; None when the field gives no particular form."""
    if model_field is None or isinstance(model_field, models.DateTimeField):
        return None
    shown: str | None = None
    if model_field.choices:
        shown = str(dict(model_field.flatchoices).get(value, value))
    elif isinstance(model_field, models.ForeignKey) and model_field.related_model is State:
        shown = states.get(str(value), str(value))
    elif isinstance(model_field, models.DateField):
        shown = _date(value)
    elif isinstance(model_field, models.DecimalField):
        shown = str(formats.localize(Decimal(str(value))))
    return shown


def _value_text(model_field: Any, value: Any, states: dict[str, str]) -> str:
    """A stored value as text, by the field it came from (None if that field is gone)."""
    if value in (None, "", [], {}):
        return ""
    shown = _by_field(model_field, value, states)
    if shown is not None:
        return shown
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _get_field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def text_of(snapshot: dict[str, Any], name: str) -> str:
    """One of the request's own fields, as display text."""
    value = snapshot.get("fields", {}).get(name)
    return _value_text(_get_field(Request, name), value, {})


def _list_part(name: str, rows: list[dict[str, Any]], states: dict[str, str]) -> Part:
    model = list_relations().get(name)
    keys = list(dict.fromkeys(k for row in rows for k in row))
    return Part(
        name,
        part_label(name),
        headers=tuple(_field_label(model, k) if model else k for k in keys),
        rows=tuple(
            tuple(_value_text(_get_field(model, k), row.get(k), states) for k in keys)
            for row in rows
        ),
        is_list=True,
    )


def _state_names(snapshot: dict[str, Any]) -> dict[str, str]:
    """Names, in the reader's language, of the states the snapshot's rows name."""
    codes: set[str] = set()
    for name in _lists_in(snapshot):
        model = list_relations().get(name)
        for key in {k for row in snapshot[name] for k in row}:
            model_field = _get_field(model, key)
            if isinstance(model_field, models.ForeignKey) and model_field.related_model is State:
                codes |= {str(row[key]) for row in snapshot[name] if row.get(key)}
    if not codes:
        return {}
    return {s.iso3: s.name for s in State.objects.filter(iso3__in=codes)}


def parts(
    snapshot: dict[str, Any],
    *,
    previous: dict[str, Any] | None = None,
    comment_counts: dict[str, int] | None = None,
) -> list[Part]:
    """The snapshot as parts to show; ``previous`` marks what changed since then."""
    changed = set(changed_parts(previous, snapshot)) if previous is not None else set()
    counts = comment_counts or {}
    states = _state_names(snapshot)
    shown: list[Part] = []
    for name in part_names(snapshot):
        if name in snapshot.get("fields", {}):
            base = Part(name, part_label(name), text=text_of(snapshot, name))
        else:
            base = _list_part(name, list(snapshot.get(name) or []), states)
        shown.append(replace(base, changed=name in changed, comment_count=counts.get(name, 0)))
    return shown
