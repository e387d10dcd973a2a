"""Reads for the plans hub, the partner list and the learning-resource list.

`hub_facts(network, year)` is the plans area's start page in one JSON-ready dict: every dissemination plan
with its measures' status for the year, the goals with their achievement, the indicators with the year's
entered value, the year's priority areas and economy, and the partner and learning-resource counts. It reads
the models directly, in a fixed number of queries whatever the amount of data, so the page stays fast and the
other areas' pages stay free to change their own facts.

`partners_year_facts` (keys fixed: the `plan_status` CLI and the annual report read them) lists the partners
active in a year.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from fagnett.networks.models import Network
from fagnett.plans.models import (
    Achievement,
    DisseminationPlan,
    EconomyKind,
    EconomyLine,
    Indicator,
    IndicatorPeriod,
    IndicatorSource,
    IndicatorValue,
    LearningResource,
    MainGoal,
    Measure,
    MeasureStatus,
    MeasureYear,
    Partner,
    PriorityArea,
    PriorityKind,
    ResourceKind,
    SubGoal,
    SubGoalAssessment,
    as_json_number,
)

NOT_ASSESSED = "not_assessed"
INCOME_KINDS = (EconomyKind.GRANT, EconomyKind.COURSE_FEES, EconomyKind.OTHER_INCOME)


def _active_in(year: int) -> Q:
    """Rows whose since/until years include `year`; a missing year is open."""
    return (Q(since_year__isnull=True) | Q(since_year__lte=year)) & (
        Q(until_year__isnull=True) | Q(until_year__gte=year)
    )


def _goal_applies_in(year: int) -> Q:
    return (Q(start_year__isnull=True) | Q(start_year__lte=year)) & (
        Q(end_year__isnull=True) | Q(end_year__gte=year)
    )


def _measure_applies(measure: Mapping[str, Any], plan: Mapping[str, Any], year: int) -> bool:
    """Measure.applies_in on plain values (no query per measure)."""
    start: int = measure["from_year"] if measure["from_year"] is not None else plan["start_year"]
    if measure["ongoing"]:
        return year >= start
    end: int = measure["to_year"] if measure["to_year"] is not None else plan["end_year"]
    return start <= year <= end


# Partners ------------------------------------------------------------------------------------------------


def partners_year_facts(network: Network, year: int) -> list[dict[str, Any]]:
    """The partners active in `year` (Partner.active_in), by name. One query."""
    partners = (
        Partner.objects.filter(network=network)
        .filter(_active_in(year))
        .select_related("partner_network")
        .order_by("name", "pk")
    )
    return [
        {
            "name": partner.name,
            "organisation": partner.organisation,
            "link": partner.link,
            "collaboration": partner.collaboration,
            "since_year": partner.since_year,
            "until_year": partner.until_year,
            "network": partner.partner_network.slug if partner.partner_network is not None else None,
        }
        for partner in partners
    ]


def partner_list(network: Network) -> list[Partner]:
    """Every partner of the network, by name, with the Fagnett network it is (one query)."""
    return list(
        Partner.objects.filter(network=network).select_related("partner_network").order_by("name", "pk")
    )


# Learning resources --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceGroup:
    kind: str
    label: str
    resources: tuple[LearningResource, ...]


def resource_groups(network: Network, kind: str | None = None) -> list[ResourceGroup]:
    """The network's learning resources grouped by kind in ResourceKind's order, only `kind` when given, each
    with its linked activities and requirements prefetched (three queries)."""
    resources = LearningResource.objects.filter(network=network).order_by("title", "pk")
    if kind is not None:
        resources = resources.filter(kind=kind)
    resources = resources.prefetch_related(
        "activities",
        "requirements__plan",
    )
    by_kind: dict[str, list[LearningResource]] = defaultdict(list)
    for resource in resources:
        by_kind[resource.kind].append(resource)
    return [
        ResourceGroup(kind=value, label=str(label), resources=tuple(by_kind[value]))
        for value, label in ResourceKind.choices
        if by_kind.get(value)
    ]


def resources_for_activity(activity_id: int) -> list[LearningResource]:
    """The learning resources linked to one activity, by title (one query)."""
    return list(LearningResource.objects.filter(activities__pk=activity_id).order_by("title", "pk"))


def resources_by_requirement(plan_id: int) -> dict[str, list[LearningResource]]:
    """The learning resources linked to each requirement of one competence-plan version, keyed by the
    requirement's code (unique within a version), so a page lists them beside every requirement with one
    query in all."""
    through = LearningResource.requirements.through.objects
    links = (
        through.filter(requirement__plan_id=plan_id)
        .select_related("learningresource", "requirement")
        .order_by("learningresource__title", "learningresource__pk")
    )
    found: dict[str, list[LearningResource]] = defaultdict(list)
    for link in links:
        found[link.requirement.code].append(link.learningresource)
    return dict(found)


# The hub -------------------------------------------------------------------------------------------------


def _plans_block(network: Network, year: int) -> list[dict[str, Any]]:
    plans = list(
        DisseminationPlan.objects.filter(network=network).values("pk", "title", "start_year", "end_year")
    )
    measures = list(
        Measure.objects.filter(plan__network=network).values(
            "pk", "plan_id", "from_year", "to_year", "ongoing"
        )
    )
    statuses = dict(
        MeasureYear.objects.filter(measure__plan__network=network, year=year).values_list(
            "measure_id", "status"
        )
    )
    plan_by_pk = {plan["pk"]: plan for plan in plans}
    totals: Counter[int] = Counter()
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for measure in measures:
        plan = plan_by_pk[measure["plan_id"]]
        totals[plan["pk"]] += 1
        if _measure_applies(measure, plan, year):
            counts[plan["pk"]][statuses.get(measure["pk"], NOT_ASSESSED)] += 1
    return [
        {
            "id": plan["pk"],
            "title": plan["title"],
            "start_year": plan["start_year"],
            "end_year": plan["end_year"],
            "covers_year": plan["start_year"] <= year <= plan["end_year"],
            "measures": totals[plan["pk"]],
            "measures_in_year": sum(counts[plan["pk"]].values()),
            "year_status": {
                "done": counts[plan["pk"]][MeasureStatus.DONE],
                "ongoing": counts[plan["pk"]][MeasureStatus.ONGOING],
                "planned": counts[plan["pk"]][MeasureStatus.PLANNED],
                "not_done": counts[plan["pk"]][MeasureStatus.NOT_DONE],
                "not_assessed": counts[plan["pk"]][NOT_ASSESSED],
            },
        }
        for plan in plans
    ]


def _goals_block(network: Network, year: int) -> list[dict[str, Any]]:
    goals = list(
        MainGoal.objects.filter(network=network)
        .filter(_goal_applies_in(year))
        .order_by("position", "pk")
        .values("pk", "text", "start_year", "end_year")
    )
    sub_goals = Counter(
        SubGoal.objects.filter(main_goal__network=network).values_list("main_goal_id", flat=True)
    )
    achieved: dict[int, Counter[str]] = defaultdict(Counter)
    for main_goal_id, achievement in SubGoalAssessment.objects.filter(
        sub_goal__main_goal__network=network, year=year
    ).values_list("sub_goal__main_goal_id", "achievement"):
        achieved[main_goal_id][achievement] += 1
    rows = []
    for goal in goals:
        counted = achieved[goal["pk"]]
        total = sub_goals[goal["pk"]]
        rows.append(
            {
                "id": goal["pk"],
                "text": goal["text"],
                "start_year": goal["start_year"],
                "end_year": goal["end_year"],
                "sub_goals": total,
                "achieved": counted[Achievement.YES],
                "partly": counted[Achievement.PARTLY],
                "not_achieved": counted[Achievement.NO],
                "not_assessed": total - sum(counted.values()),
            }
        )
    return rows


def _indicators_block(network: Network, year: int) -> list[dict[str, Any]]:
    indicators = list(
        Indicator.objects.filter(network=network)
        .order_by("position", "name")
        .values("pk", "name", "unit", "source", "period")
    )
    # Only the rows that match the indicator's period count (a year's row is period 0, months and quarters
    # 1–12), so a value left over from before the period was changed is not added in.
    whole_year: dict[int, Decimal] = {}
    parts: dict[int, Decimal] = defaultdict(Decimal)
    for indicator_id, period, amount in IndicatorValue.objects.filter(
        indicator__network=network, year=year
    ).values_list("indicator_id", "period", "value"):
        if period == 0:
            whole_year[indicator_id] = amount
        else:
            parts[indicator_id] += amount
    rows = []
    for indicator in indicators:
        computed = indicator["source"] != IndicatorSource.ENTERED
        value: Decimal | None = None
        if not computed:
            if indicator["period"] == IndicatorPeriod.YEAR:
                value = whole_year.get(indicator["pk"])
            else:
                value = parts.get(indicator["pk"])
        rows.append(
            {
                "id": indicator["pk"],
                "name": indicator["name"],
                "unit": indicator["unit"],
                "computed": computed,
                "value": as_json_number(value),
            }
        )
    return rows


def _priorities_block(network: Network, year: int) -> dict[str, Any]:
    areas = list(
        PriorityArea.objects.filter(network=network, year=year)
        .order_by("kind", "position", "pk")
        .values("title", "kind")
    )
    return {
        "new": sum(area["kind"] == PriorityKind.NEW for area in areas),
        "continued": sum(area["kind"] == PriorityKind.CONTINUED for area in areas),
        "titles": [area["title"] for area in areas],
    }


def _economy_block(network: Network, year: int) -> dict[str, Any]:
    sums = dict(
        EconomyLine.objects.filter(network=network, year=year)
        .values("kind")
        .annotate(total=Sum("amount"))
        .values_list("kind", "total")
    )
    income = sum((sums.get(kind, Decimal(0)) for kind in INCOME_KINDS), Decimal(0))
    costs = sums.get(EconomyKind.COST, Decimal(0))
    return {
        "has_lines": bool(sums),
        "income": as_json_number(income),
        "costs": as_json_number(costs),
        "result": as_json_number(income - costs),
    }


def hub_facts(network: Network, year: int) -> dict[str, Any]:
    """Everything the plans hub shows for `network` and `year`, JSON-ready. Thirteen queries, whatever the
    number of plans, measures, goals, indicators and lines."""
    partners = Partner.objects.filter(network=network)
    resources = LearningResource.objects.filter(network=network).aggregate(total=Count("pk"))
    return {
        "year": year,
        "plans": _plans_block(network, year),
        "goals": _goals_block(network, year),
        "indicators": _indicators_block(network, year),
        "priorities": _priorities_block(network, year),
        "economy": _economy_block(network, year),
        "partners": partners.filter(_active_in(year)).count(),
        "partners_total": partners.count(),
        "resources": resources["total"],
    }
