"""The XLSX data appendix (reports/xlsx.py): a sheet per table, numbers as numbers, dates as dates, and text
that starts with "=" kept as text."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import load_workbook

from fagnett.reports.xlsx import render_xlsx
from tests.reports.sample_facts import sample_content


def workbook(content: dict[str, Any] | None = None) -> Any:
    return load_workbook(io.BytesIO(render_xlsx(content or sample_content())))


def rows(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_it_has_a_sheet_per_table() -> None:
    assert workbook().sheetnames == [
        "Nøkkeltall",
        "Medlemmer",
        "Dekning per kommune",
        "Introduksjonskurs",
        "Fagdager",
        "Timer per aktivitetstype",
        "Hospitering",
        "Kompetanseplan",
        "Mål",
        "Resultatmål",
        "Økonomi",
        "Lokallag",
    ]


def test_the_key_figures_are_numbers() -> None:
    figures = dict(rows(workbook()["Nøkkeltall"])[1:])
    assert figures["Medlemmer per 31.12."] == 47
    assert figures["Medlemmer per 31.12. året før"] == 41
    assert figures["Nye ressurspersoner"] == 9
    assert figures["Sluttet"] == 3
    assert figures["Kommuner med dekning"] == 14
    assert figures["Resultat"] == 232500


def test_activities_have_date_cells_and_decimal_hours() -> None:
    sheet = workbook()["Introduksjonskurs"]
    header, course = rows(sheet)
    assert header == ["Dato", "Tittel", "Timer", "Ressurspersoner", "Andre deltakere"]
    # openpyxl reads a date cell back as a naive datetime at midnight.
    assert course[0].date() == dt.date(2024, 2, 8)
    assert course[1:] == ["Introduksjonskurs vår", 6.5, 11, 2]
    assert sheet["A2"].number_format == "DD.MM.YYYY"


def test_coverage_lists_municipalities_and_gaps() -> None:
    table = rows(workbook()["Dekning per kommune"])
    assert ["1103", "Stavanger", "Ja", 12] in table
    assert ["1144", "Kvitsøy", "Nei", 1] in table
    assert [None, "Mangler: Kvitsøy: ingen ressursperson fra sykehjem", None, None] in table


def test_chapters_goals_indicators_and_economy_are_there() -> None:
    book = workbook()
    assert rows(book["Lokallag"])[1][:6] == ["Stavanger lokallag", 23, 19, 4, 5, 1]
    assert ["Antall hjemmebesøk", "besøk", 132, 150] in rows(book["Resultatmål"])
    assert rows(book["Mål"])[2][1:5] == ["1.2", "Etablere hospitering", "a) Hospitering på SUS", "Delvis"]
    assert ["Tilskudd", "Helsedirektoratet", "Drift", 250000] in rows(book["Økonomi"])
    assert ["Sandnes", "Barneklinikken SUS", 4, 2] in rows(book["Hospitering"])


def test_text_that_looks_like_a_formula_stays_text() -> None:
    content = sample_content()
    content["facts"]["chapters"][0]["name"] = '=HYPERLINK("http://example.com")'
    sheet = workbook(content)["Lokallag"]
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '=HYPERLINK("http://example.com")'
