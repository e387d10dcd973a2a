"""The report's HTML document (reports/_document.html and the section fragments), its charts, and the PDF
made from it: every section in the template's order with its numbers after its heading, charts with their
numbers in a table, tagged headings, page numbers and a table of contents with page numbers."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from fagnett.reports.charts import report_charts
from fagnett.reports.pdf import render_report_html, render_report_pdf
from fagnett.reports.sections import SECTIONS
from tests.helpers import nb, needs_pdftotext, pdf_text
from tests.reports.sample_facts import sample_content, sample_facts

MEMBERS = (
    "At 31 December %(year)s the competence network had %(count)s members, an increase of %(change)s from "
    "%(previous)s."
)


def between(text: str, start: str, end: str) -> str:
    """The text after `start` and before the next `end` (the next section's heading)."""
    assert start in text, start
    after = text[text.index(start) + len(start) :]
    return after[: after.index(end)] if end in after else after


def document_html(content: dict[str, object] | None = None, *, draft: bool = True) -> str:
    with translation.override("nb"):
        return render_to_string(
            "reports/_document.html", {"content": content or sample_content(), "draft": draft}
        )


def test_the_document_has_every_section_in_the_templates_order() -> None:
    html = document_html()
    positions = [html.index(f'id="rapport-{section.key}"') for section in SECTIONS]
    assert positions == sorted(positions)
    with translation.override("nb"):
        for section in SECTIONS:
            tag = "h3" if section.level == 3 else "h2"
            assert f'<{tag} class="ds-heading"' in html
            assert f">{section.title}</{tag}>" in html
    assert 'id="rapport-lokallag-stavanger"' in html


def test_the_table_of_contents_links_to_every_section_and_chapter() -> None:
    html = document_html()
    toc = between(html, 'id="rapport-innhold"', "</nav>")
    for section in SECTIONS:
        assert f'href="#rapport-{section.key}"' in toc
    assert 'href="#rapport-lokallag-stavanger"' in toc


def test_narratives_are_escaped_with_their_paragraphs() -> None:
    html = document_html()
    assert "<p>Vi arbeider for barn.</p>" in html
    assert "Og for familiene &lt;deres&gt;." in html


def test_a_draft_marks_sections_with_neither_facts_nor_text() -> None:
    html = document_html(sample_content(narratives={}))
    marked = nb("To be written by the coordinator")
    assert marked in between(html, 'id="rapport-governing_documents"', "</section>")
    assert marked not in between(html, 'id="rapport-activities"', 'id="rapport-goals"')
    published = document_html(sample_content(narratives={}), draft=False)
    assert marked not in published
    assert nb("Nothing to report for this year.") in published


def test_every_chart_has_a_table_with_its_numbers() -> None:
    charts = report_charts(sample_facts())
    assert set(charts) == {"members", "coverage", "hours", "competence", "evaluations"}
    html = document_html()
    for chart in charts.values():
        assert f'id="{chart.chart_id}-title"' in html
        table = between(html, f"<caption>{chart.title}</caption>", "</table>")
        for row in chart.rows:
            assert f'<th scope="row">{row.label}</th>' in table
            for cell in row.cells:
                assert f">{cell}</td>" in table


def test_a_suppressed_evaluation_mean_is_a_dash_and_no_bar() -> None:
    chart = report_charts(sample_facts())["evaluations"]
    suppressed = [row for row in chart.rows if "Var tiden godt brukt?" in row.label][0]
    assert (suppressed.fraction, suppressed.value_label, suppressed.cells[-1]) == (0.0, "–", "–")


def test_charts_are_png_images_for_word() -> None:
    for chart in report_charts(sample_facts()).values():
        assert chart.png().startswith(b"\x89PNG")


def test_a_network_without_activities_has_no_empty_charts() -> None:
    facts = sample_facts()
    facts["hours_by_kind"] = []
    facts["evaluations"] = []
    facts["competence"] = {"plan": None, "requirements": []}
    facts["coverage"].update(units_total=0, units_covered=0)
    charts = report_charts(facts)
    assert set(charts) == {"members", "coverage"}
    assert [row.label for row in charts["coverage"].rows] == [nb("Municipalities")]


def test_the_standalone_html_fetches_nothing() -> None:
    html = render_report_html(sample_content())
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="nb">' in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert "<link" not in html and "<script" not in html


def sections_of(text: str) -> dict[str, str]:
    """The text of each section, by key: each heading is looked for after the one before it, starting after
    the table of contents, so a word like "Introduksjonskurs" in an earlier table is not taken for it."""
    with translation.override("nb"):
        titles = [(section.key, str(section.title)) for section in SECTIONS]
    position = text.index(titles[0][1], text.index(titles[-1][1]))
    starts = []
    for key, title in titles:
        position = text.index(title, position)
        starts.append((key, position + len(title)))
        position += len(title)
    ends = [start - len(title) for (_key, start), (_k, title) in zip(starts[1:], titles[1:], strict=True)]
    return {key: text[start:end] for (key, start), end in zip(starts, [*ends, len(text)], strict=True)}


@needs_pdftotext
def test_the_pdf_has_the_numbers_after_their_headings(tmp_path: Path) -> None:
    sections = sections_of(pdf_text(render_report_pdf(sample_content(), draft=True), tmp_path))
    assert nb(MEMBERS, year=2024, count=47, change=6, previous=2023) in sections["activities"]
    intro = sections["intro_courses"]
    assert "08.02.2024" in intro and "6,5" in intro and "11" in intro
    assert "17.10.2024" in sections["study_days"] and "17.10.2024" not in intro
    assert "250 000 kr" in sections["economy"]
    assert "Stavanger lokallag" in sections["chapters"] and "2 samlinger à 3 timer" in sections["chapters"]
    assert "Kompetansenettverk Haugesund" in sections["collaboration"]


@needs_pdftotext
def test_the_pdf_is_tagged_with_page_numbers_and_a_numbered_table_of_contents(tmp_path: Path) -> None:
    pdf = render_report_pdf(sample_content())
    path = tmp_path / "rapport.pdf"
    path.write_bytes(pdf)
    pdfinfo = shutil.which("pdfinfo")
    assert pdfinfo is not None
    info = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.MULTILINE)
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert pages > 1
    text = pdf_text(pdf, tmp_path)
    assert nb("Page %(page)s of %(pages)s", page=1, pages=pages) in text
    assert nb("Page %(page)s of %(pages)s", page=pages, pages=pages) in text
    layout = subprocess.run(
        ["pdftotext", "-layout", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    with translation.override("nb"):
        purpose = str(SECTIONS[1].title)
    assert re.search(rf"{purpose}[ .]+\d+\s*$", layout, re.MULTILINE), layout


@needs_pdftotext
def test_the_pdf_of_a_draft_says_so(tmp_path: Path) -> None:
    assert nb("Draft") in pdf_text(render_report_pdf(sample_content(), draft=True), tmp_path)
    assert nb("Draft") not in pdf_text(render_report_pdf(sample_content(), draft=False), tmp_path)


@pytest.mark.parametrize("key", [section.key for section in SECTIONS])
def test_each_section_fragment_renders_on_its_own(key: str) -> None:
    facts = sample_facts()
    context = {
        "facts": facts,
        "year": facts["year"],
        "charts": report_charts(facts),
        "chapter": facts["chapters"][0],
    }
    assert render_to_string(f"reports/sections/{key}.html", context) is not None
