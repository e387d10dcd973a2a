"""`manage.py annual_report --network SLUG --year YYYY --format docx|pdf|html|json|xlsx --output PATH`, and
the acceptance test of issue 8: the demo network's 2024 report renders in all five formats, its numbers in
the right sections."""

from __future__ import annotations

import io
import json
from io import StringIO
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from fagnett.networks.demo import DEMO_SLUG
from fagnett.networks.models import Network
from fagnett.reports.facts import annual_facts
from fagnett.reports.models import AnnualReport, Narrative, ReportStatus
from tests.helpers import needs_pdftotext, pdf_text
from tests.reports.sample_facts import sample_content, sample_facts
from tests.reports.test_docx import section_text

pytestmark = pytest.mark.django_db
YEAR = 2024


def run(*args: str) -> str:
    out = StringIO()
    call_command("annual_report", *args, stdout=out)
    return out.getvalue()


def options(network: str, fmt: str, output: Path | str, year: int = YEAR) -> list[str]:
    return ["--network", network, "--year", str(year), "--format", fmt, "--output", str(output)]


@pytest.fixture
def fake_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake(network: Network, year: int, *, quote_ids: Any = ()) -> dict[str, Any]:
        facts = sample_facts()
        facts["members"]["at_year_end"] = 501
        return facts

    monkeypatch.setattr("fagnett.reports.content.annual_facts", fake)


@pytest.mark.usefixtures("fake_facts")
def test_json_is_the_facts_of_the_draft(network: Network, tmp_path: Path) -> None:
    target = tmp_path / "rapport.json"
    message = run(*options(network.slug, "json", target))
    assert "draft" in message
    text = target.read_text(encoding="utf-8")
    assert "Sør-Rogaland" in text  # not \u00f8
    assert text.startswith('{\n  "schema": 1,')
    facts = json.loads(text)
    assert facts["members"]["at_year_end"] == 501
    for key in ("at_year_end", "at_previous_year_end", "joined", "left"):
        assert key in facts["members"]
    for key in ("municipalities_covered", "municipalities_total", "units_covered", "units_total", "gaps"):
        assert key in facts["coverage"]


@pytest.mark.usefixtures("fake_facts")
def test_a_published_report_is_written_from_its_snapshot(network: Network, tmp_path: Path) -> None:
    AnnualReport.objects.create(
        network=network, year=YEAR, status=ReportStatus.PUBLISHED, snapshot=sample_content()
    )
    target = tmp_path / "rapport.json"
    assert "published" in run(*options(network.slug, "json", target))
    assert json.loads(target.read_text(encoding="utf-8"))["members"]["at_year_end"] == 47


@pytest.mark.usefixtures("fake_facts")
def test_the_drafts_narratives_are_in_the_document(network: Network, tmp_path: Path) -> None:
    report = AnnualReport.objects.create(network=network, year=YEAR)
    Narrative.objects.create(report=report, section="governing_documents", text="Handlingsplan 2024–2026.")
    target = tmp_path / "rapport.html"
    run(*options(network.slug, "html", target))
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Handlingsplan 2024–2026." in html


@pytest.mark.usefixtures("fake_facts")
def test_json_can_go_to_standard_output(network: Network, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    run(*options(network.slug, "json", "-"))
    assert json.loads(capsysbinary.readouterr().out)["members"]["at_year_end"] == 501


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--network", "finnes-ikke", "--year", "2024", "--format", "pdf", "--output", "x.pdf"], "--network"),
        (
            ["--network", "barnepalliasjon", "--year", "1800", "--format", "pdf", "--output", "x.pdf"],
            "--year",
        ),
        (
            ["--network", "barnepalliasjon", "--year", "2024", "--format", "doc", "--output", "x.doc"],
            "--format",
        ),
        (
            ["--network", "barnepalliasjon", "--year", "2024", "--format", "pdf", "--output", "/nope/x.pdf"],
            "--output",
        ),
        (["--network", "barnepalliasjon", "--year", "2024", "--format", "pdf"], "--output"),
    ],
)
def test_errors_name_the_option(network: Network, args: list[str], option: str) -> None:
    with pytest.raises(CommandError, match=option):
        run(*args)


# --- The demo network ----------------------------------------------------------------------------------


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> Network:
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=StringIO())
    return Network.objects.get(slug=DEMO_SLUG)


@needs_pdftotext
def test_the_demo_networks_2024_report_renders_in_all_five_formats(demo: Network, tmp_path: Path) -> None:
    facts = annual_facts(demo, YEAR)
    members = facts["members"]
    paths = {fmt: tmp_path / f"arsrapport.{fmt}" for fmt in ("docx", "pdf", "html", "json", "xlsx")}
    for fmt, path in paths.items():
        run(*options(DEMO_SLUG, fmt, path))
        assert path.stat().st_size > 0, fmt

    assert json.loads(paths["json"].read_text(encoding="utf-8")) == json.loads(json.dumps(facts))

    document = docx.Document(str(paths["docx"]))
    activities = section_text(document, "Aktiviteter i nettverket")
    assert f"hadde kompetansenettverket {members['at_year_end']} medlemmer" in activities
    assert f"{members['left']} personer har sluttet" in activities
    assert f"tilkommet {members['joined']} nye ressurspersoner" in activities
    assert facts["coverage"]["statement"] in activities
    for chapter in facts["chapters"]:
        text = section_text(document, chapter["name"])
        assert f"hadde lokallaget {chapter['members']['at_year_end']} medlemmer" in text
    if facts["intro_courses"]:
        course = facts["intro_courses"][0]
        date = ".".join(reversed(course["date"].split("-")))
        assert date in section_text(document, "Introduksjonskurs")
    assert len(document.inline_shapes) >= 2

    text = pdf_text(paths["pdf"].read_bytes(), tmp_path)
    assert facts["network"]["name"] in text
    assert facts["coverage"]["statement"] in text

    html = paths["html"].read_text(encoding="utf-8")
    assert facts["coverage"]["statement"] in html

    book = load_workbook(io.BytesIO(paths["xlsx"].read_bytes()))
    figures = dict(list(book["Nøkkeltall"].iter_rows(values_only=True))[1:])
    assert figures["Medlemmer per 31.12."] == members["at_year_end"]
