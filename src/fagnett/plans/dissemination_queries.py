"""Reads of dissemination plans: the plan's table for a year (the page, XLSX and PDF) and the year's facts
that the `plan_status` command and the annual report share.

Every function here runs a fixed number of queries, however many measures and activities there are: measures
with their category and target groups, the year's statuses, and the activities that carry the measures out
(explicitly linked, or of a kind the measure counts) are each loaded in one query and put together in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fagnett.activities.models import Activity, ActivityKind
from fagnett.core.years import requested_year
from fagnett.networks.models import Network
from fagnett.newsletters.models import NewsletterStatus
from fagnett.plans.models import DisseminationPlan, Measure, MeasureStatus, MeasureYear, TargetGroup


def shown_year(plan: DisseminationPlan, value: str | None, today: dt.date) -> int:
    """The year asked for in ?aar= if it is a year of the plan's period; otherwise this year, or the period's
    nearest end when this year is outside it."""
    year = requested_year(value)
    if year is not None and plan.start_year <= year <= plan.end_year:
        return year
    return min(max(today.year, plan.start_year), plan.end_year)


def period_text(start: int, end: int) -> str:
    return str(start) if start == end else f"{start}–{end}"


def timeframe_text(measure: Measure, plan: DisseminationPlan) -> str:
    """As the seeds write it: "2024–2034", "Løpende", "Løpende fra 2021", with the note after it."""
    if measure.ongoing:
        if measure.from_year is None:
            base = _("Continuous")
        else:
            base = _("Continuous from %(year)s") % {"year": measure.from_year}
    elif measure.from_year is None and measure.to_year is None:
        # No years: the plan's whole period, unless a note says it better ("Oppdateres ved behov").
        base = "" if measure.timeframe_note else period_text(plan.start_year, plan.end_year)
    else:
        start = measure.from_year if measure.from_year is not None else plan.start_year
        end = measure.to_year if measure.to_year is not None else plan.end_year
        base = period_text(start, end)
    note = measure.timeframe_note.strip()
    if base and note:
        return f"{base} ({note})"
    return base or note


def target_text(minimum: int | None, maximum: int | None) -> str:
    """How often the measure should happen: "mål 2–4/år", "mål minst 2/år", "mål høyst 4/år"."""
    if minimum is not None and maximum is not None:
        if minimum == maximum:
            return _("target %(count)s a year") % {"count": minimum}
        return _("target %(min)s–%(max)s a year") % {"min": minimum, "max": maximum}
    if minimum is not None:
        return _("target at least %(count)s a year") % {"count": minimum}
    if maximum is not None:
        return _("target at most %(count)s a year") % {"count": maximum}
    return ""


def target_groups_in_order(groups: Iterable[TargetGroup]) -> list[TargetGroup]:
    """Built-in groups in their fixed order (P, H, B, R), then the network's own by code."""
    return sorted(
        groups,
        key=lambda group: (
            group.network_id is not None,
            group.pk if group.network_id is None else 0,
            group.code.lower(),
        ),
    )


def measures_of(queryset: QuerySet[Measure]) -> list[Measure]:
    """Measures with plan, category and target groups: three queries."""
    return list(
        queryset.select_related("plan", "category").prefetch_related(
            Prefetch("target_groups", queryset=TargetGroup.objects.all())
        )
    )


@dataclass
class LinkedActivities:
    """(measure pk, year) → how many distinct activities carry the measure out, and which measures have
    activities linked by hand in any year (so that a page can show "0 in 2024" rather than nothing)."""

    counts: dict[tuple[int, int], int]
    linked: set[int]


