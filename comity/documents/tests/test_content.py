"""What a document says: fixed texts per language, typed facts and their translation status,
dates, and the canonical content its printed hash covers."""

from __future__ import annotations

from datetime import date

import pytest

from comity.cooperation.models import Request
from comity.directory.models import Authority
from comity.documents import content, services
from comity.documents.content import Document, Section, Text
from comity.documents.models import TranslationStatus
from comity.documents.tests.conftest import PERSIAN_NAME
from tests.builders import draft
from tests.personas import Personas

DAY = date(2026, 11, 28)


def _build(request: Request, languages: list[str], *, code: str = "ABCDEFGHJK") -> Document:
    layout = "bilingual" if len(languages) == 2 else "single"
    return content.build(
        content.load(request),
        languages=languages,
        layout=layout,
        number=1,
        verification_code=code,
        generated_on=DAY,
        check_url="https://comity.example/documents/verify/",
    )


def _section(document: Document, key: str, page: int = 0) -> Section:
    return next(s for s in document.pages[page].sections if s.key == key)


def _paragraph(document: Document, key: str, page: int = 0) -> Text:
    value = _section(document, key, page).items[0].value
    assert value is not None
    return value


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Between 2024 and 2026 the suspects moved heroin.", "en"),
        ("Подозреваемые перевозили героин через Ош.", "ru"),
        ("متهمان هروئین را از طریق اوش جابه‌جا کردند.", "fa"),
        ("Ст. 297 УК РК", "ru"),
        ("2024-2026", ""),
    ],
)
def test_it_tells_the_language_of_typed_text_by_its_script(text: str, language: str) -> None:
    assert content.guess_language(text) == language


def test_the_default_language_comes_from_the_directory_else_english() -> None:
    assert content.default_languages(Authority(accepted_languages=["ps", "fa"])) == ["fa"]
    assert content.default_languages(Authority(accepted_languages=["ky", "ru"])) == ["ru"]
    assert content.default_languages(Authority(accepted_languages=["tk"])) == ["en"]
    assert content.default_languages(Authority(accepted_languages=[])) == ["en"]


def test_fixed_texts_are_in_the_page_language(personas: Personas, iran_draft: Request) -> None:
    document = _build(iran_draft, ["ru", "fa"])
    russian, persian = document.pages
    assert russian.document_title.endswith("Взаимная правовая помощь")
    assert persian.document_title.endswith("معاضدت حقوقی متقابل")
    assert (
        _section(document, "summary_of_facts", 0).heading == "Изложение фактических обстоятельств"
    )
    assert _section(document, "summary_of_facts", 1).heading == "خلاصهٔ وقایع"
    assert persian.rtl and not russian.rtl


def test_typed_facts_are_marked_where_they_need_a_translation(
    personas: Personas, iran_draft: Request
) -> None:
    document = _build(iran_draft, ["en", "fa"])
    in_english = _paragraph(document, "summary_of_facts", 0)
    in_persian = _paragraph(document, "summary_of_facts", 1)
    assert in_english.status == "" and in_english.lang == "en"
    assert in_persian.status == TranslationStatus.NEEDED
    assert in_persian.text == in_english.text  # shown as typed
    assert in_persian.lang == "en"  # and laid out as the English it is


def test_a_recorded_translation_is_shown_with_its_status(
    personas: Personas, iran_draft: Request
) -> None:
    persian = "متهمان هروئین را از طریق اوش جابه‌جا کردند."
    services.fact_translation_save(
        actor=personas.requesting_officer,
        request=iran_draft,
        field="summary_of_facts",
        language="fa",
        text=persian,
        status=TranslationStatus.DONE,
    )
    shown = _paragraph(_build(iran_draft, ["fa"]), "summary_of_facts")
    assert shown == Text(persian, "fa", TranslationStatus.DONE)
    assert shown.rtl


def test_names_are_shown_as_typed_without_a_marker(personas: Personas, iran_draft: Request) -> None:
    persons = _section(_build(iran_draft, ["ru"]), "persons").items[0]
    name = persons.rows[0][1]
    assert name == Text(PERSIAN_NAME, "fa")


def test_dates_carry_the_solar_hijri_date_for_iran(personas: Personas, iran_draft: Request) -> None:
    particulars = _section(_build(iran_draft, ["en"]), "particulars")
    dated = {item.label: item.value for item in particulars.items}
    date_text = dated["Date"]
    assert date_text is not None
    assert date_text.text == "November 28, 2026 (Azar 7, 1405 AP)"
    to_kyrgyzstan = draft(personas.requesting_officer)
    particulars = _section(_build(to_kyrgyzstan, ["en"]), "particulars")
    plain = {item.label: item.value for item in particulars.items}["Date"]
    assert plain is not None and plain.text == "November 28, 2026"


def test_the_legal_basis_names_the_instruments_and_their_articles(personas: Personas) -> None:
    request = draft(
        personas.requesting_officer,
        legal_basis_codes=["UNTOC"],
        legal_basis="UNTOC art. 18 and the Minsk Convention.",
    )
    items = _section(_build(request, ["en"]), "legal_basis").items
    instrument = items[0]
    assert instrument.value is not None
    assert "Transnational Organized Crime" in instrument.value.text
    assert "18(15)" in instrument.value.text
    assert items[1].value is not None and items[1].value.text.startswith("UNTOC art. 18")


def test_the_content_hash_is_stable_and_covers_what_is_printed(
    personas: Personas, iran_draft: Request
) -> None:
    first = _build(iran_draft, ["fa"])
    again = _build(iran_draft, ["fa"])
    assert first.content_sha256 == again.content_sha256
    assert len(first.content_sha256) == 64
    assert _build(iran_draft, ["en"]).content_sha256 != first.content_sha256
    assert _build(iran_draft, ["fa"], code="ZZZZZZZZZZ").content_sha256 != first.content_sha256


def test_every_typed_text_has_a_name_the_translations_use(
    personas: Personas, iran_draft: Request
) -> None:
    names = [fact.name for fact in content.typed_facts(content.load(iran_draft))]
    assert names[:4] == ["title", "conducting_authority", "summary_of_facts", "purpose"]
    assert "offences.0.description" in names
    assert "assistance_sought.0.details" in names
    assert "persons.0.details" in names


def test_the_page_counter_becomes_css_with_persian_digits() -> None:
    css = content.css_page_counter("صفحه %(page)s از %(pages)s", "persian")
    assert css == '"صفحه " counter(page, persian) " از " counter(pages, persian)'
