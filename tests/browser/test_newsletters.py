"""Newsletters and the public page in a real browser: the demo coordinator writes a newsletter with a live
preview, sends a test to herself, sends it to the network and follows the progress page; an anonymous visitor
reads the public network page and the newsletter in its archive on a phone. Every page is checked with
axe-core."""

from __future__ import annotations

from pathlib import Path

from django.core import mail

from fagnett.networks.demo import DEMO_SLUG
from fagnett.newsletters.models import Delivery, DeliveryStatus, Newsletter, NewsletterStatus
from tests.browser.conftest import Browser
from tests.browser.helpers import demo, log_in
from tests.browser.test_activities import fits


def test_the_coordinator_composes_tests_and_sends_a_newsletter_and_follows_its_progress(
    browser: Browser, tmp_path: Path
) -> None:
    login = demo(tmp_path)
    log_in(browser, login.email, login.password)
    page = browser.goto(f"/n/{DEMO_SLUG}/nyhetsbrev/ny/")
    page.locator("#id_subject").fill("Nyhetsbrev våren 2025")
    page.locator("#id_body").fill("## Velkommen\n\nVi ses på **nettverkssamlingen** i mars.")
    # The preview follows the text (htmx) and shows the rendered Markdown.
    preview = page.locator("main strong", has_text="nettverkssamlingen")
    preview.wait_for()
    browser.check()
    page.get_by_role("button", name="Lagre utkast").click()
    page.wait_for_url(f"**/n/{DEMO_SLUG}/nyhetsbrev/*/")
    browser.check()
    newsletter = Newsletter.objects.get(subject="Nyhetsbrev våren 2025")

    mail.outbox.clear()
    page.get_by_role("button", name=f"Send en test til meg ({login.email})").click()
    page.wait_for_load_state("load")
    browser.check()
    assert [message.to for message in mail.outbox] == [[login.email]]

    page.get_by_role("link", name="Send nyhetsbrevet").click()
    page.wait_for_url(f"**/nyhetsbrev/{newsletter.pk}/send/")
    browser.check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/nyhetsbrev/{newsletter.pk}/status/**")
    browser.check()
    newsletter.refresh_from_db()
    # The test settings send in the request (immediate task backend): every member got exactly one copy.
    assert newsletter.status == NewsletterStatus.SENT
    deliveries = Delivery.objects.filter(newsletter=newsletter)
    assert deliveries.exists()
    assert set(deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    addresses = [address for message in mail.outbox[1:] for address in message.to]
    assert sorted(addresses) == sorted(deliveries.values_list("email", flat=True))
    assert page.locator("progress").first.is_visible()


def test_an_anonymous_visitor_reads_the_public_page_and_the_newsletter_archive_on_a_phone(
    phone: Browser, tmp_path: Path
) -> None:
    login = demo(tmp_path)
    newsletter = Newsletter.objects.create(
        network=login.network,
        subject="Nyhetsbrev høsten 2024",
        body="Takk for en fin fagdag.",
        status=NewsletterStatus.SENT,
        sent_html="<p>Takk for en fin fagdag.</p>",
        sent_text="Takk for en fin fagdag.",
    )
    page = phone.goto(f"/nettverk/{DEMO_SLUG}/")
    assert fits(phone)
    assert login.network.name in page.get_by_role("heading", level=1).inner_text()
    assert "nettverk@demo.fagnett.no" in page.locator("main").inner_text()
    page.get_by_role("link", name="Nyhetsbrev høsten 2024").click()
    page.wait_for_url(f"**/nettverk/{DEMO_SLUG}/nyhetsbrev/{newsletter.pk}/")
    phone.check()
    assert fits(phone)
    assert "Takk for en fin fagdag." in page.locator("article").inner_text()
