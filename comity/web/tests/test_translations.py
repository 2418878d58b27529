"""The interface in Russian and Persian: pages, service errors and complete catalogues."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from comity.accounts.tokens import token_create
from tests.builders import submitted
from tests.personas import Personas

ZWNJ = "\u200c"
LANGUAGES = ("ru", "fa")
NPLURALS = {"ru": 3, "fa": 2}
PLURAL_FORMS = {
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "fa": "nplurals=2; plural=(n > 1);",
}
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
_TAG = re.compile(r"<[^>]+>")


def _html(client: Client, path: str, language: str) -> str:
    response = client.get(path, headers={"accept-language": language})
    assert response.status_code == 200
    assert response["Content-Language"] == language
    return response.content.decode()


@pytest.fixture
def incoming(client: Client, personas: Personas) -> Client:
    """The Kyrgyz officer, signed in, with one mutual-legal-assistance request waiting."""
    submitted(personas.requesting_officer)
    client.force_login(personas.requested_officer)
    return client


def test_the_dashboard_in_russian_shows_russian_navigation_cards_and_statuses(
    incoming: Client,
) -> None:
    html = _html(incoming, "/", "ru")
    assert '<html lang="ru" dir="ltr">' in html
    for text in [
        "Рабочий стол",  # navigation
        ">Запросы<",
        "Уведомления",
        "Выйти",
        "Входящие, в работе",  # counter cards
        "Ожидают нашего подтверждения получения",
        "Последние входящие запросы",
        "Направлен",  # the status of the waiting request
        "Сотрудничество по уголовным делам",  # footer
    ]:
        assert text in html, text
    assert "Dashboard" not in html
    assert "Latest incoming requests" not in html


def test_the_request_list_in_russian_names_types_statuses_and_filters_in_russian(
    incoming: Client,
) -> None:
    html = _html(incoming, "/requests/?box=incoming", "ru")
    for text in [
        "Взаимная правовая помощь",  # the request type, from the glossary
        "Направлен",
        "Запрашивающее государство",  # the column heading of the incoming box
        "Любой статус",
        "Отказано в исполнении",  # one of the statuses offered in the filter
        "Входящие",
        "Срок ответа",
    ]:
        assert text in html, text
    assert ">Submitted<" not in html


def test_the_dashboard_in_persian_is_right_to_left_and_in_persian(incoming: Client) -> None:
    html = _html(incoming, "/", "fa")
    assert '<html lang="fa" dir="rtl">' in html
    for text in [
        "پیشخوان",  # Dashboard
        f"درخواست{ZWNJ}ها",  # Requests, with the zero-width non-joiner
        f"اعلان{ZWNJ}ها",  # Notifications
        "وارده، باز",  # Incoming, open
        f"ارسال{ZWNJ}شده",  # the status Submitted
        "همکاری در امور کیفری",  # footer
    ]:
        assert text in html, text
    assert "Dashboard" not in html


def test_the_request_list_in_persian_is_right_to_left_and_uses_the_legal_terms(
    incoming: Client,
) -> None:
    html = _html(incoming, "/requests/?box=incoming", "fa")
    assert 'dir="rtl"' in html
    for text in [
        "معاضدت حقوقی متقابل",  # mutual legal assistance
        "استرداد مجرمان",  # extradition, offered in the type filter
        f"کشور درخواست{ZWNJ}کننده",  # requesting state, the column heading
        f"ارسال{ZWNJ}شده",
        "رد شد",  # Refused: never «مسترد شد»
        "وضعیت",
    ]:
        assert text in html, text
    assert "مسترد" not in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fa", "کشور ناشناخته «XXX»"),
        ("ru", "Неизвестное государство «XXX»"),
        ("en", "Unknown state “XXX”"),
    ],
)
def test_a_service_validation_error_comes_back_in_the_callers_language(
    client: Client, personas: Personas, language: str, expected: str
) -> None:
    _, raw = token_create(user=personas.requesting_officer, name="translations")
    response = client.post(
        "/api/v1/requests",
        data={"requested_state": "XXX", "title": "Bank records"},
        content_type="application/json",
        headers={"authorization": f"Bearer {raw}", "accept-language": language},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    [message] = error["fields"]["requested_state"]
    assert message.startswith(expected)
    assert error["message"] == message


# The catalogues ---------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file; enough of the format for the checks below."""
    entries: list[Entry] = []
    current = Entry()
    key: tuple[str, int] = ("", 0)
    started = False
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if started:
                entries.append(current)
            current, started = Entry(), False
            continue
        if line.startswith("#~"):
            current.obsolete = True
        elif line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        else:
            match = re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d)\])? (".*")', line)
            if match:
                name, index, text = match.group(1), int(match.group(2) or 0), match.group(3)
                key, started = (name, index), True
                _append(current, key, ast.literal_eval(text), reset=True)
            else:
                _append(current, key, ast.literal_eval(line), reset=False)
    return entries


def _append(entry: Entry, key: tuple[str, int], text: str, *, reset: bool) -> None:
    name, index = key
    if name == "msgid":
        entry.msgid = text if reset else entry.msgid + text
    elif name == "msgid_plural":
        entry.msgid_plural = text if reset else (entry.msgid_plural or "") + text
    elif name == "msgstr":
        entry.msgstr[index] = text if reset else entry.msgstr.get(index, "") + text


def _catalogue(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


def _header(entries: list[Entry]) -> dict[str, str]:
    assert entries and entries[0].msgid == ""
    lines = entries[0].msgstr[0].splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_has_a_proper_header(language: str) -> None:
    entries = _parse_po(_catalogue(language))
    header = _header(entries)
    assert header["Language"] == language
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Plural-Forms"] == PLURAL_FORMS[language]
    assert "fuzzy" not in entries[0].flags


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    entries = [e for e in _parse_po(_catalogue(language))[1:] if not e.obsolete]
    nplurals = NPLURALS[language]
    assert len(entries) > 400  # the whole interface, not a sample
    untranslated = [e.msgid for e in entries if not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    wrong_forms = [
        e.msgid for e in entries if e.msgid_plural is not None and len(e.msgstr) != nplurals
    ]
    assert untranslated == []
    assert fuzzy == []
    assert wrong_forms == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder_and_html_tag(language: str) -> None:
    problems = []
    for entry in _parse_po(_catalogue(language))[1:]:
        wanted = set(_PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in entry.msgstr.values():
            found = set(_PLACEHOLDER.findall(text))
            # A plural form may leave the number out ("one token"); nothing else may go.
            if found != wanted and not (entry.msgid_plural and found <= wanted):
                problems.append((entry.msgid, text))
            if _TAG.findall(text) != _TAG.findall(entry.msgid):
                problems.append((entry.msgid, text))
    assert problems == []


def test_persian_uses_persian_letters_not_arabic_ones() -> None:
    # Arabic yeh and kaf look alike but break search and sorting (ی and ک are Persian).
    text = _catalogue("fa").read_text(encoding="utf-8")
    assert "\u064a" not in text
    assert "\u0643" not in text
    assert ZWNJ in text
