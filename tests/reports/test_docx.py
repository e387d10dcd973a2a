"""The Word document (reports/docx.py): the default Norwegian template with Word's heading styles, tables and
chart images, each number found after the heading of its section; custom templates and their errors."""

from __future__ import annotations

import io
import runpy
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document as DocumentObject
from docx.table import Table
from docx.text.paragraph import Paragraph

from fagnett.reports.docx import DEFAULT_TEMPLATE, PLACEHOLDERS, render_docx, validate_template
from tests.reports.sample_facts import sample_content, sample_facts

BUILD_SCRIPT = DEFAULT_TEMPLATE.parent / "build_default_template.py"


def open_docx(data: bytes) -> DocumentObject:
    return docx.Document(io.BytesIO(data))


def blocks(document: DocumentObject) -> Iterator[Paragraph | Table]:
    yield from document.iter_inner_content()


def block_text(block: Paragraph | Table) -> str:
    if isinstance(block, Paragraph):
        return block.text
    return " | ".join(cell.text for row in block.rows for cell in row.cells)


def section_text(document: DocumentObject, heading: str) -> str:
    """Everything after the heading `heading` up to the next heading of the same or a higher level."""
    collected: list[str] = []
    level: int | None = None
    for block in blocks(document):
        style = block.style.name if isinstance(block, Paragraph) and block.style is not None else ""
        if style.startswith("Heading") or style == "Title":
            this_level = 0 if style == "Title" else int(style.split()[-1])
            if level is not None and this_level <= level:
                break
            if block_text(block) == heading and level is None:
                level = this_level
                continue
        if level is not None:
            collected.append(block_text(block))
    assert level is not None, f"no heading {heading!r}"
    return "\n".join(collected)


def headings(document: DocumentObject) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style is not None and (p.style.name.startswith("Heading") or p.style.name == "Title")
    ]


