"""Server-rendered bar charts of evaluation results, as inline SVG (ARCHITECTURE.md §10).

A chart never carries meaning by colour alone: every bar has its label above it and its number beside it as
text, and the page puts a table with the same numbers next to the chart. The SVG is an image to assistive
technology (role="img") named by its <title> and described by its <desc>. Bars are stacked under their
labels in a narrow drawing, so the text stays legible when the chart shrinks to a 375 px phone; the table
holds the full labels that a long option text is cut short of here.

The same markup goes into the page and the PDF (WeasyPrint draws inline SVG), so nothing here refers to a
stylesheet or any other resource.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from fagnett.evaluations.models import SCALE_MAX, SCALE_MIN
from fagnett.evaluations.results import Bar, Comparison, EvaluationResults, QuestionResult

WIDTH = 320
VALUE_SPACE = 92  # room right of the longest bar for "999 (100 %)"
ROW_HEIGHT = 42
LABEL_SIZE = 13
BAR_HEIGHT = 16
MAX_LABEL = 44
# A dark blue with more than 3:1 contrast against white (WCAG 1.4.11, graphical objects).
BAR_COLOUR = "#1e5aa0"


@dataclass(frozen=True)
class ChartBar:
    label: str
    # How much of the full bar width this bar fills, 0..1.
    fraction: float
    value_label: str


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def bar_chart(bars: Sequence[ChartBar], *, chart_id: str, title: str, description: str) -> SafeString:
    """A horizontal bar chart: each bar under its label, with its value as text at its end."""
    height = ROW_HEIGHT * len(bars) + 4
    track = WIDTH - VALUE_SPACE
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fn-chart" role="img" width="100%" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for index, bar in enumerate(bars):
        top = index * ROW_HEIGHT
        width = round(max(0.0, min(1.0, bar.fraction)) * track, 1)
        parts.append(
            f'<text x="0" y="{top + LABEL_SIZE}" font-size="{LABEL_SIZE}" fill="currentColor">'
            f"{escape(_short(bar.label))}</text>"
        )
        # A hairline marks where a bar starts, so an empty bar (zero) is still seen to be one.
        parts.append(
            f'<rect x="0" y="{top + LABEL_SIZE + 4}" width="1" height="{BAR_HEIGHT}" fill="currentColor"/>'
        )
        if width > 0:
            parts.append(
                f'<rect x="0" y="{top + LABEL_SIZE + 4}" width="{width}" height="{BAR_HEIGHT}" '
                f'fill="{BAR_COLOUR}"/>'
            )
        parts.append(
            f'<text x="{width + 6}" y="{top + LABEL_SIZE + 4 + BAR_HEIGHT - 3}" font-size="{LABEL_SIZE}" '
            f'fill="currentColor">{escape(bar.value_label)}</text>'
        )
    parts.append("</svg>")
    # Safe: every text that came from the database or a translation was escaped above.
    return mark_safe("".join(parts))  # noqa: S308


def count_label(count: int, percent: int | None) -> str:
    """ "12 (40 %)", the number and its share as the table shows them."""
    if percent is None:
        return str(count)
    return f"{count} ({percent}\u00a0%)"


def mean_label(value: Decimal | float) -> str:
    """A mean with one decimal in the active language's format (3,5 in Norwegian)."""
    return formats.number_format(value, 1)


def scale_label(question: QuestionResult, value: str) -> str:
    """ "1 – Not at all" at the ends of a scale with labels, the bare number between them."""
    if value == str(SCALE_MIN) and question.scale_min_label:
        return f"{value} – {question.scale_min_label}"
    if value == str(SCALE_MAX) and question.scale_max_label:
        return f"{value} – {question.scale_max_label}"
    return value


def _distribution_chart(question: QuestionResult, rows: Sequence[tuple[str, Bar]]) -> SafeString:
    """The chart of a question's distribution, its bars labelled as the table's rows."""
    bars = [
        ChartBar(label=label, fraction=float(bar.share or 0), value_label=count_label(bar.count, bar.percent))
        for label, bar in rows
    ]
    summary = "; ".join(f"{bar.label}: {bar.value_label}" for bar in bars)
    if question.is_scale and question.mean is not None:
        description = _("Answers per value, mean %(mean)s: %(values)s.") % {
            "mean": mean_label(question.mean),
            "values": summary,
        }
    else:
        description = _("Answers per option: %(values)s.") % {"values": summary}
    return bar_chart(bars, chart_id=f"fn-chart-{question.pk}", title=question.text, description=description)


def comparison_chart(result: Comparison) -> SafeString | None:
    """Each activity's mean on the 1–5 scale; activities with suppressed results show a dash."""
    if not result.rows:
        return None
    bars = [
        ChartBar(
            label=f"{row.starts_on:%d.%m.%Y} {row.activity_title}",
            fraction=0.0 if row.mean is None else float(row.mean) / SCALE_MAX,
            value_label="–" if row.mean is None else mean_label(row.mean),
        )
        for row in result.rows
    ]
    summary = "; ".join(f"{bar.label}: {bar.value_label}" for bar in bars)
    return bar_chart(
        bars,
        chart_id="fn-chart-comparison",
        title=_("Mean per activity: %(question)s") % {"question": result.question},
        description=_("Mean on the scale 1 to 5 per activity: %(values)s.") % {"values": summary},
    )


@dataclass(frozen=True)
class QuestionDisplay:
    """A question as the page and the PDF show it: its chart and its table's rows (label, bar)."""

    question: QuestionResult
    chart: SafeString | None
    rows: tuple[tuple[str, Bar], ...]


def question_displays(results: EvaluationResults) -> list[QuestionDisplay]:
    """No chart and no rows for free text and for suppressed results (no distribution)."""
    displays: list[QuestionDisplay] = []
    for question in results.questions:
        if question.distribution is None:
            displays.append(QuestionDisplay(question, None, ()))
            continue
        rows = tuple(
            (scale_label(question, bar.label) if question.is_scale else bar.label, bar)
            for bar in question.distribution
        )
        displays.append(QuestionDisplay(question, _distribution_chart(question, rows), rows))
    return displays
