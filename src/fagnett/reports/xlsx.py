"""The annual report's data appendix as one XLSX workbook, a sheet per table, from the facts alone.

A Norwegian document like the report itself, so the sheet names and headers are bokmål. Dates are date cells
shown dd.mm.yyyy, numbers are numbers (so the coordinator can sum them), and text stays text: a theme or a
name that starts with "=" is never a formula (lib.tabular.to_xlsx's rule, for several sheets here).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

Row = Sequence[Any]


def _date(value: Any) -> dt.date | str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)


def _sheets(facts: Mapping[str, Any]) -> list[tuple[str, list[Row]]]:
    members = facts["members"]
    coverage = facts["coverage"]
    economy = facts.get("economy") or {}
    totals = economy.get("totals") or {}
    gatherings = facts.get("gatherings") or {}
    key_figures: list[Row] = [
        ["Nøkkeltall", "Verdi"],
        ["År", facts["year"]],
        ["Per dato", _date(facts.get("as_of"))],
        ["Medlemmer per 31.12.", members["at_year_end"]],
        ["Medlemmer per 31.12. året før", members["at_previous_year_end"]],
        ["Endring fra året før", members["change"]],
        ["Nye ressurspersoner", members["joined"]],
        ["Sluttet", members["left"]],
        ["Kommuner med dekning", coverage["municipalities_covered"]],
        ["Kommuner i området", coverage["municipalities_total"]],
        ["Sykehusenheter med dekning", coverage["units_covered"]],
        ["Sykehusenheter i området", coverage["units_total"]],
        ["Samlinger", gatherings.get("count")],
        ["Deltakere på samlinger", gatherings.get("participants")],
        ["Sum inntekter", totals.get("income")],
        ["Kostnader", totals.get("costs")],
        ["Resultat", totals.get("result")],
    ]
    activity_header = ["Dato", "Tittel", "Timer", "Ressurspersoner", "Andre deltakere"]

    def activities(rows: Sequence[Mapping[str, Any]]) -> list[Row]:
        return [activity_header] + [
            [_date(r["date"]), r["title"], r["hours"], r["participants"], r["other_participants"]]
            for r in rows
        ]

    def economy_rows() -> list[Row]:
        kinds = (
            ("grants", "Tilskudd"),
            ("course_fees", "Kursavgift"),
            ("other_income", "Andre inntekter"),
            ("costs", "Kostnader"),
        )
        rows: list[Row] = [["Type", "Kilde", "Formål", "Beløp"]]
        for key, label in kinds:
            rows += [
                [label, line["source"], line["purpose"], line["amount"]] for line in economy.get(key) or []
            ]
        return rows

    def chapter_row(chapter: Mapping[str, Any]) -> Row:
        m, c, g = chapter["members"], chapter["coverage"], chapter.get("gatherings") or {}
        return [
            chapter["name"],
            m["at_year_end"],
            m["at_previous_year_end"],
            m["change"],
            m["joined"],
            m["left"],
            c["municipalities_covered"],
            c["municipalities_total"],
            g.get("count"),
            g.get("hours"),
            g.get("participants"),
            ", ".join(chapter.get("themes") or []),
        ]

    return [
        ("Nøkkeltall", key_figures),
        (
            "Medlemmer",
            [["År", "Medlemmer per 31.12."]] + [[r["year"], r["members"]] for r in members["by_year"]],
        ),
        (
            "Dekning per kommune",
            [["Kommunenummer", "Kommune", "Dekket", "Ressurspersoner"]]
            + [
                [m["number"], m["name"], "Ja" if m["covered"] else "Nei", m["persons"]]
                for m in coverage.get("municipalities") or []
            ]
            + [[None, f"Mangler: {gap}", None, None] for gap in coverage.get("gaps") or []],
        ),
        ("Introduksjonskurs", activities(facts.get("intro_courses") or [])),
        ("Fagdager", activities(facts.get("study_days") or [])),
        (
            "Timer per aktivitetstype",
            [["Type aktivitet", "Aktiviteter", "Timer", "Deltakere"]]
            + [
                [k["label"], k["activities"], k["hours"], k["participants"]]
                for k in facts.get("hours_by_kind") or []
            ],
        ),
        (
            "Hospitering",
            [["Fra kommune", "Hospitert ved", "Personer", "Dager"]]
            + [
                [s["from_municipality"], s["host"], s["persons"], s["days"]]
                for s in facts.get("shadowing") or []
            ],
        ),
        (
            "Kompetanseplan",
            [["Krav", "Gjelder", "Oppfylt", "Prosent"]]
            + [
                [r["requirement"], r["applicable"], r["met"], r["percent"]]
                for r in (facts.get("competence") or {}).get("requirements") or []
            ],
        ),
        (
            "Mål",
            [["Hovedmål", "Delmål", "Beskrivelse", "Tiltak", "Måloppnåelse", "Kommentar"]]
            + [
                [
                    goal["main_goal"],
                    sub["label"],
                    sub["description"],
                    "; ".join(f"{a['letter']}) {a['text']}" for a in sub.get("actions") or []),
                    sub.get("achievement_label"),
                    sub.get("narrative"),
                ]
                for goal in facts.get("goals") or []
                for sub in goal.get("sub_goals") or []
            ],
        ),
        (
            "Resultatmål",
            [["Resultatmål", "Enhet", "Antall", "Mål"]]
            + [[i["name"], i["unit"], i["value"], i["target"]] for i in facts.get("indicators") or []],
        ),
        ("Økonomi", economy_rows()),
        (
            "Lokallag",
            [
                [
                    "Lokallag",
                    "Medlemmer per 31.12.",
                    "Året før",
                    "Endring",
                    "Nye",
                    "Sluttet",
                    "Kommuner med dekning",
                    "Kommuner i området",
                    "Samlinger",
                    "Timer per samling",
                    "Deltakere",
                    "Tema",
                ]
            ]
            + [chapter_row(chapter) for chapter in facts.get("chapters") or []],
        ),
    ]


def render_xlsx(content: Mapping[str, Any]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in _sheets(content["facts"]):
        sheet = workbook.create_sheet(title[:31])  # Excel's limit for a sheet name
        widths: dict[int, int] = {}
        for row_number, row in enumerate(rows, start=1):
            for column_number, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=column_number, value=value)
                if cell.data_type == "f":  # text that starts with "=" stays text
                    cell.data_type = "s"
                if row_number == 1:
                    cell.font = Font(bold=True)
                if isinstance(value, dt.date):
                    cell.number_format = "DD.MM.YYYY"
                widths[column_number] = max(widths.get(column_number, 0), len(str(value or "")))
        for column_number, width in widths.items():
            letter = sheet.cell(row=1, column=column_number).column_letter
            sheet.column_dimensions[letter].width = min(width + 3, 60)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
