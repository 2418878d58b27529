"""Every language Comity knows, in one list.

The settings (``LANGUAGES``, ``LANGUAGES_BIDI``), the language switcher, the right-to-left
switch of the pages, the languages documents can be written in, and the language names of
the directory all read from here. To add a language, see docs/i18n.md.

A language is one of three kinds:

- **complete**: its interface is translated (``ui_complete``); the switcher offers it;
- **hook**: the interface is not translated yet. The language is known (name, direction,
  locale, calendar), pages can run in it when the node allows it
  (``COMITY_INCOMPLETE_LANGUAGES``), and then show English text in its direction;
- **reference only**: a language authorities may accept requests in (the directory), with
  no interface at all (``ui`` is false).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

RTL = "rtl"
LTR = "ltr"

# Calendars, as ICU names them.
GREGORIAN = "gregorian"
SOLAR_HIJRI = "persian"

# The language the interface falls back to, where a translation is missing.
FALLBACK = "en"


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, as Django and the directory use it
    name: Promise  # in English, translated for the reader
    native: str  # in the language itself (the switcher shows this)
    direction: str = LTR
    ui: bool = True  # an interface language (complete or hook)
    ui_complete: bool = False  # the interface is translated
    locale: str = ""  # ICU locale for dates and numbers
    calendar: str = GREGORIAN  # the calendar shown beside the Gregorian one (or Gregorian)
    documents: bool = False  # request documents can be written in it

    @property
    def rtl(self) -> bool:
        return self.direction == RTL

    @property
    def solar_hijri(self) -> bool:
        return self.calendar == SOLAR_HIJRI


ALL: tuple[Language, ...] = (
    Language("en", _("English"), "English", ui_complete=True, locale="en_GB", documents=True),
    Language("ru", _("Russian"), "Русский", ui_complete=True, locale="ru_RU", documents=True),
    # Persian as written in Iran (Farsi) and Afghanistan (Dari): one interface.
    Language(
        "fa",
        _("Persian"),
        "فارسی",
        direction=RTL,
        ui_complete=True,
        locale="fa_IR",
        calendar=SOLAR_HIJRI,
        documents=True,
    ),
    # Afghanistan's official calendar is the Solar Hijri one, in Pashto as in Dari.
    Language("ps", _("Pashto"), "پښتو", direction=RTL, locale="ps_AF", calendar=SOLAR_HIJRI),
    Language("ur", _("Urdu"), "اردو", direction=RTL, locale="ur_PK"),
    Language("kk", _("Kazakh"), "Қазақ тілі", locale="kk_KZ"),
    Language("ky", _("Kyrgyz"), "Кыргызча", locale="ky_KG"),
    Language("tg", _("Tajik"), "Тоҷикӣ", locale="tg_TJ"),
    Language("tk", _("Turkmen"), "Türkmençe", locale="tk_TM"),
    Language("uz", _("Uzbek"), "Oʻzbekcha", locale="uz_UZ"),
    # Languages an authority may accept requests in; no interface.
    Language("ar", _("Arabic"), "العربية", direction=RTL, ui=False, locale="ar"),
    Language("zh", _("Chinese"), "中文", ui=False, locale="zh"),
    Language("fr", _("French"), "Français", ui=False, locale="fr_FR"),
    Language("de", _("German"), "Deutsch", ui=False, locale="de_DE"),
    Language("es", _("Spanish"), "Español", ui=False, locale="es_ES"),
)

BY_CODE: dict[str, Language] = {language.code: language for language in ALL}


def get(code: str | None) -> Language:
    """The language of a code such as ``fa``, ``fa-ir`` or ``ru_RU``; English if unknown."""
    base = (code or FALLBACK).replace("_", "-").split("-")[0].lower()
    return BY_CODE.get(base, BY_CODE[FALLBACK])


def known(code: str | None) -> bool:
    return (code or "").replace("_", "-").split("-")[0].lower() in BY_CODE


def interface_languages(*, include_incomplete: bool = False) -> list[Language]:
    """The languages the interface runs in: the complete ones, and the hooks if asked."""
    return [
        language for language in ALL if language.ui and (language.ui_complete or include_incomplete)
    ]


def django_languages(*, include_incomplete: bool = False) -> list[tuple[str, Promise]]:
    """Django's ``LANGUAGES`` setting."""
    return [
        (language.code, language.name)
        for language in interface_languages(include_incomplete=include_incomplete)
    ]


def bidi_codes() -> list[str]:
    """Django's ``LANGUAGES_BIDI``: every right-to-left language known, offered or not."""
    return [language.code for language in ALL if language.rtl]


def document_languages() -> tuple[str, ...]:
    """The languages request documents are written in (their fixed texts exist in each)."""
    return tuple(language.code for language in ALL if language.documents)


def rtl_codes(codes: Iterable[str] | None = None) -> frozenset[str]:
    """The right-to-left ones among ``codes`` (default: all known)."""
    chosen = BY_CODE.values() if codes is None else [get(code) for code in codes]
    return frozenset(language.code for language in chosen if language.rtl)


def names() -> dict[str, Promise]:
    """Every known code with its English name (translated when shown)."""
    return {language.code: language.name for language in ALL}
