"""Values of result indicators (resultatmål) over time: computed from Fagnett's own data or entered as
aggregate counts. The indicators page, the indicator's chart, the `plan_status` CLI and the annual report
read these facts.

How each computed source counts, for a period (a year, a quarter or a month):

- ACTIVITIES: the network's activities of the indicator's kinds (all kinds when none are chosen) starting in
  the period. Activities have no cancelled state; an activity that did not happen is deleted.
- PARTICIPANTS: at those activities, the persons marked attended plus the activity's count of other
  participants (not in the roster) — activities.stats counts the same two numbers, per activity.
- GUIDANCE: activities of kind guidance; COURSES: introductory courses and courses.
- SHADOWING_DAYS: the days of job-shadowing placements marked completed that start in the period (planned
  and cancelled placements have not happened).
- MEMBERS: distinct persons with an active resource-person membership on the period's last day, as
  networks.stats counts members at 31 December.
- NEWSLETTERS: the network's newsletters whose sending finished in the period (status sent), dated by when the
  last recipient was handled (or when the send was queued, for a send finished before that was recorded).

Entered indicators: a year's value is the value entered for the year, or the sum of the quarters or months
entered; None when nothing is entered.

Every function here reads in a fixed number of queries, whatever the number of indicators or years.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min
from django.utils import formats, timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Shadowing,
    ShadowingStatus,
)
from fagnett.networks.models import Membership, Network, Role
from fagnett.newsletters.models import Newsletter, NewsletterStatus
from fagnett.plans.models import Indicator, IndicatorPeriod, IndicatorSource, IndicatorValue, as_json_number

# How many years the indicator's chart goes back, the chosen year included.
CHART_YEARS = 10

ACTIVITY_SOURCES = frozenset(
    {
        IndicatorSource.ACTIVITIES,
        IndicatorSource.PARTICIPANTS,
        IndicatorSource.GUIDANCE,
        IndicatorSource.COURSES,
    }
)
COURSE_KINDS = frozenset({ActivityKind.INTRO_COURSE.value, ActivityKind.COURSE.value})
# Sources the form offers: every one.
AVAILABLE_SOURCES = tuple(IndicatorSource)


# --- Periods ---------------------------------------------------------------------------------------------


def periods_of(kind: str) -> list[int]:
    """The periods of a year for an entered indicator: 0 for the whole year, 1–4 quarters, 1–12 months."""
    if kind == IndicatorPeriod.QUARTER:
        return [1, 2, 3, 4]
    if kind == IndicatorPeriod.MONTH:
        return list(range(1, 13))
    return [0]


def period_code(kind: str, year: int, period: int) -> str:
    """The period as the import and export write it: "2024", "2024-K1" or "2024-03"."""
    if kind == IndicatorPeriod.QUARTER:
        return f"{year}-K{period}"
    if kind == IndicatorPeriod.MONTH:
        return f"{year}-{period:02d}"
    return str(year)


def period_label(kind: str, period: int) -> str:
    """The period as a person reads it: "1. kvartal", "januar", or "Året"."""
    if kind == IndicatorPeriod.QUARTER:
        return _("%(number)s. quarter") % {"number": period}
    if kind == IndicatorPeriod.MONTH:
        return str(MONTHS[period]).lower()
    return _("The whole year")


def number_text(value: Decimal | int | None) -> str:
    """A value as the pages show it: "12", "1 234", "12,5" in Norwegian; "–" for no value."""
    if value is None:
        return "–"
    number = Decimal(value).normalize()
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return formats.number_format(number, decimal_pos=min(places, 2), use_l10n=True, force_grouping=True)


# --- Values ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodValue:
    period: int
    code: str
    label: str
    value: Decimal | None


@dataclass(frozen=True)
class IndicatorYear:
    """One indicator's value for one year. `periods` lists every quarter or month of the year for entered
    indicators entered per quarter or month (value None where nothing is entered), else nothing. `months`
    holds a computed indicator's twelve monthly values (for members: the count at each month's end)."""

    year: int
    total: Decimal | None
    periods: tuple[PeriodValue, ...] = ()
    months: tuple[Decimal, ...] = ()


def months_of(kind: str, period: int) -> list[int]:
    """The months of a period: the whole year, quarter `period` or month `period`."""
    if kind == IndicatorPeriod.QUARTER:
        return [3 * period - 2, 3 * period - 1, 3 * period]
    if kind == IndicatorPeriod.MONTH:
        return [period]
    return list(range(1, 13))


def computed_value(indicator: Indicator, item: IndicatorYear, kind: str, period: int) -> Decimal | None:
    """A computed indicator's value for a year, a quarter or a month of `item`'s year: the sum of its months,
    or for members the count at the period's last day. None when the source is not available."""
    if not item.months:
        return None
    months = months_of(kind, period)
    if indicator.source == IndicatorSource.MEMBERS:
        return item.months[months[-1] - 1]
    return sum((item.months[month - 1] for month in months), Decimal(0))


