"""Server-rendered SVG charts: no JavaScript, nothing from other hosts.

A grouped horizontal bar chart shows a share (0–100 %) per group and series. It is readable without colour:
each series has its own fill (solid or hatched), every bar has its value written beside it together with the
series' name, and a legend repeats the fills. The SVG is an image with a title and description; the page puts
a table with the same numbers right after it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 360
LABEL_HEIGHT = 22  # the group's name, above its bars
BAR_HEIGHT = 20
BAR_GAP = 4
GROUP_GAP = 16
LEGEND_HEIGHT = 30
# Room for "2024: 100 %" or "2024: no figures" right of the longest bar.
TEXT_ROOM = 120
BAR_WIDTH = WIDTH - TEXT_ROOM
LABEL_CHARS = 46


@dataclass(frozen=True)
class Series:
    label: str
    hatched: bool = False


@dataclass(frozen=True)
class Group:
    label: str
    values: tuple[int | None, ...]  # one per series, in percent; None: no value (the text says why)


def _shorten(text: str) -> str:
    # SVG text does not wrap; the table after the chart has the whole name.
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _fill_class(series: Series) -> str:
    # The hatched bars take their fill from the pattern; a CSS fill would override it.
    return "fn-competence-chart__bar--hatched" if series.hatched else "fn-competence-chart__bar--solid"


def _value_text(series: Series, value: int | None, missing: str) -> str:
    shown = missing if value is None else _("%(percent)s%%") % {"percent": value}
    return _("%(series)s: %(value)s") % {"series": series.label, "value": shown}


def grouped_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: tuple[Series, ...],
    groups: tuple[Group, ...],
    missing: str,
) -> SafeString:
    """An inline SVG of horizontal bars, one group per row of `groups`, one bar per series."""
    parts: list[str] = []
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    hatch_id = f"{chart_id}-hatch"

    # Legend: a swatch and the series' name for each series.
    x = 0
    for item in series:
        parts.append(
            format_html(
                '<rect class="fn-competence-chart__bar {}" x="{}" y="4" width="18" height="18"{}/>'
                '<text class="fn-competence-chart__text" x="{}" y="18">{}</text>',
                _fill_class(item),
                x,
                format_html(' fill="url(#{})"', hatch_id) if item.hatched else "",
                x + 24,
                item.label,
            )
        )
        x += 24 + 10 * len(item.label) + 24

    y = LEGEND_HEIGHT + 8
    for group in groups:
        parts.append(
            format_html(
                '<text class="fn-competence-chart__label" x="0" y="{}">{}</text>',
                y + 15,
                _shorten(group.label),
            )
        )
        y += LABEL_HEIGHT
        for item, value in zip(series, group.values, strict=True):
            width = round(BAR_WIDTH * (value or 0) / 100)
            if width:
                parts.append(
                    format_html(
                        '<rect class="fn-competence-chart__bar {}" x="0" y="{}" width="{}" height="{}"{}/>',
                        _fill_class(item),
                        y,
                        width,
                        BAR_HEIGHT,
                        format_html(' fill="url(#{})"', hatch_id) if item.hatched else "",
                    )
                )
            parts.append(
                format_html(
                    '<text class="fn-competence-chart__text" x="{}" y="{}">{}</text>',
                    width + 6,
                    y + 15,
                    _value_text(item, value, missing),
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
    height = y

    # Diagonal lines on a light ground, outlined like the solid bars, so the two series differ in shape.
    defs = format_html(
        '<defs><pattern id="{}" patternUnits="userSpaceOnUse" width="8" height="8" '
        'patternTransform="rotate(45)">'
        '<rect class="fn-competence-chart__hatch-ground" width="8" height="8"/>'
        '<rect class="fn-competence-chart__hatch-line" width="3" height="8"/></pattern></defs>',
        hatch_id,
    )
    head = format_html(
        '<svg class="fn-competence-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{} {}" focusable="false"><title id="{}">{}</title><desc id="{}">{}</desc>',
        WIDTH,
        height,
        title_id,
        desc_id,
        title_id,
        title,
        desc_id,
        description,
    )
    # Every piece above is built with format_html, which escapes what it inserts.
    return mark_safe(head + defs + "".join(parts) + "</svg>")  # noqa: S308
