"""The overview across networks in a real browser: a site-wide reader reads the networks table and the
coverage map of Norway, zooms by keyboard and by mouse, reaches a municipality from the map, and reads the map
on a phone. Every page is checked with axe-core."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page

from fagnett.accounts.models import User
from fagnett.networks.demo import DEMO_SLUG
from fagnett.networks.models import ReaderScope, ReaderScopeKind
from tests.browser.conftest import Browser
from tests.browser.helpers import demo, log_in
from tests.browser.test_activities import fits

PASSWORD = "lese-hele-landet-1"


def site_reader() -> User:
    user = User.objects.create_user("helsedirektoratet@example.no", PASSWORD, name="Hilde Helsedirektorat")
    ReaderScope.objects.create(user=user, kind=ReaderScopeKind.SITE)
    return user


def viewbox(page: Page) -> str:
    return str(page.locator("svg.fn-map-svg, .fn-map svg").first.get_attribute("viewBox"))


def test_a_site_wide_reader_reads_the_overview_and_zooms_the_map_by_keyboard_and_mouse(
    browser: Browser, tmp_path: Path
) -> None:
    demo(tmp_path)
    reader = site_reader()
    log_in(browser, reader.email, PASSWORD)

    page = browser.goto("/oversikt/")
    assert page.get_by_role("link", name=re.compile("barnepalliasjon")).first.is_visible()
    # Sorting is a link on the column header, and the sorted column says so.
    page.locator("thead a").nth(1).click()
    page.wait_for_load_state("load")
    browser.check()
    assert page.locator("th[aria-sort]").count() == 1

    page = browser.goto("/oversikt/kart/")
    whole = viewbox(page)
    assert "© Kartverket" in page.locator("main").inner_text()
    # Zoom to Rogaland by keyboard only: the county select, then Enter on its button.
    page.get_by_label("Fylke").focus()
    page.get_by_label("Fylke").select_option(label="Rogaland")
    page.get_by_role("button", name="Vis fylket").press("Enter")
    page.wait_for_url("**/oversikt/kart/?fylke=11*")
    browser.check()
    assert viewbox(page) != whole
    # Every municipality on the map is a link reachable by Tab, with its numbers in its name.
    stavanger = page.locator(".fn-map a[aria-label^='Stavanger']").first
    stavanger.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Stavanger")
    page.keyboard.press("Enter")
    page.wait_for_url("**/oversikt/kommune/1103/")
    browser.check()
    assert "Stavanger" in page.get_by_role("heading", level=1).inner_text()

    # And by mouse, from the whole country.
    page = browser.goto("/oversikt/kart/")
    page.locator(".fn-map a[aria-label^='Sandnes']").first.click()
    page.wait_for_url("**/oversikt/kommune/1108/")
    browser.check()


def test_the_map_and_its_table_read_sensibly_on_a_phone(phone: Browser, tmp_path: Path) -> None:
    demo(tmp_path)
    reader = site_reader()
    log_in(phone, reader.email, PASSWORD)
    page = phone.goto(f"/oversikt/kart/?nettverk={DEMO_SLUG}")
    assert fits(phone)
    box = page.locator(".fn-map svg").first.bounding_box()
    assert box is not None and box["width"] <= 375
    assert page.locator("table caption").first.is_visible()
    page = phone.goto("/oversikt/")
    assert fits(phone)
