"""Renderers of evaluation facts into files: the raw responses as CSV and XLSX, the results as PDF.

Each reads the facts of evaluations.results and queries nothing (ARCHITECTURE.md §5).

- CSV: semicolon-separated UTF-8 with a byte order mark, as Norwegian Excel reads it; dates dd.mm.yyyy.
- XLSX: one sheet, the header row frozen, dates as dates.
- Both guard against formula injection: a free-text answer such as "=HYPERLINK(...)" stays text.
- PDF: results_print.html through WeasyPrint, A4, tagged (PDF/UA-1) with page numbers; every resource the
  document asks for is refused, as for certificates (activities/certificates.py).
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from fagnett.activities.certificates import render_pdf
from fagnett.evaluations.charts import question_displays
from fagnett.evaluations.results import EvaluationResults, RawResponses
from fagnett.lib.tabular import XLSX_TYPE, to_csv, to_xlsx

CSV_TYPE = "text/csv; charset=utf-8"
PDF_TYPE = "application/pdf"

Cell = str | int | dt.date | None


def file_name(title: str, starts_on: dt.date, extension: str, fallback: str) -> str:
    """evaluering-<the activity's title>-<its start date>.<extension>; the activity's id when the title
    leaves nothing to spell."""
    # slugify drops æ, ø and å; spelled out they keep a Norwegian title readable.
    folded = title.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    slug = slugify(folded)[:60].strip("-") or fallback
    return f"evaluering-{slug}-{starts_on.isoformat()}.{extension}"


def raw_table(raw: RawResponses) -> list[list[Cell]]:
    """The rows of the raw export, the header first: number, date, (name,) one column per question."""
    header: list[Cell] = [_("Response"), _("Date")]
    if not raw.anonymous:
        header.append(_("Name"))
    header.extend(raw.questions)
    rows = [header]
    for row in raw.rows:
        cells: list[Cell] = [row.number, row.submitted_on]
        if not raw.anonymous:
            cells.append(row.name or "")
        cells.extend(row.values)
        rows.append(cells)
    return rows


def csv_bytes(raw: RawResponses) -> bytes:
    return to_csv(raw_table(raw))


def xlsx_bytes(raw: RawResponses) -> bytes:
    return to_xlsx(raw_table(raw), title=_("Responses"))


RAW_EXPORTERS = {"csv": (csv_bytes, CSV_TYPE), "xlsx": (xlsx_bytes, XLSX_TYPE)}


def results_pdf(results: EvaluationResults) -> bytes:
    """The printable results as a PDF, in the language the page was asked for."""
    return render_pdf(
        "evaluations/results_print.html",
        {"facts": results, "questions": question_displays(results)},
        language=translation.get_language() or "nb",
    )
