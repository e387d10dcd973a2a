"""A dissemination plan as files. Both read the facts of dissemination_queries and query nothing themselves.

- XLSX: the first sheet has exactly the import's columns (dissemination_import.COLUMN_NAMES), so an exported
  plan imports again unchanged; a second sheet lists the status of each measure per year.
- PDF: the page's table (landscape A4) with the title, the period, the target-group legend and page numbers.
"""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from fagnett.activities.certificates import render_pdf
from fagnett.lib.tabular import Cell, to_xlsx
from fagnett.plans.dissemination_import import COLUMN_NAMES
from fagnett.plans.dissemination_queries import PlanTable

PDF_TYPE = "application/pdf"


def file_name(table: PlanTable, extension: str) -> str:
    # slugify drops æ, ø and å; spelled out they keep a Norwegian title readable.
    folded = table.plan.title.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    slug = slugify(folded)[:60].strip("-") or str(table.plan.pk)
    return f"kompetansespredningsplan-{slug}.{extension}"


def _yes_no(value: bool) -> str:
    return "ja" if value else "nei"


def plan_rows(table: PlanTable) -> list[list[Cell]]:
    """The import's columns, one row per measure, in the page's order."""
    rows: list[list[Cell]] = [list(COLUMN_NAMES)]
    for row in table.rows:
        rows.append(
            [
                row.category,
                row.title,
                ", ".join(group.code for group in row.target_groups),
                "\n".join(row.means),
                row.from_year,
                row.to_year,
                _yes_no(row.ongoing),
                _yes_no(row.priority_area),
            ]
        )
    return rows


def plan_xlsx(table: PlanTable, statuses: list[tuple[str, str, int, str, str]]) -> bytes:
    """The plan sheet (re-importable), and a sheet with the stored status of each measure per year."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    workbook = load_workbook(io.BytesIO(to_xlsx(plan_rows(table), title=_("Plan"))))
    sheet = workbook.create_sheet(_("Status per year")[:31])
    header = [_("Category"), _("Measure"), _("Year"), _("Status"), _("Comment")]
    for row_number, values in enumerate([header, *statuses], start=1):
        for column_number, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            if cell.data_type == "f":  # text typed by people is never a formula, as in to_xlsx
                cell.data_type = "s"
            if row_number == 1:
                cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (30, 50, 8, 18, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan_pdf(table: PlanTable) -> bytes:
    return render_pdf(
        "plans/dissemination/plan_print.html",
        {"table": table, "plan": table.plan, "network": table.plan.network},
        language=translation.get_language() or "nb",
    )