def template_with(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def document() -> DocumentObject:
    return open_docx(render_docx(sample_content(), draft=True))


def test_the_sections_are_word_headings_in_the_templates_order(document: DocumentObject) -> None:
    found = headings(document)
    assert found[0] == ("Title", "Årsrapport 2024 for Sør-Rogaland barnepalliasjon")
    level_one = [text for style, text in found if style == "Heading 1"]
    assert level_one == [
        "Organisatorisk utvikling og forankring",
        "Formål",
        "Styrende dokumenter",
        "Organiseringen av nettverket",
        "Aktiviteter i nettverket",
        "Satsingsområder",
        "Økonomi",
        "Lokallag og deres aktivitet",
        "Samarbeid med andre nettverk",
    ]
    assert ("Heading 2", "Introduksjonskurs") in found
    assert ("Heading 2", "Stavanger lokallag") in found


def test_the_member_sentence_is_in_the_activities_section(document: DocumentObject) -> None:
    text = section_text(document, "Aktiviteter i nettverket")
    assert (
        "Per 31. desember 2024 hadde kompetansenettverket 47 medlemmer, en økning på 6 fra 2023. "
        "3 personer har sluttet i sin funksjon, og det er tilkommet 9 nye ressurspersoner."
    ) in text
    assert "Disse mangler: Kvitsøy" in text


def test_a_decrease_in_members_is_written_as_one(document: DocumentObject) -> None:
    content = sample_content()
    content["facts"]["members"].update(at_year_end=35, change=-6)
    text = section_text(open_docx(render_docx(content)), "Aktiviteter i nettverket")
    assert "35 medlemmer, en nedgang på 6 fra 2023" in text


def test_the_chart_numbers_are_word_tables_beside_the_chart_images(document: DocumentObject) -> None:
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    assert [
        ["År", "Medlemmer"],
        ["2020", "18"],
        ["2021", "26"],
        ["2022", "33"],
        ["2023", "41"],
        ["2024", "47"],
    ] in tables
    assert [
        ["Del av området", "Dekket", "Totalt"],
        ["Kommuner", "14", "15"],
        ["Sykehusenheter", "5", "6"],
    ] in tables
    assert ["Introduksjonskurs", "1", "6,5", "11"] in [row for table in tables for row in table]
    assert ["Hospitering", "20", "9", "45 %"] in [row for table in tables for row in table]
    images = document.inline_shapes
    assert len(images) == 5
    assert all(shape._inline.docPr.get("descr") for shape in images)


def test_the_intro_course_table_follows_its_heading(document: DocumentObject) -> None:
    text = section_text(document, "Introduksjonskurs")
    assert "08.02.2024 | Introduksjonskurs vår | 6,5 | 11 | 2" in text


def test_the_study_day_section_has_participants_others_and_evaluation(document: DocumentObject) -> None:
    text = section_text(document, "Felles fagdager")
    assert "17.10.2024 | Felles fagdag: smerte hos barn | 6 | 38 | 17" in text
    assert "29 svar fra 38 deltakere" in text
    assert "«Veldig lærerikt om smertekartlegging.»" in text
    assert "Hvor nyttig var dagen? | 29 | 4,3" in text
    # A suppressed mean is a dash, never a number.
    assert "Var tiden godt brukt? | 3 | –" in text


def test_goal_and_indicator_tables_are_in_the_goal_section(document: DocumentObject) -> None:
    text = section_text(document, "Måloppnåelse")
    assert "1.2 Etablere hospitering | a) Hospitering på SUS | Delvis" in text
    assert "Antall hjemmebesøk (besøk) | 132 | 150" in text


def test_economy_amounts_are_in_kroner(document: DocumentObject) -> None:
    text = section_text(document, "Økonomi")
    assert "Tilskudd | Helsedirektoratet (Drift) | 250\u00a0000\u00a0kr" in text
    assert "Resultat | 232\u00a0500\u00a0kr" in text


def test_each_chapter_has_its_own_facts_and_narrative(document: DocumentObject) -> None:
    text = section_text(document, "Stavanger lokallag")
    assert "hadde lokallaget 23 medlemmer, en økning på 4 fra 2023" in text
    assert "Lokallaget har hatt 2 samlinger à 3 timer, med til sammen 29 deltakere." in text
    assert "2 fra Stavanger kommune har hospitert ved Stavanger hospice i 3 dager" in text
    assert "Lokallaget i Stavanger hadde et godt år." in text


def test_narratives_are_text_not_markup(document: DocumentObject) -> None:
    assert "Og for familiene <deres>." in section_text(document, "Formål")


def test_a_draft_marks_sections_without_facts_or_text_for_the_coordinator() -> None:
    draft = open_docx(render_docx(sample_content(narratives={}), draft=True))
    assert "Skrives av koordinator" in section_text(draft, "Styrende dokumenter")
    assert "Skrives av koordinator" not in section_text(draft, "Formål")  # the purpose comes from the data
    published = open_docx(render_docx(sample_content(narratives={}), draft=False))
    assert "Ingen opplysninger for dette året." in section_text(published, "Styrende dokumenter")
    assert "UTKAST" not in "\n".join(p.text for p in published.paragraphs)


def test_the_document_is_norwegian_with_page_numbers(document: DocumentObject) -> None:
    assert document.core_properties.title == "Årsrapport 2024 for Sør-Rogaland barnepalliasjon"
    assert document.core_properties.language == "nb-NO"
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_a_custom_template_is_filled_with_the_facts() -> None:
    data = template_with("Medlemmer: {{ facts.members.at_year_end }}", "{{ facts.as_of|date }}")
    text = [p.text for p in open_docx(render_docx(sample_content(), template=data)).paragraphs]
    assert text == ["Medlemmer: 47", "31.12.2024"]


def test_a_template_error_names_the_missing_placeholder() -> None:
    error = validate_template(template_with("{{ facts.members.foo }}"), sample_facts())
    assert error == "Plassholderen «facts.members.foo» finnes ikke."


def test_a_template_error_in_a_loop_names_the_placeholder_as_written() -> None:
    data = template_with("{%p for chapter in facts.chapters %}", "{{ chapter.nope }}", "{%p endfor %}")
    assert validate_template(data, sample_facts()) == "Plassholderen «chapter.nope» finnes ikke."


def test_an_unknown_top_level_name_is_named() -> None:
    assert (
        validate_template(template_with("{{ fakta.year }}"), sample_facts())
        == "Plassholderen «fakta» finnes ikke."
    )


def test_a_syntax_error_quotes_its_line() -> None:
    error = validate_template(template_with("Første", "Andre {{ facts.members. }}", "Tredje"), sample_facts())
    assert error is not None
    assert error.startswith("Malen har en feil i en plassholder:")
    assert "«Andre {{ facts.members. }}»" in error


def test_a_file_that_is_not_word_is_refused() -> None:
    assert validate_template(b"%PDF-1.7", sample_facts()) == "Filen er ikke et Word-dokument (.docx)."


def test_a_template_cannot_reach_python_internals() -> None:
    error = validate_template(template_with("{{ facts.__class__.__mro__ }}"), sample_facts())
    assert error is not None and error.startswith("Malen kan ikke fylles ut")


def test_the_default_template_renders_the_sample_facts() -> None:
    assert validate_template(DEFAULT_TEMPLATE.read_bytes(), sample_facts()) is None


def test_the_default_template_renders_a_network_without_data() -> None:
    facts = sample_facts()
    for key in ("intro_courses", "study_days", "groups", "evaluations", "goals", "indicators", "chapters"):
        facts[key] = []
    facts["economy"] = {"grants": [], "course_fees": [], "other_income": [], "costs": [], "totals": {}}
    facts["hours_by_kind"] = []
    facts["competence"] = {"plan": None, "requirements": []}
    document = open_docx(render_docx({"facts": facts, "narratives": {}}, draft=True))
    assert "Skrives av koordinator" in section_text(document, "Introduksjonskurs")
    assert len(document.inline_shapes) == 2  # members and coverage still have numbers


def test_the_committed_default_template_is_what_the_build_script_makes(tmp_path: Path) -> None:
    # The script lives in a folder beside reports/docx.py, so it is run as a file, not imported.
    namespace: dict[str, Any] = runpy.run_path(str(BUILD_SCRIPT))
    built = namespace["build"](tmp_path / "built.docx")

    def body(path: Path) -> bytes:
        with zipfile.ZipFile(path) as archive:
            return archive.read("word/document.xml")

    assert body(built) == body(DEFAULT_TEMPLATE)


def test_every_documented_placeholder_has_an_example() -> None:
    assert all(placeholder.example for placeholder in PLACEHOLDERS)
    names = {placeholder.name for placeholder in PLACEHOLDERS}
    assert {"facts.members.at_year_end", "facts.coverage.gaps", "facts.chapters", "charts.<chart>"} <= names
