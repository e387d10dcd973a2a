"""Plans, goals and result indicators in a real browser: the demo coordinator reads and edits the plan, its
year statuses, the goals and an indicator, imports measures and values and exports the plan; a reader reads
the same pages on a phone. Every page is checked with axe-core."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from playwright.sync_api import FilePayload

from fagnett.accounts.models import User
from fagnett.networks.demo import DEMO_SLUG
from fagnett.networks.models import Network, NetworkReader
from fagnett.plans.models import DisseminationPlan, Indicator, IndicatorValue, Measure, MeasureYear
from tests.browser.conftest import Browser
from tests.browser.helpers import demo, log_in
from tests.browser.test_activities import fits

BASE = f"/n/{DEMO_SLUG}/planer"


def plan_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["kategori", "tiltak", "maalgruppe", "virkemidler", "fra_aar", "til_aar", "loepende"])
    sheet.append(["Nettverksarbeid", "Regionale dialogmøter", "H", "Møte hvert halvår", 2025, 2027, "nei"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_coordinator_reads_edits_imports_and_exports_the_plan_goals_and_indicators(
    browser: Browser, tmp_path: Path
) -> None:
    login = demo(tmp_path)
    plan = DisseminationPlan.objects.get(network__slug=DEMO_SLUG)
    log_in(browser, login.email, login.password)

    # The hub, reached from the network's menu.
    page = browser.goto(f"/n/{DEMO_SLUG}/")
    page.get_by_role("link", name="Planer og mål").click()
    page.wait_for_url(f"**{BASE}/")
    browser.check()

    # The plan as the seed's table: measure | target group | means | timeframe, grouped by category.
    page = browser.goto(f"{BASE}/spredning/{plan.pk}/?aar=2024")
    table = page.locator("table").first
    assert table.locator("caption").is_visible()
    header = table.locator("thead").inner_text()
    for column in ("Målgruppe", "Virkemidler", "Tidsaspekt"):
        assert column in header
    assert table.locator("tbody tr").count() >= Measure.objects.filter(plan=plan).count()

    # The year's statuses, by keyboard: the first measure becomes "not done" with a comment.
    page = browser.goto(f"{BASE}/spredning/{plan.pk}/aar/2025/")
    first = page.locator("fieldset").first
    first.get_by_label("Status").select_option("ikke_gjennomfort")
    first.get_by_label("Kommentar").fill("Utsatt til neste år.")
    first.get_by_label("Kommentar").press("Tab")
    page.get_by_role("button", name="Lagre statusene").press("Enter")
    page.wait_for_url(f"**/spredning/{plan.pk}/**")
    browser.check()
    saved = MeasureYear.objects.get(measure__plan=plan, year=2025, status="ikke_gjennomfort")
    assert saved.comment == "Utsatt til neste år."

    # Importing measures from Excel: upload, preview, confirm.
    page = browser.goto(f"{BASE}/spredning/{plan.pk}/import/")
    data = plan_xlsx()
    upload: FilePayload = {"name": "tiltak.xlsx", "mimeType": "application/octet-stream", "buffer": data}
    page.locator("input[type=file]").set_input_files(files=[upload])
    page.get_by_role("button", name="Last opp og forhåndsvis").click()
    page.wait_for_load_state("load")
    browser.check()
    page.get_by_role("button", name="Bekreft og importer").click()
    page.wait_for_load_state("load")
    browser.check()
    assert Measure.objects.filter(plan=plan, title="Regionale dialogmøter").exists()

    # Exporting the plan as a spreadsheet.
    page = browser.goto(f"{BASE}/spredning/{plan.pk}/?aar=2024")
    with page.expect_download() as download:
        page.locator(f"a[href*='/spredning/{plan.pk}/plan.xlsx']").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # Goals: seed 001's results table with "Delmål oppnådd?".
    page = browser.goto(f"{BASE}/maal/?aar=2024")
    assert page.get_by_role("columnheader", name="Delmål oppnådd?").first.is_visible()
    results = page.locator("table", has=page.get_by_role("columnheader", name="Delmål oppnådd?")).first
    cells = results.locator("tbody tr td:last-child").all_inner_texts()
    assert [cell.strip().split("\n")[0] for cell in cells][:5] == ["Ja", "Ja", "Ja", "Delvis", "Delvis"]

    # Indicators: seed 001's table, then one indicator's chart with its numbers and new values for 2025.
    page = browser.goto(f"{BASE}/indikatorer/?aar=2024")
    text = page.locator("main").inner_text()
    for value in ("12", "91", "152", "18"):
        assert value in text
    referrals = Indicator.objects.get(network__slug=DEMO_SLUG, name="Henvisninger barnepalliasjon")
    page = browser.goto(f"{BASE}/indikatorer/{referrals.pk}/?aar=2024")
    assert page.locator("svg[role=img]").first.is_visible()
    assert page.locator("table caption").first.is_visible()
    page = browser.goto(f"{BASE}/indikatorer/{referrals.pk}/verdier/2025/")
    page.locator("main input[inputmode=decimal]").first.fill("01020312345")
    page.locator("main form.fn-form button[type=submit]").click()
    page.wait_for_load_state("load")
    browser.check()
    assert not IndicatorValue.objects.filter(indicator=referrals, year=2025).exists()
    page.locator("main input[inputmode=decimal]").first.fill("7")
    page.locator("main form.fn-form button[type=submit]").click()
    page.wait_for_load_state("load")
    browser.check()
    assert IndicatorValue.objects.get(indicator=referrals, year=2025).value == 7


def test_a_reader_reads_the_plan_goals_and_indicators_on_a_phone(phone: Browser, tmp_path: Path) -> None:
    demo(tmp_path)
    network = Network.objects.get(slug=DEMO_SLUG)
    reader = User.objects.create_user("eier@example.no", "lesepassord-123", name="Eva Eier")
    NetworkReader.objects.create(network=network, user=reader)
    plan = DisseminationPlan.objects.get(network=network)
    log_in(phone, reader.email, "lesepassord-123")

    for path in (
        f"{BASE}/?aar=2024",
        f"{BASE}/spredning/{plan.pk}/?aar=2024",
        f"{BASE}/maal/?aar=2024",
        f"{BASE}/indikatorer/?aar=2024",
        f"{BASE}/okonomi/?aar=2024",
    ):
        page = phone.goto(path)
        assert fits(phone), path
        # A reader reads: no link to change anything.
        assert page.locator("a[href*='/endre/'], a[href*='/ny/']").count() == 0, path
