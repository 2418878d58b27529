"""The one list of languages, the fallback of an untranslated one, and local dates and numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client, override_settings
from django.utils import translation

from comity.core import formatting, languages
from comity.documents import calendars as document_calendars
from comity.documents import content
from comity.documents.forms import language_choices

NOV_28 = date(2026, 11, 28)


def test_the_settings_and_the_documents_read_the_one_list() -> None:
    assert [code for code, _name in settings.LANGUAGES] == ["en", "ru", "fa"]
    assert {"fa", "ps", "ur"} <= set(settings.LANGUAGES_BIDI)
    assert not {"kk", "ru", "en"} & set(settings.LANGUAGES_BIDI)
    assert content.DOCUMENT_LANGUAGES == ("en", "ru", "fa")
    assert frozenset({"fa"}) == content.RTL_LANGUAGES
    assert [code for code, _name in language_choices([])] == ["en", "ru", "fa"]


def test_every_hook_language_is_known_with_its_direction_and_calendar() -> None:
    hooks = languages.interface_languages(include_incomplete=True)
    assert [language.code for language in hooks] == [
        "en", "ru", "fa", "ps", "ur", "kk", "ky", "tg", "tk", "uz",
    ]  # fmt: skip
    assert languages.get("ps").rtl and languages.get("ur").rtl and not languages.get("kk").rtl
    assert languages.get("ps").solar_hijri and languages.get("fa").solar_hijri
    assert not languages.get("ur").solar_hijri
    assert not any(language.ui_complete for language in hooks[3:])


@pytest.mark.parametrize(
    ("code", "expected"), [("fa-IR", "fa"), ("ru_RU", "ru"), ("xx", "en"), (None, "en")]
)
def test_a_code_finds_its_language_or_english(code: str | None, expected: str) -> None:
    assert languages.get(code).code == expected


def test_the_switcher_offers_only_complete_languages(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert 'value="fa" lang="fa" dir="rtl"' in html and ">فارسی</button>" in html
    assert ">Русский</button>" in html
    assert 'value="ps"' not in html


@pytest.mark.django_db
def test_an_untranslated_language_shows_english_right_to_left(client: Client) -> None:
    with override_settings(LANGUAGES=languages.django_languages(include_incomplete=True)):
        client.post("/i18n/setlang/", {"language": "ps", "next": "/accounts/login/"})
        response = client.get("/accounts/login/")
        html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "ps"
    assert '<html lang="ps" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    assert "Sign in" in html  # English text: there is no Pashto translation yet
    assert ">پښتو</button>" in html


def _in(code: str, text: str, **values: object) -> str:
    with translation.override(code):
        return Template("{% load comity_l10n %}" + text).render(Context(values))


def test_dates_are_written_in_the_readers_language_and_calendar() -> None:
    assert _in("en", "{{ d|local_date }}", d=NOV_28) == "Nov. 28, 2026"
    assert _in("ru", "{{ d|local_date }}", d=NOV_28) == "28 ноября 2026 г."
    assert _in("fa", "{{ d|local_date }}", d=NOV_28) == "۲۸ نوامبر ۲۰۲۶ (۷ آذر ۱۴۰۵)"
    short = _in("fa", '{{ d|local_date:"SHORT_DATE_FORMAT" }}', d=NOV_28)
    assert short == "۲۰۲۶/۱۱/۲۸ (۱۴۰۵/۹/۷)"
    # Pashto has no translation: English dates, with the Solar Hijri date beside them.
    assert _in("ps", "{{ d|local_date }}", d=NOV_28) == "Nov. 28, 2026 (Azar 7, 1405 AP)"
    assert _in("fa", "{{ d|local_date }}", d=None) == ""


def test_numbers_are_grouped_and_written_in_the_readers_digits() -> None:
    number = Decimal("1234.5")
    assert _in("en", "{{ n|local_number:1 }}", n=number) == "1,234.5"
    assert _in("ru", "{{ n|local_number:1 }}", n=number) == "1\xa0234,5"
    assert _in("fa", "{{ n|local_number:1 }}", n=number) == "۱٬۲۳۴٫۵"
    assert _in("fa", "{{ n|local_digits }}", n=12) == "۱۲"
    assert formatting.native_digits("KAZ-2026", "ru") == "KAZ-2026"


def test_a_reference_is_isolated_inside_translated_text() -> None:
    html = _in("fa", "{{ r|isolate }}", r="KAZ-2026-000001 <b>")
    assert html == '<bdi class="comity-ref">KAZ-2026-000001 &lt;b&gt;</bdi>'


def test_the_documents_calendar_module_still_answers() -> None:
    assert document_calendars.solar_hijri_date(NOV_28, "fa") == "۷ آذر ۱۴۰۵"
    assert document_calendars.uses_solar_hijri("afg")