def linked_activities(
    network: Network, measures: Sequence[Measure], years: Iterable[int]
) -> LinkedActivities:
    """What carried each measure out in each year: the network's activities starting in the year that are
    linked to the measure or of a kind it counts, and the newsletters linked to it whose sending finished in
    the year. Each counts once per measure. At most three queries. Activities have no cancelled state, so
    every stored activity counts."""
    wanted = set(years)
    if not measures or not wanted:
        return LinkedActivities({}, set())
    # Keys are ("activity", pk) and ("newsletter", pk), so the two kinds of id never collide.
    found: dict[tuple[int, int], set[tuple[str, int]]] = defaultdict(set)
    linked: set[int] = set()
    measure_ids = [measure.pk for measure in measures]
    explicit = Measure.activities.through.objects.filter(
        measure_id__in=measure_ids, activity__network=network
    ).values_list("measure_id", "activity_id", "activity__starts_on")
    for measure_id, activity_id, starts_on in explicit:
        linked.add(measure_id)
        if starts_on.year in wanted:
            found[(measure_id, starts_on.year)].add(("activity", activity_id))
    newsletters = Measure.newsletters.through.objects.filter(
        measure_id__in=measure_ids, newsletter__network=network
    ).values_list("measure_id", "newsletter_id", "newsletter__status", "newsletter__finished_at")
    for measure_id, newsletter_id, status, finished_at in newsletters:
        linked.add(measure_id)
        if status == NewsletterStatus.SENT and finished_at is not None:
            year = timezone.localdate(finished_at).year
            if year in wanted:
                found[(measure_id, year)].add(("newsletter", newsletter_id))
    kinds_of = {
        measure.pk: {kind for kind in measure.activity_kinds if kind in ActivityKind.values}
        for measure in measures
    }
    all_kinds = set().union(*kinds_of.values())
    if all_kinds:
        first, last = dt.date(min(wanted), 1, 1), dt.date(max(wanted), 12, 31)
        by_kind: dict[tuple[str, int], list[int]] = defaultdict(list)
        rows = Activity.objects.filter(
            network=network, kind__in=sorted(all_kinds), starts_on__range=(first, last)
        ).values_list("pk", "kind", "starts_on")
        for activity_id, kind, starts_on in rows:
            if starts_on.year in wanted:
                by_kind[(kind, starts_on.year)].append(activity_id)
        for measure_id, kinds in kinds_of.items():
            for kind in kinds:
                for year in wanted:
                    found[(measure_id, year)].update(("activity", pk) for pk in by_kind.get((kind, year), ()))
    return LinkedActivities({key: len(ids) for key, ids in found.items()}, linked)


@dataclass(frozen=True)
class GroupLabel:
    code: str
    name: str


@dataclass
class MeasureRow:
    pk: int
    plan_title: str
    plan_period: str
    category: str
    title: str
    target_groups: list[GroupLabel]
    means: list[str]
    timeframe: str
    priority_area: bool
    is_new: bool
    applies: bool
    status: str | None
    status_label: str | None
    comment: str
    linked_count: int
    counts_activities: bool
    per_year_min: int | None
    per_year_max: int | None
    target: str
    from_year: int | None
    to_year: int | None
    ongoing: bool

    def facts(self) -> dict[str, Any]:
        """The keys `plan_status` and the annual report read; keep them as they are."""
        return {
            "plan": self.plan_title,
            "plan_period": self.plan_period,
            "category": self.category,
            "title": self.title,
            "target_groups": [group.code for group in self.target_groups],
            "means": list(self.means),
            "timeframe": self.timeframe,
            "priority_area": self.priority_area,
            "is_new": self.is_new,
            "status": self.status,
            "status_label": self.status_label,
            "comment": self.comment,
            "linked_count": self.linked_count,
            "per_year_min": self.per_year_min,
            "per_year_max": self.per_year_max,
        }


@dataclass
class CategoryGroup:
    name: str
    rows: list[MeasureRow] = field(default_factory=list)


@dataclass
class PlanTable:
    plan: DisseminationPlan
    year: int
    years: list[int]
    groups: list[CategoryGroup]
    legend: list[GroupLabel]
    measure_count: int

    @property
    def period(self) -> str:
        return period_text(self.plan.start_year, self.plan.end_year)

    @property
    def rows(self) -> list[MeasureRow]:
        return [row for group in self.groups for row in group.rows]


def _in_table_order(measures: list[Measure]) -> list[Measure]:
    """Plans newest first; within a plan grouped by category, the categories in the order their first measure
    comes (the seeds' tables), then by position."""
    plans = sorted({measure.plan for measure in measures}, key=lambda p: (-p.start_year, p.title, p.pk))
    plan_index = {plan.pk: index for index, plan in enumerate(plans)}
    first_seen: dict[tuple[int, int], int] = {}
    for index, measure in enumerate(sorted(measures, key=lambda m: (m.position, m.pk))):
        first_seen.setdefault((measure.plan_id, measure.category_id), index)
    return sorted(
        measures,
        key=lambda m: (plan_index[m.plan_id], first_seen[(m.plan_id, m.category_id)], m.position, m.pk),
    )


