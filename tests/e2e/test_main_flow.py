"""The main flow in a real browser: an MLA request from Kazakhstan to Kyrgyzstan and back.

kaz.officer drafts and submits; kgz.officer acknowledges and asks for more information;
kaz.officer answers; kgz.officer executes; kaz.officer sees "Executed" and the whole timeline;
the dashboard renders right to left in Persian. axe-core checks every page on the way.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from comity.cooperation.models import Request, TimelineEvent
from tests.e2e.conftest import assert_accessible, sign_in, sign_out
from tests.personas import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _draft_and_submit(page: Page, base: str) -> str:
    page.get_by_role("link", name="New request").first.click()
    expect(page.locator("h1")).to_contain_text("request", ignore_case=True)
    assert_accessible(page)
    page.locator("#id_type").select_option("mla")
    # The type re-renders its parts on the server: let that land before filling them in
    # (a slow answer would replace what was typed meanwhile).
    expect(page.locator(".htmx-request")).to_have_count(0)
    page.locator("#id_requested_state").select_option("KGZ")
    page.locator("#id_title").fill("Bank records of a trafficking network")
    page.locator("#id_proceedings_reference").fill("KZ-2026-0142")
    page.locator("#id_conducting_authority").fill("Investigation Department, Almaty")
    page.locator("#id_summary_of_facts").fill("Heroin moved through Osh between 2024 and 2026.")
    page.locator("#id_purpose").fill("To trace the proceeds.")
    page.locator("#id_offences-0-iccs").select_option("0601")
    page.locator("#id_offences-0-provision").fill("Art. 297 Criminal Code")
    page.locator("#id_assistance_sought-0-measure").select_option("bank_records")
    page.locator("#id_assistance_sought-0-details").fill("Accounts at Bank X, 2024-2026")
    page.locator("#id_persons-0-role").select_option("suspect")
    page.locator("#id_persons-0-name").fill("Нурлан Ахметов")
    page.locator("#id_persons-0-birth_date").fill("1984-03-02")
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft", exact=True).last.click()
    expect(page.locator("#request-status")).to_have_text("Draft")
    assert_accessible(page)
    request_url = page.url
    # Submitting asks for a confirmation first.
    page.locator("#action-submit summary").click()
    page.locator("#action-submit").get_by_role("checkbox").check()
    with page.expect_navigation():
        page.locator("#action-submit").get_by_role("button", name="Submit").click()
    expect(page.locator("#request-status")).to_have_text("Submitted")
    return request_url


def _act(page: Page, action: str, *, reason: str = "", confirm: bool = False) -> None:
    panel = page.locator(f"#action-{action}")
    if panel.count():
        panel.locator("summary").click()
        if reason:
            panel.get_by_role("textbox").fill(reason)
        if confirm:
            panel.get_by_role("checkbox").check()
        button = panel.get_by_role("button").last
    else:
        button = page.locator(f'form:has(input[name="action"][value="{action}"]) button')
    with page.expect_navigation():
        button.click()


def test_an_mla_request_travels_from_kazakhstan_to_kyrgyzstan_and_back(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, base, "kaz.officer", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    assert_accessible(page)
    request_url = _draft_and_submit(page, base)
    sign_out(page)

    sign_in(page, base, "kgz.officer", PASSWORD)
    page.goto(f"{base}/requests/?box=incoming")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^KAZ-\d{4}-\d{6}$")).first.click()
    assert page.url == request_url
    _act(page, "acknowledge")
    expect(page.locator("#request-status")).to_have_text("Acknowledged")
    _act(page, "request_info", reason="Which branch of Bank X holds the accounts?")
    expect(page.locator("#request-status")).to_have_text("Additional information requested")
    assert_accessible(page)
    sign_out(page)

    sign_in(page, base, "kaz.officer", PASSWORD)
    page.goto(request_url)
    expect(page.locator("#timeline")).to_contain_text("Which branch of Bank X")
    _act(page, "provide_info", reason="The Osh main branch, accounts opened in 2024.")
    expect(page.locator("#request-status")).to_have_text("In execution")
    sign_out(page)

    sign_in(page, base, "kgz.officer", PASSWORD)
    page.goto(request_url)
    _act(page, "execute", confirm=True)
    expect(page.locator("#request-status")).to_have_text("Executed")
    sign_out(page)

    sign_in(page, base, "kaz.officer", PASSWORD)
    page.goto(request_url)
    expect(page.locator("#request-status")).to_have_text("Executed")
    timeline = page.locator("#timeline")
    for text in (
        "Submit",
        "Acknowledge",
        "Which branch of Bank X",
        "The Osh main branch",
        "Mark executed",
    ):
        expect(timeline).to_contain_text(text)
    assert_accessible(page)

    public_id = re.search(r"/requests/([0-9a-f-]{36})/", request_url)
    assert public_id is not None
    request = Request.objects.get(public_id=public_id.group(1))
    actions = list(
        TimelineEvent.objects.filter(request=request, kind="transition").values_list(
            "action", flat=True
        )
    )
    assert actions == ["submit", "acknowledge", "request_info", "provide_info", "execute"]

    # The same dashboard, right to left in Persian.
    page.goto(f"{base}/")
    with page.expect_navigation():
        page.get_by_role("button", name="فارسی").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    assert page.locator('link[href*="bootstrap.rtl"]').count() == 1
    assert_accessible(page)
