"""Adding a person in a real browser: the error summary names the field and takes the keyboard to it, and a
valid form creates the person with their first membership."""

from __future__ import annotations

from pathlib import Path

from fagnett.networks.demo import DEMO_SLUG
from fagnett.networks.models import Membership, Person
from tests.browser.conftest import Browser
from tests.browser.helpers import demo, log_in

BASE = f"/n/{DEMO_SLUG}"


def test_a_duplicate_e_mail_is_named_in_the_error_summary_and_the_person_is_added_after_correction(
    browser: Browser, tmp_path: Path
) -> None:
    login = demo(tmp_path)
    log_in(browser, login.email, login.password)
    taken = Person.objects.filter(network__slug=DEMO_SLUG).exclude(email=login.email).first()
    assert taken is not None
    before = Person.objects.count()

    page = browser.goto(f"{BASE}/personer/ny/")
    page.get_by_label("Fornavn").fill("Nora")
    page.get_by_label("Etternavn").fill("Nilsen")
    page.get_by_label("E-postadresse", exact=False).first.fill(taken.email.upper())
    page.get_by_label("Startdato").fill("2025-02-01")
    page.get_by_role("button", name="Lagre").press("Enter")
    page.wait_for_load_state("load")
    browser.check()
    summary = page.locator(".ds-error-summary")
    assert summary.is_visible()
    link = summary.get_by_role("link")
    assert "e-postadresse" in link.first.inner_text().lower()
    link.first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == "email"
    assert Person.objects.count() == before

    page.keyboard.press("Control+A")
    page.keyboard.type("nora.nilsen@demo.fagnett.no")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre").press("Enter")
    browser.check()
    nora = Person.objects.get(network__slug=DEMO_SLUG, email="nora.nilsen@demo.fagnett.no")
    # The browser keeps the fragment of the summary link (#id_email) through the redirect.
    assert page.url.split("#")[0].endswith(f"{BASE}/personer/{nora.pk}/")
    assert Membership.objects.get(person=nora).role.code == "ressursperson"
    assert page.get_by_role("heading", level=1).inner_text() == "Nora Nilsen"
