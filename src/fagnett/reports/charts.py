"""The annual report's charts, drawn from the facts dict alone (ARCHITECTURE.md §5, §10).

Five charts: members at 31 December over the last five years, coverage (municipalities and units covered),
hours by activity kind, competence-plan fulfilment per requirement, and evaluation means. Each is one
`Chart`: its rows are both the bars and the table printed beside it, so the numbers a chart shows are always
also there as text. The web page and the PDF draw the chart as inline SVG in the house style
(evaluations.charts.bar_chart); the Word document gets the same bars as a PNG drawn with Pillow, since Word
cannot show inline SVG reliably.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from fagnett.evaluations.charts import BAR_COLOUR, ChartBar, bar_chart, mean_label
from fagnett.plans.indicator_values import number_text

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SCALE_MAX = 5  # evaluation scales run 1–5 (evaluations.models.SCALE_MAX)
CHART_KEYS = ("members", "coverage", "hours", "competence", "evaluations")


@dataclass(frozen=True)
class ChartRow:
    label: str
    cells: tuple[str, ...]  # the table's cells after the label, one per Chart.columns
    fraction: float  # how much of the full bar this row fills, 0..1
    value_label: str  # the text at the end of the bar


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    label_heading: str  # the heading of the table's first column (the bars' labels)
    columns: tuple[str, ...]
    rows: tuple[ChartRow, ...]

    @property
    def chart_id(self) -> str:
        return f"fn-report-chart-{self.key}"

    @property
    def description(self) -> str:
        values = "; ".join(f"{row.label}: {row.value_label}" for row in self.rows)
        return _("Values: %(values)s.") % {"values": values}

    def svg(self) -> SafeString:
        bars = [ChartBar(row.label, row.fraction, row.value_label) for row in self.rows]
        return bar_chart(bars, chart_id=self.chart_id, title=self.title, description=self.description)

    def png(self) -> bytes:
        return _draw_png(self)


def number(value: Any) -> str:
    """A JSON number as the documents show it ("12", "6,5", "1 234"); "–" for none."""
    if value is None or value == "":
        return "–"
    return number_text(Decimal(str(value)))


def _percent(part: Any, whole: Any) -> int | None:
    if not whole:
        return None
    return round(100 * float(part or 0) / float(whole))


def _share_label(part: Any, whole: Any) -> str:
    percent = _percent(part, whole)
    text = _("%(part)s of %(whole)s") % {"part": number(part), "whole": number(whole)}
    return text if percent is None else f"{text} ({percent}\u00a0%)"


def _fraction(value: Any, largest: float) -> float:
    if value is None or largest <= 0:
        return 0.0
    return max(0.0, min(1.0, float(value) / largest))


def members_chart(facts: Mapping[str, Any]) -> Chart | None:
    years = facts.get("members", {}).get("by_year") or []
    if not years:
        return None
    largest = max(float(item["members"] or 0) for item in years)
    rows = tuple(
        ChartRow(
            label=str(item["year"]),
            cells=(number(item["members"]),),
            fraction=_fraction(item["members"], largest),
            value_label=number(item["members"]),
        )
        for item in years
    )
    return Chart(
        "members", _("Members at 31 December, the last five years"), _("Year"), (_("Members"),), rows
    )


def coverage_chart(facts: Mapping[str, Any]) -> Chart | None:
    coverage = facts.get("coverage") or {}
    pairs = [
        (_("Municipalities"), coverage.get("municipalities_covered"), coverage.get("municipalities_total")),
        (_("Hospital units"), coverage.get("units_covered"), coverage.get("units_total")),
    ]
    rows = tuple(
        ChartRow(
            label=label,
            cells=(number(covered), number(total), f"{_percent(covered, total)}\u00a0%"),
            fraction=_fraction(covered, float(total)),
            value_label=_share_label(covered, total),
        )
        for label, covered, total in pairs
        if total
    )
    if not rows:
        return None
    return Chart(
        "coverage",
        _("Coverage: covered of all in the area"),
        _("Part of the area"),
        (_("Covered"), _("Total"), _("Share")),
        rows,
    )


def hours_chart(facts: Mapping[str, Any]) -> Chart | None:
    kinds = [item for item in facts.get("hours_by_kind") or [] if item.get("activities")]
    if not kinds:
        return None
    largest = max(float(item["hours"] or 0) for item in kinds)
    rows = tuple(
        ChartRow(
            label=str(item["label"]),
            cells=(number(item["activities"]), number(item["hours"]), number(item["participants"])),
            fraction=_fraction(item["hours"], largest),
            value_label=_("%(hours)s h") % {"hours": number(item["hours"])},
        )
        for item in kinds
    )
    return Chart(
        "hours",
        _("Hours by activity kind"),
        _("Activity kind"),
        (_("Activities"), _("Hours"), _("Participants")),
        rows,
    )


def competence_chart(facts: Mapping[str, Any]) -> Chart | None:
    requirements = (facts.get("competence") or {}).get("requirements") or []
    if not requirements:
        return None
    rows = tuple(
        ChartRow(
            label=str(item["requirement"]),
            cells=(
                number(item["applicable"]),
                number(item["met"]),
                "–" if item.get("percent") is None else f"{number(item['percent'])}\u00a0%",
            ),
            fraction=_fraction(item.get("percent"), 100),
            value_label=_share_label(item["met"], item["applicable"]),
        )
        for item in requirements
    )
    return Chart(
        "competence",
        _("Competence-plan fulfilment per requirement"),
        _("Requirement"),
        (_("Applies to"), _("Met"), _("Share met")),
        rows,
    )


def evaluations_chart(facts: Mapping[str, Any]) -> Chart | None:
    rows = []
    for evaluation in facts.get("evaluations") or []:
        for question in evaluation.get("questions") or []:
            mean = question.get("mean")
            rows.append(
                ChartRow(
                    label=f"{evaluation['activity']}: {question['text']}",
                    cells=(
                        number(question.get("responses")),
                        "–" if mean is None else mean_label(Decimal(str(mean))),
                    ),
                    fraction=_fraction(mean, SCALE_MAX),
                    # A suppressed mean (too few answers) is a dash, never a short bar.
                    value_label="–" if mean is None else mean_label(Decimal(str(mean))),
                )
            )
    if not rows:
        return None
    return Chart(
        "evaluations",
        _("Evaluation means on the scale 1 to 5"),
        _("Activity and question"),
        (_("Responses"), _("Mean")),
        tuple(rows),
    )


def report_charts(facts: Mapping[str, Any]) -> dict[str, Chart]:
    """The charts that have something to show, by key (CHART_KEYS)."""
    makers = {
        "members": members_chart,
        "coverage": coverage_chart,
        "hours": hours_chart,
        "competence": competence_chart,
        "evaluations": evaluations_chart,
    }
    charts = {key: make(facts) for key, make in makers.items()}
    return {key: chart for key, chart in charts.items() if chart is not None}


# --- PNG for the Word document --------------------------------------------------------------------------

PNG_WIDTH = 1200
PNG_MARGIN = 24
PNG_ROW = 84
PNG_BAR = 30
PNG_VALUE_SPACE = 300


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _fit(draw: ImageDraw.ImageDraw, text: str, font: Any, width: int) -> str:
    """`text`, cut with an ellipsis to fit `width` pixels (the table beside the image holds it whole)."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _draw_png(chart: Chart) -> bytes:
    title_font, font = _font(30, bold=True), _font(26)
    top = PNG_MARGIN + 50
    height = top + PNG_ROW * len(chart.rows) + PNG_MARGIN
    image = Image.new("RGB", (PNG_WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    inner = PNG_WIDTH - 2 * PNG_MARGIN
    draw.text(
        (PNG_MARGIN, PNG_MARGIN), _fit(draw, chart.title, title_font, inner), fill="#111111", font=title_font
    )
    track = inner - PNG_VALUE_SPACE
    for index, row in enumerate(chart.rows):
        y = top + index * PNG_ROW
        draw.text((PNG_MARGIN, y), _fit(draw, row.label, font, inner), fill="#111111", font=font)
        bar_top = y + 36
        width = round(max(0.0, min(1.0, row.fraction)) * track)
        # The hairline at the start shows a zero as a bar of no length, as in the SVG.
        draw.rectangle((PNG_MARGIN, bar_top, PNG_MARGIN + 1, bar_top + PNG_BAR), fill="#111111")
        if width > 0:
            draw.rectangle((PNG_MARGIN, bar_top, PNG_MARGIN + width, bar_top + PNG_BAR), fill=BAR_COLOUR)
        draw.text((PNG_MARGIN + width + 12, bar_top), row.value_label, fill="#111111", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
