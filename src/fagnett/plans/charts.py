"""The chart of a result indicator over time, as inline SVG.

It reuses evaluations.charts.bar_chart (the house style: each bar under its label with its value written at
its end, role="img" with <title> and <desc>, no colour-only meaning). The page puts a table with the same
numbers and the target right after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from fagnett.evaluations.charts import ChartBar, bar_chart
from fagnett.plans.indicator_values import number_text


def indicator_chart(
    *,
    chart_id: str,
    title: str,
    unit: str,
    rows: Sequence[tuple[str, Decimal | None]],
    target: Decimal | None = None,
) -> SafeString | None:
    """Bars for `rows` (label, value); None when there is nothing to draw. The longest bar is the largest
    value or the target, whichever is larger, so bars of different charts are not compared by length."""
    if not rows:
        return None
    largest = max([value for _label, value in rows if value is not None] + [target or Decimal(0)])

    def value_label(value: Decimal | None) -> str:
        if value is None:
            return _("no value")
        return f"{number_text(value)} {unit}".strip()

    bars = [
        ChartBar(
            label=label,
            fraction=float(value / largest) if value is not None and largest > 0 else 0.0,
            value_label=value_label(value),
        )
        for label, value in rows
    ]
    summary = "; ".join(f"{bar.label}: {bar.value_label}" for bar in bars)
    if target is None:
        description = _("Values: %(values)s.") % {"values": summary}
    else:
        description = _("Values: %(values)s. Target per year: %(target)s.") % {
            "values": summary,
            "target": number_text(target),
        }
    return bar_chart(bars, chart_id=chart_id, title=title, description=description)
