"""Every page in Persian, in a real browser: right to left, translated, accessible.

An anonymous visitor switches to Persian on the sign-in page; kaz.officer signs in and
visits every page an officer reaches (dashboard, lists, a request, the form of each request
type, the directory, the legal-basis finder and instruments, the documents pages, the
consultation, notifications, the account pages); the network coordinator opens the review
of directory changes. The admin is left out: it is Django's own.

Each page must: say lang="fa" and dir="rtl"; not scroll sideways; show no English words in
its headings, buttons and menu (names, references and codes excepted, see ALLOWED); pass
axe-core's WCAG 2.1 AA rules; and set its main heading against the right edge. A screenshot
of each page is kept in the test's temporary folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from comity.consultation.services import consultation_open
from comity.cooperation.models import Request
from tests.builders import draft, submitted
from tests.e2e.conftest import axe_violations, sign_out
from tests.personas import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Latin words that may stand in a Persian heading or button: names, codes, formats.
ALLOWED = frozenset(
    {"Comity", "PDF", "DOCX", "CSV", "vCard", "ICCS", "UNTOC", "UN", "CIS", "SHA", "ISO"}
)

# What the heading, button and menu texts of a page are, without the parts that are not
# interface text: names, references and typed text carry their own language or direction.
_INTERFACE_TEXTS = """() => {
    const skip = 'bdi, code, kbd, .comity-ref, .visually-hidden, [dir=ltr], [dir=auto], '
        + '[lang]:not([lang=fa]), option';
    const picked = document.querySelectorAll(
        'main h1, main h2, main h3, main button, main .btn, main label, main th, nav a, '
        + 'nav button');
    const texts = [];
    for (const element of picked) {
        if (element.closest(skip) || element.offsetParent === null) continue;
        const copy = element.cloneNode(true);
        copy.querySelectorAll(skip).forEach((node) => node.remove());
        const text = copy.textContent.replace(/\\s+/g, ' ').trim();
        if (text) texts.push(text);
    }
    return texts;
}"""

# How far the main heading's text sits from the right and left edges of the box it is laid
# out in (its parent's content box: the page, a column, a card).
_HEADING_GAP = """() => {
    const heading = document.querySelector('main h1');
    if (!heading) return null;
    const range = document.createRange();
    range.selectNodeContents(heading);
    const text = range.getBoundingClientRect();
    const parent = heading.parentElement;
    const box = parent.getBoundingClientRect();
    const style = getComputedStyle(parent);
    return {right: box.right - parseFloat(style.paddingRight) - text.right,
            left: text.left - box.left - parseFloat(style.paddingLeft)};
}"""

_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*")


@pytest.fixture
def shots(tmp_path: Path) -> Iterator[Path]:
    with override_settings(COMITY_ATTACHMENT_DIR=tmp_path / "files"):
        folder = tmp_path / "screenshots"
        folder.mkdir()
        yield folder


def _english_words(page: Page) -> list[str]:
    texts: list[str] = page.evaluate(_INTERFACE_TEXTS)
    return [
        f"{word!r} in {text!r}"
        for text in texts
        for word in _LATIN_WORD.findall(text)
        if len(word) > 2 and word not in ALLOWED
    ]


def problems_of(page: Page, name: str, shots: Path, *, accessible: bool = True) -> list[str]:
    """What is wrong with a Persian page, by the checks every page must pass (none: []).
    The screenshot is saved as ``name``.png."""
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    found: list[str] = []
    html = page.locator("html")
    if (html.get_attribute("lang"), html.get_attribute("dir")) != ("fa", "rtl"):
        found.append(f"lang={html.get_attribute('lang')} dir={html.get_attribute('dir')}")
    if page.evaluate("getComputedStyle(document.body).direction") != "rtl":
        found.append("the body is not laid out right to left")
    wide, seen = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if wide > seen + 1:
        found.append(f"the page scrolls sideways ({wide} > {seen})")
    found += [f"English text: {words}" for words in _english_words(page)]
    gap = page.evaluate(_HEADING_GAP)
    if gap is None:
        found.append("no main heading")
    elif not gap["right"] < 4 < gap["left"]:
        found.append(f"the main heading is not set against the right edge: {gap}")
    if accessible:
        violations = axe_violations(page)
        found += [f"axe: {v['id']} {v['help']} {v['nodes']}" for v in violations]
    return [f"{name}: {problem}" for problem in found]


def _sign_in_in_persian(page: Page, base: str, shots: Path, problems: list[str]) -> None:
    page.goto(f"{base}/accounts/login/")
    with page.expect_navigation():
        page.get_by_role("button", name="فارسی").click()
    problems.extend(problems_of(page, "login", shots))
    page.locator("input[name=username]").fill("kaz.officer")
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/")


def _data(personas: Personas) -> dict[str, Request]:
    officer = personas.requesting_officer
    to_iran = draft(officer, requested_state="IRN", title="درخواست معاضدت به ایران")
    shared = draft(officer, title="درخواست برای مشورت")
    consultation_open(actor=officer, request=shared, message="لطفاً بررسی کنید.")
    return {
        "submitted": submitted(officer, title="درخواست ارسال‌شده"),
        "draft": to_iran,
        "shared": shared,
    }


REQUEST_TYPES = (
    "mla",
    "extradition",
    "provisional_arrest",
    "freezing",
    "seizure",
    "confiscation",
    "records_extract",
)


def test_every_page_runs_right_to_left_in_persian(
    page: Page, live_server: object, personas: Personas, shots: Path
) -> None:
    base = str(live_server)
    data = _data(personas)
    problems: list[str] = []
    _sign_in_in_persian(page, base, shots, problems)

    pages = {
        "dashboard": "/",
        "requests": "/requests/",
        "requests-incoming": "/requests/?box=incoming",
        "request": f"/requests/{data['submitted'].public_id}/",
        "draft": f"/requests/{data['draft'].public_id}/",
        "draft-edit": f"/requests/{data['draft'].public_id}/edit/",
        "directory": "/directory/",
        "directory-state": "/directory/states/KGZ/",
        "directory-authority": "/directory/authorities/kgz-gpo/",
        "directory-propose": "/directory/authorities/kaz-gpo/propose/",
        "legal-basis": "/legal-basis/",
        "legal-basis-answer": "/legal-basis/?from=KAZ&to=KGZ&measure=extradition&offence=0601",
        "instruments": "/legal-basis/instruments/",
        "instrument": "/legal-basis/instruments/UNTOC/",
        "documents": f"/documents/requests/{data['draft'].public_id}/",
        "translations": f"/documents/requests/{data['draft'].public_id}/translations/",
        "verify": "/documents/verify/",
        "consultations": "/consultation/",
        "consultation-new": f"/consultation/new/{data['draft'].public_id}/",
        "notifications": "/notifications/",
        "two-factor-setup": "/accounts/two-factor/setup/",
    }
    for name, path in pages.items():
        page.goto(base + path)
        problems += problems_of(page, name, shots)

    page.goto(f"{base}/consultation/")
    page.locator("main table a").first.click()
    problems += problems_of(page, "consultation", shots)

    page.goto(f"{base}/requests/new/")
    for kind in REQUEST_TYPES:
        page.locator("#id_type").select_option(kind)
        # The types share one form; axe runs on the first, the layout checks on all.
        problems += problems_of(page, f"new-{kind}", shots, accessible=kind == "mla")

    sign_out(page)
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("button", name="فارسی").click()
    page.locator("input[name=username]").fill(personas.coordinator.username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto(f"{base}/directory/review/")
    problems += problems_of(page, "directory-review", shots)
    assert not problems, "\n".join(problems)
    assert len(list(shots.glob("*.png"))) == len(pages) + len(REQUEST_TYPES) + 3
