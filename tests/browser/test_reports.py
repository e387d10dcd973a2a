"""The annual report in a real browser: the demo coordinator writes a narrative beside the computed facts (it
saves itself and counts the words), publishes the 2024 report as public, and an anonymous visitor reads it on
the network's public page on a phone. Every page is checked with axe-core."""

from __future__ import annotations

from pathlib import Path

from fagnett.accounts.models import User
from fagnett.networks.demo import DEMO_SLUG
from fagnett.reports.facts import annual_facts
from fagnett.reports.models import AnnualReport, Narrative, ReportStatus
from fagnett.reports.services import get_or_create_report, publish
from tests.browser.conftest import Browser
from tests.browser.helpers import demo, log_in
from tests.browser.test_activities import fits

TEXT = "Nettverket fikk ny styringsgruppe i mars."


def test_the_coordinator_writes_the_report_and_publishes_it(browser: Browser, tmp_path: Path) -> None:
    login = demo(tmp_path)
    log_in(browser, login.email, login.password)
    page = browser.goto(f"/n/{DEMO_SLUG}/")
    page.get_by_role("link", name="Årsrapporter").click()
    page.wait_for_url(f"**/n/{DEMO_SLUG}/arsrapport/")
    browser.check()

    page = browser.goto(f"/n/{DEMO_SLUG}/arsrapport/2024/rediger/")
    # The computed facts stand beside the text: the members at year end, as the facts count them.
    facts = annual_facts(login.network, 2024)
    assert f"{facts['members']['at_year_end']}" in page.locator("main").inner_text()
    field = page.get_by_role("textbox", name="Organisatorisk utvikling og forankring")
    field.fill(TEXT)
    page.get_by_text("6 ord").wait_for()  # the word count follows the autosave
    page.get_by_role("status").filter(has_text="Lagret").first.wait_for()
    assert Narrative.objects.get(report__year=2024, section="organisation_development").text == TEXT
    browser.check()

    page = browser.goto(f"/n/{DEMO_SLUG}/arsrapport/2024/publiser/")
    page.get_by_label("Vis rapporten på nettverkets offentlige side").check()
    page.get_by_role("button", name="Ja, publiser").click()
    page.wait_for_url(f"**/n/{DEMO_SLUG}/arsrapport/2024/")
    browser.check()
    report = AnnualReport.objects.get(network__slug=DEMO_SLUG, year=2024)
    assert (report.status, report.public) == (ReportStatus.PUBLISHED, True)
    assert report.snapshot is not None
    assert report.snapshot["narratives"]["organisation_development"] == TEXT
    assert TEXT in page.locator("main").inner_text()


def test_an_anonymous_visitor_reads_the_published_report_on_a_phone(phone: Browser, tmp_path: Path) -> None:
    login = demo(tmp_path)
    coordinator = User.objects.get(email=login.email)
    report = get_or_create_report(login.network, 2024, actor=coordinator)
    publish(report, actor=coordinator, public=True)
    page = phone.goto(f"/nettverk/{DEMO_SLUG}/")
    page.get_by_role("link", name="2024").first.click()
    page.wait_for_url(f"**/nettverk/{DEMO_SLUG}/arsrapport/2024/")
    phone.check()
    assert fits(phone)
    assert "2024" in page.get_by_role("heading", level=1).inner_text()