def _rows(network: Network, measures: list[Measure], year: int) -> list[MeasureRow]:
    """One row per measure (in table order) with its status and linked count for `year`: three queries."""
    statuses = (
        {
            row.measure_id: row
            for row in MeasureYear.objects.filter(measure__in=[m.pk for m in measures], year=year)
        }
        if measures
        else {}
    )
    links = linked_activities(network, measures, [year])
    rows = []
    for measure in _in_table_order(measures):
        plan = measure.plan
        status = statuses.get(measure.pk)
        rows.append(
            MeasureRow(
                pk=measure.pk,
                plan_title=plan.title,
                plan_period=period_text(plan.start_year, plan.end_year),
                category=measure.category.name,
                title=measure.title,
                target_groups=[
                    GroupLabel(group.code, group.name)
                    for group in target_groups_in_order(measure.target_groups.all())
                ],
                means=measure.means_list,
                timeframe=timeframe_text(measure, plan),
                priority_area=measure.priority_area,
                is_new=measure.is_new,
                applies=measure.applies_in(year),
                status=status.status if status else None,
                status_label=str(MeasureStatus(status.status).label) if status else None,
                comment=status.comment if status else "",
                linked_count=links.counts.get((measure.pk, year), 0),
                counts_activities=measure.pk in links.linked or bool(measure.activity_kinds),
                per_year_min=measure.per_year_min,
                per_year_max=measure.per_year_max,
                target=target_text(measure.per_year_min, measure.per_year_max),
                from_year=measure.from_year,
                to_year=measure.to_year,
                ongoing=measure.ongoing,
            )
        )
    return rows


def plan_table(plan: DisseminationPlan, year: int) -> PlanTable:
    """The plan as the seeds' table, with each measure's status and linked count for `year`."""
    measures = measures_of(Measure.objects.filter(plan=plan))
    for measure in measures:
        measure.plan = plan  # the same object: the page's plan, not a copy per row
    rows = _rows(plan.network, measures, year)
    groups: list[CategoryGroup] = []
    for row in rows:
        if not groups or groups[-1].name != row.category:
            groups.append(CategoryGroup(row.category))
        groups[-1].rows.append(row)
    used: dict[str, GroupLabel] = {}
    ordered = target_groups_in_order({group for measure in measures for group in measure.target_groups.all()})
    for group in ordered:
        used.setdefault(group.code, GroupLabel(group.code, group.name))
    return PlanTable(
        plan=plan,
        year=year,
        years=list(range(plan.start_year, plan.end_year + 1)),
        groups=groups,
        legend=list(used.values()),
        measure_count=len(rows),
    )


def year_statuses(plan: DisseminationPlan) -> list[tuple[str, str, int, str, str]]:
    """Every stored status of the plan's measures: (category, measure, year, status, comment). One query."""
    rows = MeasureYear.objects.filter(measure__plan=plan).select_related("measure__category")
    ordered = sorted(rows, key=lambda row: (row.measure.position, row.measure_id, row.year))
    return [
        (row.measure.category.name, row.measure.title, row.year, str(row.get_status_display()), row.comment)
        for row in ordered
    ]


def dissemination_year_facts(network: Network, year: int) -> list[dict[str, Any]]:
    """One dict per measure that applies in `year`, of every plan of the network whose period includes it.

    Keys (fixed; `plan_status` and the annual report read them): plan, plan_period, category, title,
    target_groups (codes), means (list), timeframe (as shown), priority_area, is_new, status (code or None),
    status_label, comment, linked_count, per_year_min, per_year_max. At most six queries.
    """
    measures = measures_of(
        Measure.objects.filter(plan__network=network, plan__start_year__lte=year, plan__end_year__gte=year)
    )
    measures = [measure for measure in measures if measure.applies_in(year)]
    return [row.facts() for row in _rows(network, measures, year)]
