"""FollowTheMoney export: the persons, companies and assets of a case and who holds them.

FollowTheMoney (FtM) is the data model of OpenSanctions, Aleph and other investigative tools
(docs/decisions/0004). Each holder becomes a Person, Company or Organization; each asset the
schema of its kind (BankAccount, RealEstate, Vehicle, Vessel, Airplane, Security for company
shares, CryptoWallet, or Asset for cash, valuables and the rest); each holding an Ownership
with its role and share. A nominee or a front also gets a Representation that names the
beneficial owner they act for, so that the beneficial owner is explicit in the graph. A
signatory is no owner: an UnknownLink with the role "signatory".

Entity ids are stable: a hash of the namespace "comity", the kind of record and its public
id, so that a second export of the same case updates the same entities downstream. Every
entity is checked with the library before it leaves (``validate``): its properties must
survive a round trip through the library's own cleaning, the schema must accept them, the
required properties must be there, and every link must point to an exported entity of the
right schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pycountry
from django.db.models import Prefetch, QuerySet
from django.utils import translation
from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy
from followthemoney.schema import ValidationData
from stdnum import iban, isin

from comity.accounts.models import User
from comity.assets.models import Asset, AssetKind, Holding, HoldingRole, Party, PartyKind
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.cooperation.models import Case
from comity.directory.models import State

NAMESPACE = "comity"

_ASSET_SCHEMA: dict[str, str] = {
    AssetKind.BANK_ACCOUNT: "BankAccount",
    AssetKind.REAL_ESTATE: "RealEstate",
    AssetKind.VEHICLE: "Vehicle",
    AssetKind.VESSEL: "Vessel",
    AssetKind.AIRCRAFT: "Airplane",
    AssetKind.COMPANY_SHARES: "Security",
    AssetKind.CRYPTO: "CryptoWallet",
}
_PARTY_SCHEMA: dict[str, str] = {
    PartyKind.PERSON: "Person",
    PartyKind.COMPANY: "Company",
    PartyKind.ORGANISATION: "Organization",
}
# The role of a holding as FtM tools show it (English, like the rest of the FtM data).
ROLE: dict[str, str] = {
    HoldingRole.OWNER: "registered owner",
    HoldingRole.CO_OWNER: "co-owner",
    HoldingRole.NOMINEE: "nominee",
    HoldingRole.FRONT: "front",
    HoldingRole.BENEFICIAL_OWNER: "beneficial owner",
    HoldingRole.SIGNATORY: "signatory",
}
_ACTING_FOR = frozenset({HoldingRole.NOMINEE, HoldingRole.FRONT})
# Who a wallet names as its holder (FtM has no ownership of a wallet).
_HOLDERS = frozenset({HoldingRole.OWNER, HoldingRole.CO_OWNER, HoldingRole.BENEFICIAL_OWNER})


class ExportInvalid(Exception):
    """The export produced entities the library refuses (a bug, never the user's input)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def country(state: State | None) -> str | None:
    """ISO 3166 alpha-2, lower case, as FtM writes countries."""
    if state is None:
        return None
    found = pycountry.countries.get(alpha_3=state.iso3.upper())
    return str(found.alpha_2).lower() if found is not None else None


def _entity(schema: str, *key: str) -> EntityProxy:
    entity = model.make_entity(schema, key_prefix=NAMESPACE)
    entity.make_id(*key)
    return entity


def _add(entity: EntityProxy, prop: str, value: object) -> None:
    """Add a value if there is one. The library cleans it; a value it cannot read is an error
    of this mapping (the services checked the data), never silently dropped."""
    if value is None or value == "":
        return
    before = len(entity.get(prop))
    entity.add(prop, str(value))
    if len(entity.get(prop)) == before and str(value) not in entity.get(prop):
        raise ExportInvalid([f"{entity.schema.name}.{prop}: the library refused {value!r}"])


def party_entity(party: Party) -> EntityProxy:
    schema = _PARTY_SCHEMA.get(party.kind, "LegalEntity")
    entity = _entity(schema, "party", str(party.public_id))
    _add(entity, "name", party.name)
    _add(entity, "notes", party.notes)
    code = country(party.state)
    if party.kind == PartyKind.PERSON:
        _add(entity, "birthDate", party.birth_date)
        _add(entity, "idNumber", party.registration_number)
        _add(entity, "nationality", code)
    else:
        _add(entity, "registrationNumber", party.registration_number)
        _add(entity, "jurisdiction", code)
    return entity


def _name(asset: Asset) -> str:
    """The identifier with the kind ("Bank account 1240..."), else the description's first
    line (FtM wants a name on vessels and shows one for every entity)."""
    description = asset.description.strip()
    if not asset.identifier and description:
        return description.splitlines()[0][:200]
    with translation.override("en"):
        label = str(AssetKind(asset.kind).label)
    return f"{label} {asset.identifier}".strip()


def asset_entities(asset: Asset) -> list[EntityProxy]:
    """The asset, and for company shares the issuing company when it is named."""
    schema = _ASSET_SCHEMA.get(asset.kind, "Asset")
    entity = _entity(schema, "asset", str(asset.public_id))
    _add(entity, "name", _name(asset))
    _add(entity, "description", asset.description)
    code = country(asset.location_state)
    _add(entity, "country", code)
    if asset.estimated_value is not None and asset.currency:
        _add(entity, "amount", asset.estimated_value)
        _add(entity, "currency", asset.currency)
    extra: list[EntityProxy] = []
    identifier = asset.identifier
    if asset.kind == AssetKind.BANK_ACCOUNT:
        _add(entity, "iban" if iban.is_valid(identifier) else "accountNumber", identifier)
        _add(entity, "bankName", asset.institution)
    elif asset.kind == AssetKind.REAL_ESTATE:
        _add(entity, "cadastralCode", identifier)
    elif asset.kind in (AssetKind.VEHICLE, AssetKind.AIRCRAFT):
        # FtM has no VIN property: the VIN or plate is the vehicle's registration number.
        _add(entity, "registrationNumber", identifier)
    elif asset.kind == AssetKind.VESSEL:
        _add(entity, "imoNumber", identifier)
        _add(entity, "registrationPort", asset.institution)
    elif asset.kind == AssetKind.COMPANY_SHARES:
        _add(entity, "isin" if isin.is_valid(identifier) else "registrationNumber", identifier)
        if asset.institution:
            issuer = _entity("Company", "issuer", str(asset.public_id))
            _add(issuer, "name", asset.institution)
            _add(issuer, "jurisdiction", code)
            entity.add("issuer", issuer.id)
            extra.append(issuer)
    elif asset.kind == AssetKind.CRYPTO:
        _add(entity, "publicKey", identifier)
        _add(entity, "managingExchange", asset.institution)
    _add(entity, "address", asset.address)
    return [entity, *extra]


def _holding_entity(
    holding: Holding, source: Asset, owner: EntityProxy, asset: EntityProxy
) -> EntityProxy:
    role = ROLE.get(holding.role, holding.role)
    key = ("holding", str(source.public_id), str(holding.party.public_id), holding.role)
    if holding.role == HoldingRole.SIGNATORY or not asset.schema.is_a("Asset"):
        # A wallet is no FtM asset, and a signatory no owner: a plain link with the role.
        link = _entity("UnknownLink", *key)
        link.add("subject", owner.id)
        link.add("object", asset.id)
        link.add("role", role)
        return link
    ownership = _entity("Ownership", *key)
    ownership.add("owner", owner.id)
    ownership.add("asset", asset.id)
    ownership.add("role", role)
    if holding.role == HoldingRole.BENEFICIAL_OWNER:
        ownership.add("ownershipType", "beneficial")
    elif holding.role in _ACTING_FOR:
        ownership.add("ownershipType", "nominal")
    if holding.share is not None:
        _add(ownership, "percentage", format(holding.share.normalize(), "f"))
    return ownership


def _representations(
    asset: Asset, holdings: list[Holding], parties: dict[int, EntityProxy]
) -> Iterator[EntityProxy]:
    """Each nominee or front acts for each beneficial owner recorded on the same asset."""
    owners = [h for h in holdings if h.role == HoldingRole.BENEFICIAL_OWNER]
    for agent in (h for h in holdings if h.role in _ACTING_FOR):
        for owner in owners:
            if agent.party_id == owner.party_id:
                continue
            link = _entity(
                "Representation",
                "representation",
                str(asset.public_id),
                str(agent.party.public_id),
                str(owner.party.public_id),
            )
            link.add("agent", parties[agent.party_id].id)
            link.add("client", parties[owner.party_id].id)
            link.add("role", ROLE[agent.role])
            _add(link, "description", _name(asset))
            yield link


@dataclass
class Export:
    entities: list[EntityProxy] = field(default_factory=list)

    def dicts(self) -> list[dict[str, Any]]:
        return [entity.to_dict() for entity in self.entities]

    def lines(self) -> Iterator[str]:
        for data in self.dicts():
            yield json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"


def export_queryset(assets: QuerySet[Asset]) -> QuerySet[Asset]:
    """What ``build`` reads, in a fixed number of queries."""
    return assets.select_related("location_state").prefetch_related(
        Prefetch(
            "holdings",
            queryset=Holding.objects.select_related("party__state").order_by("id"),
        )
    )


def build(assets: Iterable[Asset]) -> Export:
    """The entities of these assets and their holders: parties first, then each asset with
    its links. Assets need ``holdings__party__state`` and ``location_state`` (prefetched)."""
    parties: dict[int, EntityProxy] = {}
    things: list[EntityProxy] = []
    links: list[EntityProxy] = []
    for asset in assets:
        own = asset_entities(asset)
        things.extend(own)
        holdings = list(asset.holdings.all())
        for holding in holdings:
            if holding.party_id not in parties:
                parties[holding.party_id] = party_entity(holding.party)
            owner = parties[holding.party_id]
            links.append(_holding_entity(holding, asset, owner, own[0]))
            if own[0].schema.name == "CryptoWallet" and holding.role in _HOLDERS:
                own[0].add("holder", owner.id)
        links.extend(_representations(asset, holdings, parties))
    export = Export(entities=[*parties.values(), *things, *links])
    problems = validate(export.entities)
    if problems:
        raise ExportInvalid(problems)
    return export


def validate(entities: list[EntityProxy]) -> list[str]:
    """What the library finds wrong with these entities (empty: all valid)."""
    problems: list[str] = []
    by_id: dict[str, EntityProxy] = {}
    for entity in entities:
        if entity.id is None:
            problems.append(f"{entity.schema.name}: no id")
            continue
        if entity.id in by_id:
            problems.append(f"{entity.id}: id used twice")
        by_id[entity.id] = entity
    for entity in entities:
        problems.extend(_check(entity, by_id))
    return problems


def _check(entity: EntityProxy, by_id: dict[str, EntityProxy]) -> list[str]:
    where = f"{entity.schema.name} {entity.id}"
    problems: list[str] = []
    if entity.schema.abstract:
        problems.append(f"{where}: abstract schema")
    data = entity.to_dict()
    try:
        entity.schema.validate(ValidationData(properties=entity.properties))
    except InvalidData as error:
        problems.append(f"{where}: {error}")
    again = model.get_proxy(json.loads(json.dumps(data)), cleaned=False)
    if again.to_dict()["properties"] != data["properties"]:
        problems.append(f"{where}: properties changed when the library cleaned them")
    for name in sorted(entity.schema.required):
        if not entity.has(name):
            problems.append(f"{where}: required {name} missing")
    for prop, value in entity.itervalues():
        if prop.range is None or prop.type.name != "entity":
            continue
        target = by_id.get(value)
        if target is None:
            problems.append(f"{where}: {prop.name} points to {value}, not exported")
        elif not target.schema.is_a(prop.range):
            problems.append(f"{where}: {prop.name} is a {target.schema.name}")
    return problems


def export_case(
    *, actor: User | None, case: Case, assets: QuerySet[Asset], via: str, fmt: str
) -> Export:
    """The export of ``assets`` (of ``case``, as the caller may see them), audited."""
    rows = list(export_queryset(assets.filter(case=case)))
    export = build(rows)
    audit_record(
        code=Code.ASSETS_EXPORTED,
        actor=actor,
        subject_type="case",
        subject_id=str(case.public_id),
        details={
            "case": case.reference,
            "format": fmt,
            "via": via,
            "assets": len(rows),
            "entities": len(export.entities),
        },
    )
    return export
