from __future__ import annotations

from pathlib import Path

import pytest

from fagnett.networks.demo import DEMO_SLUG, load_demo
from tests.browser.conftest import Browser


@pytest.fixture
def demo_login(settings: object, tmp_path: Path) -> tuple[str, str]:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    login = load_demo()
    return login.email, login.password


def test_the_demo_coordinator_logs_in_and_reaches_the_network_dashboard(
    browser: Browser, demo_login: tuple[str, str]
) -> None:
    email, password = demo_login
    page = browser.goto("/")
    assert page.url.endswith("/konto/login/")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"**/n/{DEMO_SLUG}/")
    browser.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Oversikt"
    assert page.get_by_text("Regionalt nettverk i barnepalliasjon, Sør-Rogaland").first.is_visible()
    assert page.get_by_text("Aktive ressurspersoner").is_visible()


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(browser: Browser) -> None:
    page = browser.goto("/konto/login/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hopp til hovedinnholdet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("path", ["/tilgjengelighet/", "/personvern/"])
def test_the_statements_read_well_on_a_phone(phone: Browser, path: str) -> None:
    page = phone.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.title().endswith("– Fagnett")


def test_switching_to_english_by_keyboard(browser: Browser) -> None:
    page = browser.goto("/personvern/")
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Bytt språk").press("Enter")
    page.wait_for_load_state("load")
    browser.check()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Privacy"
