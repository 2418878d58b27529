"""The criminal-records exchange in a real browser.

Kazakhstan's GPO asks Kyrgyzstan's register for an extract about "Rustam Mukhtarov", written
in Latin letters. Kyrgyzstan's records officer opens the request: the register proposes its
Cyrillic «Мухтаров Рустам Алиевич» first, with the reasons in front of the officer, and a
namesake after him; the officer confirms the identity with a note. The Kazakh officer reads
the extract in Russian. Then Kyrgyzstan's officer matches a conviction notice that arrived
from Kazakhstan. axe-core checks each page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from comity.accounts.models import Role
from comity.records import services
from comity.records.models import Answer, ExtractRequest, NoticeStatus
from comity.records.tests.world import build_world
from tests.e2e.conftest import assert_accessible, sign_in, sign_out
from tests.personas import PASSWORD, Personas, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_records_officer_answers_an_extract_and_matches_a_notice(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    world = build_world(
        personas, services.register_create(iso3="KGZ"), services.register_create(iso3="KAZ")
    )
    make_user("kgz.records", world.kgz.keeper.key, Role.OFFICER)

    sign_in(page, base, "kgz.records", PASSWORD)
    page.get_by_role("link", name="Criminal records").click()
    assert_accessible(page)
    page.get_by_role("link", name=world.extract.reference).click()
    candidates = page.locator("#candidates > li")
    expect(candidates.first).to_contain_text("Мухтаров Рустам Алиевич")
    expect(candidates.first).to_contain_text("surname")
    expect(page.locator("#candidates")).to_contain_text("Мухтаров Бакыт")
    assert_accessible(page)
    candidates.first.get_by_role("radio").check()
    page.get_by_label("How the identity was confirmed").fill(
        "Name, birth date and father's name agree; passport copy checked."
    )
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_role("status").first).to_be_visible()
    extract = ExtractRequest.objects.get(pk=world.extract.pk)
    assert extract.answer == Answer.EXTRACT
    assert extract.matched_person == world.mukhtarov

    # The conviction notice from Kazakhstan about a Kyrgyz national.
    page.goto(f"{base}/records/")
    page.get_by_role("link", name="Асанов Нурлан").first.click()
    assert_accessible(page)
    page.locator("#candidates > li").first.get_by_role("radio").check()
    page.get_by_role("button", name="This is the person").click()
    world.notice.refresh_from_db()
    assert world.notice.status == NoticeStatus.MATCHED
    assert world.notice.person == world.asanov
    sign_out(page)

    sign_in(page, base, "kaz.officer", PASSWORD)
    page.get_by_role("button", name="Русский").click()
    page.goto(f"{base}/records/extracts/{extract.public_id}/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("main")).to_contain_text("Мухтаров Рустам Алиевич")
    expect(page.locator("main")).not_to_contain_text("Мухтаров Бакыт")
    assert_accessible(page)
