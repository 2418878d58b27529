"""Finding authorities and contact points by names typed in Cyrillic, Latin or Perso-Arabic."""

from __future__ import annotations

import pytest
from django.db.models import QuerySet
from pytest_django import DjangoAssertNumQueries

from comity.directory.models import Authority, ContactPoint
from comity.directory.search import (
    refresh_search_text,
    search_authorities,
    search_contacts,
    search_key,
)

pytestmark = pytest.mark.django_db


def _keys(authorities: QuerySet[Authority]) -> set[str]:
    return set(authorities.values_list("key", flat=True))


def test_search_key_holds_the_folded_original_and_its_latin_form() -> None:
    key = search_key("Генеральная прокуратура", "Қазақстан", "Prosecutor's Office")
    tokens = key.split()
    assert {"генеральная", "generalnaa", "қазақстан", "qazaqstan", "prosecutors"} <= set(tokens)
    assert key.startswith(" ")
    assert key.endswith(" ")


def test_search_key_unifies_arabic_and_persian_letters() -> None:
    assert search_key("قوه قضائيه") == search_key("قوه قضاییه")


def test_russian_name_finds_kyrgyzstans_central_authority(reference: None) -> None:
    assert "kgz-gpo" in _keys(search_authorities("Генеральная прокуратура Кыргыз"))
    assert "kaz-gpo" not in _keys(search_authorities("Генеральная прокуратура Кыргыз"))


def test_older_russian_state_name_in_another_case_finds_it(reference: None) -> None:
    found = _keys(search_authorities("прокуратура Киргизии"))
    assert "kgz-gpo" in found
    assert not any(key.startswith("kaz") for key in found)


def test_english_words_find_it(reference: None) -> None:
    assert "kgz-gpo" in _keys(search_authorities("General Prosecutor Kyrgyz"))


def test_cyrillic_kyrgyz_meets_the_english_spelling(reference: None) -> None:
    found = _keys(search_authorities("Кыргыз", state="KGZ"))
    assert found == set(Authority.objects.filter(state__iso3="KGZ").values_list("key", flat=True))


def test_kazakh_and_persian_state_names_find_kazakhstan(reference: None) -> None:
    for query in ("Қазақстан", "Казахстан", "قزاقستان"):
        found = _keys(search_authorities(query))
        assert "kaz-gpo" in found, query
        assert all(key.startswith("kaz") for key in found), query


def test_persian_query_finds_irans_judiciary(reference: None) -> None:
    assert "irn-jdia" in _keys(search_authorities("قوه قضاییه"))
    # Typed with the Arabic keyboard's letters.
    assert "irn-jdia" in _keys(search_authorities("قوه قضائيه"))


def test_persian_word_for_prosecution_finds_prosecutors_of_every_state(reference: None) -> None:
    found = _keys(search_authorities("دادستانی"))
    assert {"kgz-gpo", "kaz-gpo", "rus-pgo"} <= found
    assert "kgz-sfismf" not in found


def test_latin_transliteration_finds_a_name_written_in_cyrillic(reference: None) -> None:
    authority = Authority.objects.get(key="rus-mj")
    contact = ContactPoint.objects.create(authority=authority, name="Пётр Иванов")
    refresh_search_text(contact)
    assert contact in search_contacts("Ivanov")
    assert contact in search_contacts("иванов")
    assert contact not in search_contacts("Petrov")


def test_contacts_found_by_latin_form_of_a_kyrgyz_name(reference: None) -> None:
    names = set(search_contacts("Aibek").values_list("name", flat=True))
    assert names == {"Айбек Осмонов"}
    assert set(search_contacts("Осмонов").values_list("name", flat=True)) == {"Айбек Осмонов"}


def test_contacts_found_by_persian_script_name(reference: None) -> None:
    assert set(search_contacts("رضایی").values_list("name_latin", flat=True)) == {"Mahdi Rezaei"}


def test_contacts_filtered_by_state_measure_and_language(reference: None) -> None:
    speakers = search_contacts(language="fa")
    assert speakers.exists()
    assert all("fa" in c.languages for c in speakers)
    bank = search_contacts(measure="bank_records", state="kgz")
    assert [c.name_latin for c in bank] == ["Nurgul Abdykadyrova"]
    assert not search_contacts(measure="bank_records", state="KGZ", language="en").exists()


def test_language_filter_matches_whole_codes_only(reference: None) -> None:
    # "u" is in "ru" and "uz"; the quoted match must not take it for a code.
    assert not search_authorities(language="u").exists()
    russian = _keys(search_authorities(language="ru"))
    assert {"kaz-gpo", "kgz-gpo", "rus-pgo"} <= russian
    assert "aus-agsdiccc" not in russian


def test_measure_filter_uses_roles_and_channels(reference: None) -> None:
    extradition = _keys(search_authorities(measure="extradition", state="KGZ"))
    assert extradition == {"kgz-gpo"}
    arrest = _keys(search_authorities(measure="provisional_arrest", state="KGZ"))
    assert arrest == {"kgz-gpo", "kgz-miaincb"}
    records = _keys(search_authorities(measure="criminal_record", state="TKM"))
    assert records == {"tkm-mia"}


def test_inactive_contacts_are_not_found(reference: None) -> None:
    contact = ContactPoint.objects.get(name_latin="Aibek Osmonov")
    ContactPoint.objects.filter(pk=contact.pk).update(is_active=False)
    assert not search_contacts("Aibek").exists()


def test_search_runs_in_one_query(
    reference: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        rows = list(search_contacts("прокурор", language="ru"))
        for contact in rows:
            assert contact.authority.state.iso3
    with django_assert_num_queries(1):
        for authority in search_authorities("Кыргыз", measure="bank_records"):
            assert authority.state.name_en
