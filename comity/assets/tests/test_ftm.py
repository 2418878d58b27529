"""The FollowTheMoney export: valid for the library, linked, and only what the user sees."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse
from followthemoney import model

from comity.accounts.models import User
from comity.assets import ftm, services
from comity.assets.models import Asset, HoldingRole, Party
from comity.assets.tests.world import World, account_data, state
from comity.assets.views.export import case_ftm
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.cooperation.models import Case

pytestmark = pytest.mark.django_db

BACKEND = "comity.accounts.backends.UserBackend"


def _party(kind: str, name: str, **extra: Any) -> services.PartyData:
    return services.PartyData(kind=kind, name=name, **extra)


def _holders(world: World) -> dict[str, Party]:
    """A nominee fronting for a beneficial owner, and a company as registered owner."""
    officer = world.personas.requesting_officer
    nominee = services.holder_add(
        user=officer,
        asset=world.account,
        role=HoldingRole.NOMINEE,
        new_party=_party("person", "Aibek Nominee", birth_date="1985-03", state=state("KGZ")),
        share="100",
    ).party
    owner = services.holder_add(
        user=officer,
        asset=world.account,
        role=HoldingRole.BENEFICIAL_OWNER,
        new_party=_party("person", "Serik Beneficiary", birth_date="1970", state=state("KAZ")),
    ).party
    company = services.holder_add(
        user=officer,
        asset=world.account,
        role=HoldingRole.SIGNATORY,
        new_party=_party(
            "company", "Steppe Trading LLP", registration_number="123456789012", state=state("KAZ")
        ),
    ).party
    return {"nominee": nominee, "owner": owner, "company": company}


def _more_assets(world: World, parties: dict[str, Party]) -> dict[str, Asset]:
    officer = world.personas.requesting_officer
    made: dict[str, Asset] = {}
    for name, kind, identifier, where, extra in [
        ("iban", "bank_account", "KZ86 125K ZT50 0410 0100", "KAZ", {}),
        ("vessel", "vessel", "9074729", "IRN", {"institution": "Bandar Abbas"}),
        ("shares", "company_shares", "US0378331005", "KAZ", {"institution": "Issuer JSC"}),
        ("wallet", "crypto", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "KGZ", {}),
        ("car", "vehicle", "WVWZZZ1JZXW000001", "KAZ", {}),
        ("flat", "real_estate", "21:320:012:345", "KAZ", {"address": "Almaty, Abai 10"}),
        ("plane", "aircraft", "UP-A1234", "KAZ", {}),
        ("cash", "cash", "", "KGZ", {"description": "Cash in a safe, seal 44"}),
    ]:
        made[name] = services.asset_create(
            user=officer,
            case=world.case,
            data=account_data(
                kind=kind, identifier=identifier, location_state=state(where), **extra
            ),
        )
    services.holder_add(
        user=officer, asset=made["wallet"], role=HoldingRole.OWNER, party=parties["owner"]
    )
    services.holder_add(
        user=officer, asset=made["flat"], role=HoldingRole.FRONT, party=parties["nominee"]
    )
    services.holder_add(
        user=officer,
        asset=made["flat"],
        role=HoldingRole.BENEFICIAL_OWNER,
        party=parties["owner"],
        share=Decimal("50"),
    )
    return made


def _export(case: Case) -> list[dict[str, Any]]:
    return ftm.build(ftm.export_queryset(Asset.objects.filter(case=case))).dicts()


def _by_schema(entities: list[dict[str, Any]], schema: str) -> list[dict[str, Any]]:
    return [e for e in entities if e["schema"] == schema]


def test_the_export_of_the_world_is_valid_and_linked(world: World) -> None:
    parties = _holders(world)
    _more_assets(world, parties)
    entities = _export(world.case)
    ids = {e["id"] for e in entities}
    assert len(ids) == len(entities)
    for data in entities:
        proxy = model.get_proxy(data, cleaned=False)  # re-cleaned by the library
        assert proxy.to_dict()["properties"] == data["properties"], data
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in ids, (data["schema"], prop.name)
    assert ftm.validate([model.get_proxy(e) for e in entities]) == []
    schemas = {e["schema"] for e in entities}
    assert {
        "Person",
        "Company",
        "BankAccount",
        "Vessel",
        "Security",
        "CryptoWallet",
        "Vehicle",
        "RealEstate",
        "Airplane",
        "Asset",
        "Ownership",
        "Representation",
        "UnknownLink",
    } <= schemas


def test_a_nominee_and_the_beneficial_owner_are_explicit(world: World) -> None:
    parties = _holders(world)
    entities = _export(world.case)
    people = {e["properties"]["name"][0]: e for e in _by_schema(entities, "Person")}
    nominee, owner = people["Aibek Nominee"], people["Serik Beneficiary"]
    assert nominee["properties"]["nationality"] == ["kg"]
    assert nominee["properties"]["birthDate"] == ["1985-03"]
    account = _by_schema(entities, "BankAccount")[0]
    assert account["properties"]["accountNumber"] == ["1240020000123456"]
    assert account["properties"]["country"] == ["kg"]
    assert account["properties"]["currency"] == ["USD"]
    roles = {
        (o["properties"]["owner"][0], o["properties"]["role"][0]): o
        for o in _by_schema(entities, "Ownership")
    }
    assert roles[(nominee["id"], "nominee")]["properties"]["asset"] == [account["id"]]
    assert roles[(nominee["id"], "nominee")]["properties"]["percentage"] == ["100"]
    assert roles[(owner["id"], "beneficial owner")]["properties"]["ownershipType"] == ["beneficial"]
    acting = _by_schema(entities, "Representation")
    assert [(r["properties"]["agent"], r["properties"]["client"]) for r in acting] == [
        ([nominee["id"]], [owner["id"]])
    ]
    company = _by_schema(entities, "Company")[0]
    assert company["properties"]["jurisdiction"] == ["kz"]
    assert company["properties"]["registrationNumber"] == ["123456789012"]
    signatory = _by_schema(entities, "UnknownLink")[0]
    assert signatory["properties"]["subject"] == [company["id"]]
    assert signatory["properties"]["role"] == ["signatory"]
    assert parties["owner"].case_id == world.case.pk


def test_kind_specific_identifiers_land_in_their_properties(world: World) -> None:
    parties = _holders(world)
    made = _more_assets(world, parties)
    entities = {e["id"]: e for e in _export(world.case)}
    by_asset = {
        name: next(
            e
            for e in entities.values()
            if e["id"] == ftm.asset_entities(asset)[0].id  # the stable id
        )
        for name, asset in made.items()
    }
    assert by_asset["iban"]["properties"]["iban"] == ["KZ86125KZT5004100100"]
    # The library writes IMO numbers without the space.
    assert by_asset["vessel"]["properties"]["imoNumber"] == ["IMO9074729"]
    assert by_asset["vessel"]["properties"]["country"] == ["ir"]
    assert by_asset["shares"]["properties"]["isin"] == ["US0378331005"]
    issuer = entities[by_asset["shares"]["properties"]["issuer"][0]]
    assert issuer["properties"]["name"] == ["Issuer JSC"]
    wallet = by_asset["wallet"]["properties"]
    assert wallet["publicKey"] == ["1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"]
    owner = next(
        e for e in entities.values() if e["properties"].get("name") == ["Serik Beneficiary"]
    )
    assert wallet["holder"] == [owner["id"]]
    assert by_asset["car"]["properties"]["registrationNumber"] == ["WVWZZZ1JZXW000001"]
    assert by_asset["flat"]["properties"]["cadastralCode"] == ["21:320:012:345"]
    assert by_asset["plane"]["properties"]["registrationNumber"] == ["UP-A1234"]
    assert by_asset["cash"]["properties"]["name"] == ["Cash in a safe, seal 44"]
    assert by_asset["cash"]["properties"]["amount"] == ["125000.0000"]
    # The front acts for the beneficial owner of the flat too.
    flats = [
        e
        for e in entities.values()
        if e["schema"] == "Representation"
        and e["properties"]["description"] == by_asset["flat"]["properties"]["name"]
    ]
    assert len(flats) == 1 and flats[0]["properties"]["role"] == ["front"]


def test_ids_are_stable_across_exports(world: World) -> None:
    _holders(world)
    first = [e["id"] for e in _export(world.case)]
    second = [e["id"] for e in _export(world.case)]
    assert first == second
    assert ftm.asset_entities(world.account)[0].id == first[3]


def test_validate_reports_a_dangling_link_and_a_missing_name(world: World) -> None:
    link = model.make_entity("Ownership")
    link.make_id("x")
    link.add("owner", "nobody")
    link.add("asset", "nothing")
    vessel = model.make_entity("Vessel")
    vessel.make_id("y")
    problems = ftm.validate([link, vessel])
    assert any("owner points to nobody" in p for p in problems)
    assert any("required name missing" in p for p in problems)


def _get(user: User, case: Case, query: str = "") -> Any:
    request = RequestFactory().get(f"/assets/cases/{case.public_id}/ftm.json{query}")
    request.user = user
    return case_ftm(request, case.public_id)


def test_the_download_is_json_lines_and_audited(world: World) -> None:
    _holders(world)
    response = _get(world.personas.requesting_officer, world.case)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    lines = [json.loads(line) for line in response.content.decode().splitlines()]
    assert {e["schema"] for e in lines} >= {"Person", "BankAccount", "Ownership"}
    event = AuditEvent.objects.filter(code=Code.ASSETS_EXPORTED).latest("id")
    assert event.subject_id == str(world.case.public_id)
    assert event.details["entities"] == len(lines)
    whole = json.loads(_get(world.personas.requesting_officer, world.case, "?format=json").content)
    assert [e["id"] for e in whole["entities"]] == [e["id"] for e in lines]


def test_a_foreign_case_is_not_exportable(world: World) -> None:
    with pytest.raises(Http404):
        _get(world.personas.outsider, world.case)
    with pytest.raises(Http404):
        _get(world.personas.requesting_officer, world.other_asset.case)


def test_the_requested_side_exports_only_the_assets_it_sees(world: World) -> None:
    hidden = services.asset_create(
        user=world.personas.requesting_officer,
        case=world.case,
        data=account_data(identifier="KZ86125KZT5004100100", location_state=state("KAZ")),
    )
    response = _get(world.personas.requested_officer, world.case)
    ids = {json.loads(line)["id"] for line in response.content.decode().splitlines()}
    assert ftm.asset_entities(world.account)[0].id in ids
    assert ftm.asset_entities(hidden)[0].id not in ids


def test_the_download_url_needs_a_login_and_hides_foreign_cases(world: World) -> None:
    url = reverse("assets:case_ftm", kwargs={"id": world.case.public_id})
    assert Client().get(url).status_code == 302
    own = Client()
    own.force_login(world.personas.requesting_officer, backend=BACKEND)
    response = own.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    outsider = Client()
    outsider.force_login(world.personas.outsider, backend=BACKEND)
    assert outsider.get(url).status_code == 404
    assert own.post(url).status_code == 405