def _activity_counts(
    indicator: Indicator, activities: Sequence[tuple[int, str, dt.date, int]], attended: dict[int, int]
) -> dict[tuple[int, int], Decimal]:
    """Per (year, month): the activities (or participants) an activity-based indicator counts."""
    source = indicator.source
    if source == IndicatorSource.GUIDANCE:
        kinds: frozenset[str] = frozenset({ActivityKind.GUIDANCE.value})
    elif source == IndicatorSource.COURSES:
        kinds = COURSE_KINDS
    else:
        kinds = frozenset(str(kind) for kind in indicator.activity_kinds or ())
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for pk, kind, starts_on, others in activities:
        if kinds and kind not in kinds:
            continue
        month = (starts_on.year, starts_on.month)
        if source == IndicatorSource.PARTICIPANTS:
            totals[month] += attended.get(pk, 0) + others
        else:
            totals[month] += 1
    return totals


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, 12, 31) if month == 12 else dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def _summed(year: int, monthly: dict[tuple[int, int], Decimal]) -> IndicatorYear:
    months = tuple(monthly.get((year, month), Decimal(0)) for month in range(1, 13))
    return IndicatorYear(year, sum(months, Decimal(0)), months=months)


def _members_on(memberships: Sequence[tuple[int, dt.date, dt.date | None]], day: dt.date) -> int:
    return len({person for person, start, end in memberships if start <= day and (end is None or end >= day)})


