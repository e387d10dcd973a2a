"""The coordinator's roster in a real browser: dashboard, roster, person page, import preview and coverage,
each checked with axe-core, by keyboard where it matters, and on a phone."""

from __future__ import annotations

from pathlib import Path

from fagnett.networks.demo import DEMO_SLUG
from fagnett.networks.models import Person
from tests.browser.conftest import Browser
from tests.browser.helpers import demo, log_in

BASE = f"/n/{DEMO_SLUG}"
HEADER = "fornavn;etternavn;epost;rolle;startdato;arbeidssted;tjenestetype;kommunenummer\n"
NORA = (
    "Nora;Nilsen;nora.nilsen@demo.fagnett.no;ressursperson;01.02.2025;"
    "Hjemmetjenesten Kvitsøy;hjemmetjeneste;1144\n"
)


def test_a_coordinator_finds_a_person_by_keyboard_and_opens_the_person_page(
    browser: Browser, tmp_path: Path
) -> None:
    login = demo(tmp_path)
    log_in(browser, login.email, login.password)
    page = browser.page
    assert page.url.endswith(f"{BASE}/")
    assert page.get_by_role("link", name="14 av 15 kommuner dekket").is_visible()

    page.get_by_role("link", name="Personer", exact=True).click()
    page.wait_for_load_state("load")
    browser.check()
    assert page.get_by_text("57 personer").first.is_visible()

    person = Person.objects.filter(network__slug=DEMO_SLUG, workplace__municipality__number="1144").first()
    assert person is None  # Kvitsøy has nobody: the gap the coverage page names
    target = (
        Person.objects.filter(network__slug=DEMO_SLUG, workplace__isnull=False).order_by("last_name").first()
    )
    assert target is not None
    search = page.get_by_label("Søk", exact=True)
    search.fill(target.email)
    search.press("Enter")
    page.wait_for_url("**/personer/?*q=*")
    # Enter submits at once, and the search field's debounced keyup (500 ms) asks once more; wait for both,
    # so the results region is not replaced under the keyboard focus below.
    page.wait_for_timeout(700)
    page.wait_for_load_state("networkidle")
    browser.check()
    link = page.get_by_role("link", name=f"{target.last_name}, {target.first_name}")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/personer/{target.pk}/")
    browser.check()
    assert page.get_by_role("heading", level=1).inner_text() == target.full_name
    assert page.get_by_text(target.workplace.name if target.workplace else "").first.is_visible()


def test_the_import_preview_shows_what_would_change_and_writes_nothing(
    browser: Browser, tmp_path: Path
) -> None:
    login = demo(tmp_path)
    log_in(browser, login.email, login.password)
    csv = tmp_path / "ressurspersoner.csv"
    csv.write_text(
        HEADER + NORA + "Ola;Feil;ikke-en-epost;ressursperson;01.02.2025;;;\n",
        encoding="utf-8",
    )
    before = Person.objects.count()
    page = browser.goto(f"{BASE}/import/")
    page.locator("input[type=file]#id_file").set_input_files(str(csv))
    page.get_by_role("button", name="Last opp og forhåndsvis").click()
    page.wait_for_url("**/import/*/")
    browser.check()
    assert page.get_by_role("heading", name="Feil i filen").is_visible()
    assert page.get_by_role("button", name="Bekreft og importer").count() == 0
    assert Person.objects.count() == before

    csv.write_text(HEADER + NORA, encoding="utf-8")
    page = browser.goto(f"{BASE}/import/")
    page.locator("input[type=file]#id_file").set_input_files(str(csv))
    page.get_by_role("button", name="Last opp og forhåndsvis").click()
    page.wait_for_url("**/import/*/")
    browser.check()
    assert Person.objects.count() == before
    page.get_by_role("button", name="Bekreft og importer").click()
    page.wait_for_url(f"**{BASE}/personer/")
    browser.check()
    assert Person.objects.count() == before + 1


def test_the_coverage_page_names_the_gap_and_reads_well_on_a_phone(phone: Browser, tmp_path: Path) -> None:
    login = demo(tmp_path)
    log_in(phone, login.email, login.password)
    page = phone.goto(f"{BASE}/dekning/")
    assert page.get_by_text("14 av 15 kommuner dekket").first.is_visible()
    assert page.get_by_text("Kvitsøy: mangler hjemmetjeneste").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.get_by_label("Dato", exact=True).fill("2022-06-30")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url("**dato=2022-06-30*")
    phone.check()
    assert page.get_by_role("heading", name="Oversikt per 30.06.2022").is_visible()


def test_the_roster_and_person_page_fit_a_phone(phone: Browser, tmp_path: Path) -> None:
    login = demo(tmp_path)
    log_in(phone, login.email, login.password)
    for path in (f"{BASE}/", f"{BASE}/personer/"):
        page = phone.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
    person = Person.objects.filter(network__slug=DEMO_SLUG).exclude(user__isnull=False).first()
    assert person is not None
    page = phone.goto(f"{BASE}/personer/{person.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
