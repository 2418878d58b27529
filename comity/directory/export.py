"""The directory out of Comity: a contact point or an authority as a vCard 3.0, the
authorities as CSV (columns in directory/reference/README.md, "Export").

These functions only render; the caller audits the export (DIRECTORY_EXPORTED,
CONTACT_EXPORTED) with the user who asked for it.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from typing import Any, Protocol

import vobject
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from comity.directory.models import Authority, ContactPoint

# Stable: add new columns at the end only.
CSV_COLUMNS: tuple[str, ...] = (
    "key",
    "state",
    "state_name",
    "name_en",
    "name_ru",
    "name_local",
    "local_language",
    "kind",
    "tags",
    "is_central_authority",
    "is_primary",
    "role",
    "legal_basis",
    "address",
    "phone",
    "email",
    "website",
    "urgent_contact",
    "office_hours",
    "time_zone",
    "channels",
    "accepted_languages",
    "languages",
    "translation_certified",
    "requires_e_signature",
    "requires_encryption",
    "dual_criminality",
    "dual_criminality_note",
    "evidence_use_limits",
    "typical_execution_days",
    "execution_time_note",
    "documents",
    "source",
    "confidence",
    "is_demo",
    "unsourced_fields",
    "last_verified",
    "stale",
    "contacts",
)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A spreadsheet runs a cell that starts like a formula; see _cell.
_FORMULA_START = ("=", "@", "\t", "\r")
_FORMULA_SIGNS = re.compile(r"[=|!\"]|\w\(")  # an operator, or a function call


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


# vCard -----------------------------------------------------------------------------------


def _card(uid: str) -> Any:
    card = vobject.vCard()
    card.add("uid").value = f"urn:uuid:{uid}"
    return card


def _add(card: Any, name: str, value: Any, types: list[str] | None = None) -> None:
    line = card.add(name)
    line.value = value
    if types:
        line.type_param = types


def _url(website: str) -> str:
    words = website.strip().split(";", maxsplit=1)[0].split(maxsplit=1)
    if not words:
        return ""
    return words[0] if re.match(r"^https?://", words[0]) else f"https://{words[0]}"


def _phones(text: str) -> list[str]:
    """Numbers as published ("+1 202 514 0000 (main); ..."), without their notes."""
    return [p.split("(")[0].strip() for p in text.split(";") if p.split("(")[0].strip()]


def _address(authority: Authority) -> Any:
    return vobject.vcard.Address(street=authority.address, country=authority.state.name_en)


def _add_office(card: Any, authority: Authority, languages: Iterable[str]) -> None:
    """The authority's address and website, and the languages to write in."""
    if authority.address:
        _add(card, "adr", _address(authority), ["WORK"])
    if url := _url(authority.website):
        card.add("url").value = url
    for code in languages:
        card.add("lang").value = code


def _demo_caveat(is_demo: bool, unsourced: Iterable[str]) -> list[str]:
    lines = []
    if is_demo:
        lines.append(_("Demo data: not from a published source."))
    unsourced = list(unsourced)
    if unsourced:
        lines.append(
            _("Demo values, not from a published source: %(fields)s.")
            % {"fields": ", ".join(unsourced)}
        )
    return lines


def _verified(last_verified: Any) -> str:
    if last_verified is None:
        return _("Never verified.")
    return _("Last verified: %(date)s.") % {"date": last_verified.isoformat()}


def contact_vcard(contact: ContactPoint) -> str:
    authority = contact.authority
    card = _card(str(contact.public_id))
    card.add("fn").value = contact.name
    given, _space, family = contact.name.rpartition(" ")
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    card.add("org").value = [authority.name_en]
    if contact.role:
        card.add("title").value = contact.role
    if contact.email:
        _add(card, "email", contact.email, ["INTERNET", "WORK"])
    if contact.phone:
        _add(card, "tel", contact.phone, ["WORK", "VOICE"])
    _add_office(card, authority, contact.languages)
    notes = [
        *[n for n in (contact.name_latin, contact.name_cyrillic) if n and n != contact.name],
        _("Role: %(role)s") % {"role": contact.role} if contact.role else "",
        _("Languages: %(codes)s") % {"codes": ", ".join(contact.languages)}
        if contact.languages
        else "",
        _("Can help with: %(measures)s") % {"measures": ", ".join(contact.measures)}
        if contact.measures
        else "",
        _("Reachable 24/7.") if contact.available_24_7 else "",
        _verified(contact.last_verified),
        *_demo_caveat(contact.is_demo, ()),
    ]
    card.add("note").value = "\n".join(n for n in notes if n)
    return str(card.serialize())


def authority_vcard(authority: Authority) -> str:
    card = _card(str(authority.public_id))
    card.add("fn").value = authority.name_en
    card.add("n").value = vobject.vcard.Name()
    card.add("org").value = [authority.name_en]
    card.add("x-abshowas").value = "COMPANY"
    for address in _EMAIL.findall(authority.email):
        _add(card, "email", address, ["INTERNET", "WORK"])
    for number in _phones(authority.phone):
        _add(card, "tel", number, ["WORK", "VOICE"])
    _add_office(card, authority, authority.accepted_languages)
    notes = [
        *[n for n in (authority.name_ru, authority.name_local) if n],
        _("24/7: %(contact)s") % {"contact": authority.urgent_contact}
        if authority.urgent_contact
        else "",
        _("Office hours: %(hours)s (%(zone)s)")
        % {"hours": authority.office_hours, "zone": authority.time_zone}
        if authority.office_hours
        else "",
        _("Accepts requests in: %(codes)s") % {"codes": ", ".join(authority.accepted_languages)}
        if authority.accepted_languages
        else "",
        _verified(authority.last_verified),
        _("Source: %(source)s") % {"source": authority.source} if authority.source else "",
        *_demo_caveat(authority.is_demo, authority.unsourced_fields),
    ]
    card.add("note").value = "\n".join(n for n in notes if n)
    return str(card.serialize())


# CSV -------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    """Text for one cell. Lists join with "; ", structures are JSON, yes/no for flags.

    A text that a spreadsheet would run as a formula gets a leading apostrophe; a published
    phone number ("+992 44 ...") is left as it is.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        text = "; ".join(value)
    elif isinstance(value, list | dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    else:
        text = str(value)
    starts_formula = text.startswith(_FORMULA_START) or (
        text.startswith(("+", "-")) and bool(_FORMULA_SIGNS.search(text))
    )
    return f"'{text}" if starts_formula else text


def _row(authority: Authority, contacts: int) -> list[str]:
    values: dict[str, Any] = {
        name: getattr(authority, name) for name in CSV_COLUMNS if hasattr(authority, name)
    }
    values |= {
        "state": authority.state.iso3,
        "state_name": authority.state.name_en,
        "stale": authority.is_stale(),
        "contacts": contacts,
    }
    return [_cell(values[name]) for name in CSV_COLUMNS]


def directory_csv(out: Writable, authorities: Iterable[Authority]) -> int:
    """Write a header and one row per authority (with its count of active contact points);
    return the number of authority rows. Plain UTF-8, comma-separated, CRLF line ends."""
    if isinstance(authorities, QuerySet):
        authorities = authorities.select_related("state")
    rows = list(authorities)
    counts = dict(
        Authority.objects.filter(pk__in=[a.pk for a in rows])
        .annotate(n=Count("contacts", filter=Q(contacts__is_active=True)))
        .values_list("pk", "n")
    )
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for authority in rows:
        writer.writerow(_row(authority, counts.get(authority.pk, 0)))
    return len(rows)