def indicator_years(
    network: Network, indicators: Sequence[Indicator], first_year: int, last_year: int
) -> dict[int, dict[int, IndicatorYear]]:
    """{indicator pk: {year: IndicatorYear}} for every year from `first_year` to `last_year`.

    At most six queries: activities, attendances, job shadowing, newsletters, memberships and entered values,
    each only when an indicator needs it.
    """
    first, last = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    sources = {indicator.source for indicator in indicators}
    years = range(first_year, last_year + 1)

    activities: list[tuple[int, str, dt.date, int]] = []
    if sources & ACTIVITY_SOURCES:
        activities = list(
            Activity.objects.filter(network=network, starts_on__gte=first, starts_on__lte=last)
            .order_by()
            .values_list("pk", "kind", "starts_on", "other_participants")
        )
    attended: dict[int, int] = {}
    if IndicatorSource.PARTICIPANTS in sources:
        attended = dict(
            Attendance.objects.filter(
                activity__network=network,
                activity__starts_on__gte=first,
                activity__starts_on__lte=last,
                status=AttendanceStatus.ATTENDED,
            )
            .order_by()
            .values("activity_id")
            .annotate(count=Count("pk"))
            .values_list("activity_id", "count")
        )
    shadowing_days: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    if IndicatorSource.SHADOWING_DAYS in sources:
        for starts_on, days in Shadowing.objects.filter(
            network=network, starts_on__gte=first, starts_on__lte=last, status=ShadowingStatus.DONE
        ).values_list("starts_on", "days"):
            shadowing_days[(starts_on.year, starts_on.month)] += days
    newsletters: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    if IndicatorSource.NEWSLETTERS in sources:
        for finished, queued in Newsletter.objects.filter(
            network=network, status=NewsletterStatus.SENT
        ).values_list("finished_at", "queued_at"):
            moment = finished or queued
            if moment is None:
                continue
            day = timezone.localdate(moment)
            if first <= day <= last:
                newsletters[(day.year, day.month)] += 1
    memberships: list[tuple[int, dt.date, dt.date | None]] = []
    if IndicatorSource.MEMBERS in sources:
        memberships = list(
            Membership.objects.filter(network=network, role__code=Role.RESOURCE_PERSON, start__lte=last)
            .exclude(end__lt=first)
            .values_list("person_id", "start", "end")
        )
    entered = [indicator for indicator in indicators if not indicator.is_computed]
    values: dict[tuple[int, int, int], Decimal] = {}
    if entered:
        values = {
            (indicator_id, year, period): value
            for indicator_id, year, period, value in IndicatorValue.objects.filter(
                indicator__in=entered, year__gte=first_year, year__lte=last_year
            ).values_list("indicator_id", "year", "period", "value")
        }

    members: dict[int, IndicatorYear] = {}
    if memberships:
        for year in years:
            counts = tuple(
                Decimal(_members_on(memberships, _month_end(year, month))) for month in range(1, 13)
            )
            members[year] = IndicatorYear(year, counts[-1], months=counts)

    result: dict[int, dict[int, IndicatorYear]] = {}
    for indicator in indicators:
        source = indicator.source
        by_year: dict[int, IndicatorYear] = {}
        if source in ACTIVITY_SOURCES:
            totals = _activity_counts(indicator, activities, attended)
            by_year = {year: _summed(year, totals) for year in years}
        elif source == IndicatorSource.SHADOWING_DAYS:
            by_year = {year: _summed(year, shadowing_days) for year in years}
        elif source == IndicatorSource.MEMBERS:
            zeros = tuple(Decimal(0) for _month in range(12))
            by_year = {
                year: members.get(year, IndicatorYear(year, Decimal(0), months=zeros)) for year in years
            }
        elif source == IndicatorSource.NEWSLETTERS:
            by_year = {year: _summed(year, newsletters) for year in years}
        else:
            by_year = {year: _entered_year(indicator, year, values) for year in years}
        result[indicator.pk] = by_year
    return result


def _entered_year(
    indicator: Indicator, year: int, values: dict[tuple[int, int, int], Decimal]
) -> IndicatorYear:
    kind = indicator.period
    if kind == IndicatorPeriod.YEAR:
        return IndicatorYear(year, values.get((indicator.pk, year, 0)))
    periods = tuple(
        PeriodValue(
            period=period,
            code=period_code(kind, year, period),
            label=period_label(kind, period),
            value=values.get((indicator.pk, year, period)),
        )
        for period in periods_of(kind)
    )
    entered = [item.value for item in periods if item.value is not None]
    return IndicatorYear(year, sum(entered, Decimal(0)) if entered else None, periods)


# --- The indicators page and the facts ---------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    """One row of the "Resultatmål | Antall" table for a year."""

    indicator: Indicator
    value: IndicatorYear
    footnote_mark: str  # "*", "**", … when the indicator has a footnote, else ""

    @property
    def target(self) -> Decimal | None:
        return self.indicator.yearly_target

    @property
    def reached(self) -> bool | None:
        """Whether the year's value reached the target; None without a target or a value."""
        if self.target is None or self.value.total is None:
            return None
        return self.value.total >= self.target

    @property
    def value_text(self) -> str:
        return number_text(self.value.total)

    @property
    def target_text(self) -> str:
        return number_text(self.target)


