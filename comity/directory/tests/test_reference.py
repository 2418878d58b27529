"""The shipped directory files load completely, and loading them again changes nothing."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from comity.core.models import ReferenceDataset
from comity.directory.models import (
    Authority,
    Availability,
    ContactPoint,
    FicheMeasure,
    MeasureFiche,
    State,
)
from comity.directory.services import REFERENCE_DIR, reference_load

pytestmark = pytest.mark.django_db

REQUIRED_FICHE_MEASURES = {
    "bank_records",
    "freeze_assets",
    "video_hearing",
    "service_of_documents",
    "provisional_arrest",
    "extradition",
}


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _history_rows() -> int:
    counts: list[int] = [
        Authority.history.count(),
        MeasureFiche.history.count(),
        ContactPoint.history.count(),
    ]
    return sum(counts)


def test_every_sourced_authority_is_loaded_with_its_entry_fields(reference: None) -> None:
    rows = _rows("authorities.csv")
    assert len(rows) == 58
    assert Authority.objects.filter(key__in=[r["key"] for r in rows]).count() == 58
    kaz = Authority.objects.get(key="kaz-gpo")
    assert kaz.accepted_languages == ["kk", "ru"]
    assert kaz.dual_criminality == "reciprocity"
    assert "569" in kaz.dual_criminality_note
    assert kaz.time_zone == "Asia/Almaty"
    assert kaz.name_ru == "Генеральная прокуратура Республики Казахстан"
    assert kaz.channels[0]["channel"] == "central_authority"
    assert "559" in kaz.channels[0]["note"]
    assert kaz.last_verified == date(2026, 11, 28)  # high confidence: the compile date


def test_demo_values_are_listed_as_unsourced(reference: None) -> None:
    kgz = Authority.objects.get(key="kgz-gpo")
    assert kgz.office_hours
    assert {"office_hours", "urgent_contact", "name_local"} <= set(kgz.unsourced_fields)
    assert "[" not in kgz.name_local  # the marker became an unsourced field
    # Rows below high confidence are shown as never verified.
    assert Authority.objects.get(key="tjk-gpo").last_verified is None


def test_no_demo_phone_or_email_was_invented_on_authorities(reference: None) -> None:
    original = {r["key"]: r for r in _rows("authorities.csv")}
    for authority in Authority.objects.filter(key__in=original):
        assert "example" not in authority.email
        assert authority.phone == original[authority.key]["phone"]


def test_afghan_pre_2021_authority_is_marked_historical(reference: None) -> None:
    assert "historical" in Authority.objects.get(key="afg-ago").tags
    assert "de_facto" in Authority.objects.get(key="afg-dfdspdo").tags


def test_every_member_state_has_the_required_fiches(reference: None) -> None:
    for state in State.objects.filter(is_member=True):
        measures = set(state.fiches.values_list("measure", flat=True))
        assert measures >= REQUIRED_FICHE_MEASURES, state.iso3
        assert measures <= set(FicheMeasure.values)


def test_bank_secrecy_fiche_cites_the_conventions(reference: None) -> None:
    fiche = MeasureFiche.objects.get(state__iso3="KGZ", measure="bank_records")
    assert fiche.availability == Availability.CONDITIONAL
    assert "46(8)" in fiche.source
    assert not fiche.is_demo
    iran = MeasureFiche.objects.get(state__iso3="IRN", measure="bank_records")
    assert "UNTOC" not in iran.source  # Iran signed UNTOC but is not a party


def test_unknown_video_hearing_is_demo_guidance_with_an_alternative(reference: None) -> None:
    fiche = MeasureFiche.objects.get(state__iso3="KAZ", measure="video_hearing")
    assert fiche.availability == Availability.UNKNOWN
    assert fiche.is_demo
    assert "written questions" in fiche.alternative


def test_contacts_are_demo_people_with_example_addresses(reference: None) -> None:
    contacts = list(ContactPoint.objects.select_related("authority__state"))
    assert contacts
    assert all(c.is_demo and c.email.endswith(".example.org") for c in contacts)
    members = set(State.objects.filter(is_member=True).values_list("iso3", flat=True))
    assert {c.authority.state.iso3 for c in contacts} == members


def test_search_text_is_filled(reference: None) -> None:
    assert not Authority.objects.filter(search_text="").exists()
    assert not ContactPoint.objects.filter(search_text="").exists()


def test_loading_twice_writes_no_history_and_keeps_counts(reference: None) -> None:
    first = reference_load()
    history = _history_rows()
    second = reference_load()
    assert second == first
    assert _history_rows() == history
    assert first.fiches == len(_rows("fiches.csv"))
    assert first.contacts == len(_rows("contacts.csv"))


def test_datasets_record_their_version(reference: None) -> None:
    names = set(ReferenceDataset.objects.values_list("name", flat=True))
    assert {"states", "authorities", "fiches", "contacts", "iccs"} <= names


def test_a_change_in_the_file_is_applied_with_one_history_record(reference: None) -> None:
    authority = Authority.objects.get(key="kgz-gpo")
    Authority.objects.filter(pk=authority.pk).update(office_hours="changed")
    before = authority.history.count()
    reference_load()
    authority.refresh_from_db()
    assert authority.office_hours != "changed"
    assert authority.history.count() == before + 1
