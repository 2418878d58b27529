"""Finding authorities and contact points by a name typed in any script.

Every entry keeps a `search_text`: its names, its state's names and a few words for its role,
each folded (see comity.core.text.fold) and also transliterated to plain Latin, as a list of
tokens between spaces. A query word matches when one of its spellings (folded, Latin, with a
Russian inflection trimmed) occurs in that text; every word of the query must match. Cyrillic
"Кыргыз" thus meets the English "Kyrgyz" through its Latin form, and "прокуратуры Киргизии"
meets "Генеральная прокуратура" and the older state name "Киргизия".

Filters on JSON lists (languages, measures, tags) look for the quoted value in the JSON text,
which works the same on SQLite and PostgreSQL (JSON containment does not exist on SQLite).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

import icu
from django.db.models import Q, QuerySet

from comity.core.text import fold
from comity.directory.models import Authority, ContactPoint

if TYPE_CHECKING:
    from django.db.models import Model

# Letters of Tajik, Kazakh and Kyrgyz Cyrillic that ICU leaves alone or renders with marks.
_CYRILLIC_EXTRA = str.maketrans({"ҷ": "j", "ҳ": "h", "қ": "q", "ә": "a", "ғ": "g", "ң": "n"})
# Spellings of one Perso-Arabic word that differ by a hamza seat, a madda or a short-vowel
# mark ("قضائیه" and "قضاییه"); the marks and the tatweel go.
_ARABIC_SCRIPT = str.maketrans(
    {"ئ": "ی", "أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "و", "ة": "ه", "ـ": None}
    | {chr(c): None for c in range(0x064B, 0x0653)}
)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_NON_LATIN_WORD = re.compile(r"[^a-z0-9]+")
# One Russian inflection is trimmed from a query word, so that "прокуратуры" finds
# "прокуратура". Longest first; "-ов/-ев/-ин" stay, they end surnames, not cases.
_RUSSIAN_ENDINGS = (
    "ского", "скому", "ской", "ских", "ская", "ские", "ский", "ское", "скую",
    "ого", "его", "ому", "ему", "ыми", "ими", "ией", "иях", "ями", "ами",
    "ия", "ии", "ие", "ий", "ой", "ый", "ая", "яя", "ое", "ее", "ую", "юю", "ом", "ем",
    "ам", "ям", "ах", "ях", "ы", "и", "а", "я", "о", "е", "у", "ю", "ь", "й",
)  # fmt: skip
_MIN_STEM = 4
_MAX_QUERY_WORDS = 8

# Names a practitioner may type that the state table does not hold: older or local forms.
STATE_ALIASES: dict[str, tuple[str, ...]] = {
    "KGZ": ("Киргизия", "Кыргызстан", "Kirghizia", "Kyrgyzstan", "قرقیزستان"),
    "KAZ": ("Казахстан", "Қазақстан", "Qazaqstan", "قزاقستان"),
    "TJK": ("Таджикистан", "Тоҷикистон", "Tojikiston", "تاجیکستان"),
    "TKM": ("Туркмения", "Туркменистан", "Türkmenistan", "ترکمنستان"),
    "UZB": ("Узбекистан", "Oʻzbekiston", "Ўзбекистон", "ازبکستان"),
    "AFG": ("Афганистан", "افغانستان"),
    "IRN": ("Иран", "Persia", "ایران"),
    "PAK": ("Пакистан", "پاکستان"),
    "RUS": ("Россия", "Russia", "روسیه"),
    "USA": ("США", "United States", "America", "آمریکا"),
    "AUS": ("Австралия", "استرالیا"),
}

# Words for a role, in the network's languages, so that "دادستانی" or "прокуратура" finds
# every prosecutor's office whatever language its own name is in.
TAG_TERMS: dict[str, tuple[str, ...]] = {
    "prosecutor_general": ("prosecutor general", "прокуратура", "دادستانی کل", "څارنوالي"),
    "prosecution_service": ("prosecution", "прокуратура", "دادستانی"),
    "central_authority_mla": ("central authority", "legal assistance", "центральный орган",
                              "правовая помощь", "مرجع مرکزی", "معاضدت قضایی"),
    "central_authority_extradition": ("extradition", "экстрадиция", "выдача", "استرداد"),
    "supreme_court": ("supreme court", "верховный суд", "دیوان عالی"),
    "ministry_of_justice": ("justice", "министерство юстиции", "وزارت دادگستری", "وزارت عدلیه"),
    "ministry_of_interior": ("interior", "министерство внутренних дел", "وزارت کشور"),
    "ministry_of_foreign_affairs": ("foreign affairs", "министерство иностранных дел",
                                    "وزارت امور خارجه"),
    "interpol_ncb": ("interpol", "интерпол", "اینترپل", "پلیس بین الملل"),
    "fiu": ("financial intelligence", "финансовая разведка", "финансовый мониторинг",
            "اطلاعات مالی"),
    "asset_recovery_office": ("asset recovery", "возврат активов", "بازگردانی دارایی"),
    "criminal_records": ("criminal records", "судимость", "سوء پیشینه"),
    "investigative_authority": ("investigation", "следствие", "تحقیق"),
    "anti_corruption": ("anti-corruption", "коррупция", "مبارزه با فساد"),
    "de_facto": ("de facto",),
}  # fmt: skip

LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("English", "английский", "انگلیسی"),
    "ru": ("Russian", "русский", "روسی"),
    "fa": ("Persian", "Farsi", "Dari", "персидский", "فارسی", "دری"),
    "ps": ("Pashto", "пушту", "پښتو", "پشتو"),
    "ur": ("Urdu", "урду", "اردو"),
    "kk": ("Kazakh", "казахский", "қазақ", "قزاقی"),
    "ky": ("Kyrgyz", "киргизский", "кыргызский", "кыргыз", "قرقیزی"),
    "tg": ("Tajik", "таджикский", "тоҷикӣ", "تاجیکی"),
    "tk": ("Turkmen", "туркменский", "türkmen", "ترکمنی"),
    "uz": ("Uzbek", "узбекский", "oʻzbek", "ازبکی"),
}

# A fiche or request measure, and the roles of the authorities that deal with it.
MEASURE_TAGS: dict[str, tuple[str, ...]] = {
    "extradition": ("central_authority_extradition",),
    "provisional_arrest": ("central_authority_extradition", "interpol_ncb"),
    "arrest": ("central_authority_extradition", "interpol_ncb"),
    "bank_records": ("central_authority_mla", "fiu"),
    "freeze_assets": ("central_authority_mla", "asset_recovery_office"),
    "freezing": ("central_authority_mla", "asset_recovery_office"),
    "confiscate_assets": ("central_authority_mla", "asset_recovery_office"),
    "confiscation": ("central_authority_mla", "asset_recovery_office"),
    "criminal_record": ("criminal_records",),
    "records_extract": ("criminal_records",),
}
# Any other measure is mutual legal assistance, handled by the MLA central authorities.
_MLA_TAGS = ("central_authority_mla",)


# Building the transliterator takes milliseconds, so it is built once per thread (ICU does
# not promise that one instance may be used by several threads at a time).
_per_thread = threading.local()


def _latin() -> icu.Transliterator:
    latin: icu.Transliterator | None = getattr(_per_thread, "latin", None)
    if latin is None:
        latin = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")
        _per_thread.latin = latin
    return latin


def _to_latin(word: str) -> str:
    return _NON_LATIN_WORD.sub("", _latin().transliterate(word.translate(_CYRILLIC_EXTRA)))


def _words(text: str) -> list[str]:
    # Apostrophes join ("Prosecutor's" -> "prosecutors", "Oʻzbekiston" -> "ozbekiston").
    folded = fold(text).translate(_ARABIC_SCRIPT)
    folded = folded.replace("'", "").replace("ʻ", "").replace("’", "")
    return [w for w in _NON_WORD.split(folded) if w]


def search_key(*texts: str) -> str:
    """The tokens of the texts, folded and in Latin, unique, between spaces (" a b c ")."""
    tokens: dict[str, None] = {}
    for text in texts:
        for word in _words(text):
            tokens[word] = None
            latin = _to_latin(word)
            if latin:
                tokens[latin] = None
    return " " + " ".join(tokens) + " " if tokens else ""


def _stem(word: str) -> str:
    if not re.search(r"[а-яё]", word):
        return word
    for ending in _RUSSIAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


def query_terms(q: str) -> list[set[str]]:
    """For each word of the query, the spellings any of which must occur in search_text."""
    terms: list[set[str]] = []
    for word in _words(q)[:_MAX_QUERY_WORDS]:
        stem = _stem(word)
        spellings = {stem, _to_latin(stem)} - {""}
        if spellings:
            terms.append(spellings)
    return terms


def _text_filter(q: str) -> Q:
    condition = Q()
    for spellings in query_terms(q):
        any_spelling = Q()
        for spelling in spellings:
            any_spelling |= Q(search_text__contains=spelling)
        condition &= any_spelling
    return condition


def _json_has(field: str, values: Iterable[str]) -> Q:
    """The JSON list in `field` holds one of the values (portable: a match in the JSON text)."""
    condition = Q()
    for value in values:
        condition |= Q(**{f"{field}__icontains": f'"{value}"'})
    return condition


def _state_words(state_iso3: str, names: Iterable[str]) -> list[str]:
    return [state_iso3, *names, *STATE_ALIASES.get(state_iso3, ())]


def authority_search_text(authority: Authority) -> str:
    state = authority.state
    tag_words = [
        w for tag in authority.tags for w in (tag.replace("_", " "), *TAG_TERMS.get(tag, ()))
    ]
    language_words = [
        w for code in authority.accepted_languages for w in (code, *LANGUAGE_NAMES.get(code, ()))
    ]
    return search_key(
        authority.name_en,
        authority.name_ru,
        authority.name_local,
        authority.key,
        *_state_words(state.iso3, (state.name_en, state.name_ru, state.name_fa)),
        authority.kind.replace("_", " "),
        *tag_words,
        *language_words,
    )


def contact_search_text(contact: ContactPoint) -> str:
    authority = contact.authority
    state = authority.state
    return search_key(
        contact.name,
        contact.name_latin,
        contact.name_cyrillic,
        contact.role,
        authority.name_en,
        authority.name_ru,
        authority.name_local,
        *_state_words(state.iso3, (state.name_en, state.name_ru, state.name_fa)),
        *(w for code in contact.languages for w in (code, *LANGUAGE_NAMES.get(code, ()))),
    )


def refresh_search_text(obj: Model) -> str:
    """Recompute an authority's or contact's search_text; store it if the row exists.

    Stored by an UPDATE of that column alone, so no history record is written for it.
    """
    if isinstance(obj, Authority):
        text = authority_search_text(obj)
    elif isinstance(obj, ContactPoint):
        text = contact_search_text(obj)
    else:
        raise TypeError(type(obj).__name__)
    obj.search_text = text
    if obj.pk is not None:
        type(obj)._default_manager.filter(pk=obj.pk).update(search_text=text)
    return text


def search_authorities(
    q: str = "",
    state: str | None = None,
    measure: str | None = None,
    language: str | None = None,
) -> QuerySet[Authority]:
    """Authorities whose names match every word of q, narrowed by state, measure, language."""
    authorities = Authority.objects.select_related("state").filter(_text_filter(q))
    if state:
        authorities = authorities.filter(state__iso3=state.upper())
    if measure:
        tags = MEASURE_TAGS.get(measure, _MLA_TAGS)
        authorities = authorities.filter(
            _json_has("tags", tags) | Q(channels__icontains=f'"{measure}"')
        )
    if language:
        authorities = authorities.filter(_json_has("accepted_languages", [language.lower()]))
    return authorities


def search_contacts(
    q: str = "",
    state: str | None = None,
    measure: str | None = None,
    language: str | None = None,
) -> QuerySet[ContactPoint]:
    """Active contact points matching every word of q, narrowed by state, measure, language."""
    contacts = ContactPoint.objects.select_related("authority__state").filter(
        _text_filter(q), is_active=True
    )
    if state:
        contacts = contacts.filter(authority__state__iso3=state.upper())
    if measure:
        contacts = contacts.filter(_json_has("measures", [measure]))
    if language:
        contacts = contacts.filter(_json_has("languages", [language.lower()]))
    return contacts