def network_indicators(network: Network) -> list[Indicator]:
    return list(Indicator.objects.filter(network=network).order_by("position", "name", "pk"))


def year_rows(
    network: Network, year: int, indicators: Iterable[Indicator] | None = None
) -> list[IndicatorRow]:
    """Every indicator of the network with its value for `year`, in the network's order. Fixed queries."""
    chosen = network_indicators(network) if indicators is None else list(indicators)
    values = indicator_years(network, chosen, year, year)
    rows = []
    marks = 0
    for indicator in chosen:
        mark = ""
        if indicator.footnote:
            marks += 1
            mark = "*" * marks
        rows.append(IndicatorRow(indicator=indicator, value=values[indicator.pk][year], footnote_mark=mark))
    return rows


def indicators_year_facts(network: Network, year: int) -> list[dict[str, Any]]:
    """One JSON-ready dict per indicator, in order (the `plan_status` CLI and the annual report read these
    keys): name, unit, source (code), computed, value (the year's total; for members the year-end count;
    None when nothing is entered or the source is not available), target, periods (entered quarters or
    months with a value), footnote."""
    facts = []
    for row in year_rows(network, year):
        indicator = row.indicator
        facts.append(
            {
                "name": indicator.name,
                "unit": indicator.unit,
                "source": indicator.source,
                "computed": indicator.is_computed,
                "value": as_json_number(row.value.total),
                "target": as_json_number(indicator.yearly_target),
                "periods": [
                    {"period": item.code, "value": as_json_number(item.value)}
                    for item in row.value.periods
                    if item.value is not None
                ],
                "footnote": indicator.footnote,
            }
        )
    return facts


# --- One indicator over time ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorHistory:
    indicator: Indicator
    year: int
    years: list[IndicatorYear]  # oldest first, ending with `year`
    current: IndicatorYear  # the chosen year, with its quarters or months for entered indicators


def _first_year(network: Network, indicator: Indicator) -> int | None:
    """The year of the indicator's first data: its first activity, placement, membership or entered value."""
    source = indicator.source
    first: dt.date | int | None = None
    if source in ACTIVITY_SOURCES:
        activities = Activity.objects.filter(network=network)
        if source == IndicatorSource.GUIDANCE:
            activities = activities.filter(kind=ActivityKind.GUIDANCE)
        elif source == IndicatorSource.COURSES:
            activities = activities.filter(kind__in=COURSE_KINDS)
        elif indicator.activity_kinds:
            activities = activities.filter(kind__in=indicator.activity_kinds)
        first = activities.aggregate(first=Min("starts_on"))["first"]
    elif source == IndicatorSource.SHADOWING_DAYS:
        first = Shadowing.objects.filter(network=network, status=ShadowingStatus.DONE).aggregate(
            first=Min("starts_on")
        )["first"]
    elif source == IndicatorSource.MEMBERS:
        first = Membership.objects.filter(network=network, role__code=Role.RESOURCE_PERSON).aggregate(
            first=Min("start")
        )["first"]
    elif source == IndicatorSource.ENTERED:
        first = IndicatorValue.objects.filter(indicator=indicator).aggregate(first=Min("year"))["first"]
    if isinstance(first, dt.date):
        return first.year
    return first


def indicator_history(network: Network, indicator: Indicator, year: int) -> IndicatorHistory:
    """The indicator's values from the year of its first data to `year`, at most the last CHART_YEARS years.
    Fixed queries: the first year, then the values."""
    first = _first_year(network, indicator)
    start = year if first is None or first > year else max(first, year - CHART_YEARS + 1, 1950)
    by_year = indicator_years(network, [indicator], start, year)[indicator.pk]
    return IndicatorHistory(
        indicator=indicator,
        year=year,
        years=[by_year[number] for number in range(start, year + 1)],
        current=by_year[year],
    )
