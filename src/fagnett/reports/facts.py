"""Every number of the annual report, as of 31 December of the year, in one JSON-ready dict
(ARCHITECTURE.md §5: database → facts → renderers). The web page, the editor, DOCX, PDF, XLSX and the
`annual_report --format json` CLI all render this dict and nothing else; a published report renders the copy
frozen in its snapshot.

CONTRACT: the facts engineer writes the body; the keys below are a public interface (operators script against
the JSON; custom Word templates use them as placeholders) — keep them exactly, add new keys only.

{
  "schema": 1,
  "network": {"name", "slug", "established_year", "initiative", "anchoring", "anchoring_reference",
              "owner_organisation", "purpose"},
  "year": 2024,
  "as_of": "2024-12-31",
  "members": {"at_year_end", "at_previous_year_end", "change", "joined", "left",
              "by_year": [{"year", "members"}]},                      # the last five years, oldest first
  "coverage": {"municipalities_covered", "municipalities_total", "units_covered", "units_total",
               "gaps": [str], "statement": str,                       # networks.coverage CoverageFacts
               "municipalities": [{"number", "name", "covered", "persons"}]},
  "intro_courses": [{"date", "title", "hours", "participants", "other_participants"}],
  "study_days": [{"date", "title", "hours", "participants", "other_participants"}],
  "gatherings": {"count", "hours", "participants", "themes": [str], "sentence": str,  # "3 samlinger à 6 t"
                 "other_participants"},
  "hours_by_kind": [{"kind", "label", "activities", "hours", "participants", "other_participants"}],
  "themes": [str],                                                    # every theme of the year's activities
  "shadowing": [{"from_municipality", "host", "persons", "days", "sentence"}],
  "groups": [{"kind", "kind_label", "name", "mandate", "meetings_per_year", "members": [{"name", "title",
              "workplace", "function"}]}],
  "competence": {"plan": str | None, "requirements": [{"requirement", "code", "applicable", "met",
                 "percent"}]},
  "evaluations": [{"activity", "date", "responses", "attendees", "suppressed", "questions": [{"text", "mean",
                   "responses"}], "quotes": [str]}],
  "goals": [...],          # plans.goal_queries.goals_year_facts
  "indicators": [...],     # plans.indicator_values.indicators_year_facts
  "dissemination": [...],  # plans.dissemination_queries.dissemination_year_facts
  "priority_areas": {"continued": [...], "new": [...]},               # plans.annual_queries
  "economy": {...},        # plans.annual_queries.economy_year_facts
  "partners": [...],       # plans.hub_queries.partners_year_facts
  "chapters": [{"name", "slug", "members": {...same keys...}, "coverage": {...same keys...},
                "gatherings": {...}, "themes": [...], "shadowing": [...], "priority_areas": {...}}]
}

Dates are ISO strings, hours and days JSON numbers (plans.models.as_json_number), counts ints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from django.utils import translation

from fagnett.activities.models import ActivityKind
from fagnett.activities.stats import ActivityLine, activity_stats
from fagnett.competence.engine import network_status
from fagnett.competence.queries import Share
from fagnett.networks.coverage import compute_coverage
from fagnett.networks.models import LocalChapter, Network
from fagnett.plans.annual_queries import economy_year_facts, priorities_year_facts
from fagnett.plans.dissemination_queries import dissemination_year_facts
from fagnett.plans.goal_queries import goals_year_facts
from fagnett.plans.hub_queries import partners_year_facts
from fagnett.plans.indicator_values import indicators_year_facts
from fagnett.reports._facts_activities import (
    Placement,
    activity_chapters,
    activity_list,
    completed_placements,
    gatherings_facts,
    hours_by_kind,
    person_chapters,
    shadowing_facts,
    sorted_themes,
)
from fagnett.reports._facts_evaluations import evaluations_facts
from fagnett.reports._facts_roster import (
    chapter_year_ends,
    coverage_facts,
    groups_facts,
    members_facts,
    network_year_ends,
)

SCHEMA_VERSION = 1
# The report is written in Norwegian whatever language the user or the command runs in (as goals_year_facts).
REPORT_LANGUAGE = "nb"


def annual_facts(network: Network, year: int, *, quote_ids: Collection[int] = ()) -> dict[str, Any]:
    """The report's facts for `network` as of 31 December `year`, in a fixed number of queries (not growing
    with persons, activities or years). `quote_ids` are the free-text answers (evaluations.Answer) the
    coordinator chose to quote; only those of the network's evaluations of the year are used.

    Each local chapter adds a fixed few queries (its coverage through compute_coverage and its joined/left
    through networks.stats); nothing else grows with the data."""
    with translation.override(REPORT_LANGUAGE):
        return _facts(network, year, quote_ids)


def _facts(network: Network, year: int, quote_ids: Collection[int]) -> dict[str, Any]:
    as_of = dt.date(year, 12, 31)
    stats = activity_stats(network, year)
    placements = completed_placements(network, year)
    priority_areas = priorities_year_facts(network, year)
    facts: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "network": {
            "name": network.name,
            "slug": network.slug,
            "established_year": network.established_year,
            "initiative": network.initiative,
            "anchoring": network.anchoring,
            "anchoring_reference": network.anchoring_reference,
            "owner_organisation": network.owner_organisation,
            "purpose": network.purpose,
        },
        "year": year,
        "as_of": as_of.isoformat(),
        "members": members_facts(network, year, network_year_ends(network, year)),
        "coverage": coverage_facts(compute_coverage(network, as_of, with_chapters=False)),
        "intro_courses": activity_list(stats.activities, ActivityKind.INTRO_COURSE),
        "study_days": activity_list(stats.activities, ActivityKind.STUDY_DAY),
        "gatherings": gatherings_facts(stats.activities),
        "hours_by_kind": hours_by_kind(stats),
        "themes": sorted_themes(name for line in stats.activities for name in line.themes),
        "shadowing": shadowing_facts(placements),
        "groups": groups_facts(network),
        "competence": _competence(network, year, as_of),
        "evaluations": evaluations_facts(network, year, quote_ids),
        "goals": goals_year_facts(network, year),
        "indicators": indicators_year_facts(network, year),
        "dissemination": dissemination_year_facts(network, year),
        "priority_areas": priority_areas,
        "economy": economy_year_facts(network, year),
        "partners": partners_year_facts(network, year),
    }
    facts["chapters"] = _chapters(network, year, as_of, stats.activities, placements, priority_areas)
    return facts


def _competence(network: Network, year: int, as_of: dt.date) -> dict[str, Any]:
    """The plan governing 31 December and, per requirement, how many it applied to and met (the engine's
    summary, as the competence summary page counts it)."""
    status = network_status(network, year, today=as_of)
    return {
        "plan": status.plan.name if status.plan else None,
        "requirements": [
            {
                "requirement": row.name,
                "code": row.requirement,
                "applicable": row.applicable,
                "met": row.met,
                "percent": Share(row.applicable, row.met).percent,
            }
            for row in status.summary
        ],
    }


def _chapters(
    network: Network,
    year: int,
    as_of: dt.date,
    lines: Sequence[ActivityLine],
    placements: Sequence[Placement],
    priority_areas: dict[str, Any],
) -> list[dict[str, Any]]:
    chapters = list(LocalChapter.objects.filter(network=network).order_by("name", "pk"))
    if not chapters:
        return []
    year_ends = chapter_year_ends(network, year)
    of_activity = activity_chapters(network, year)
    of_person = person_chapters(network, (placement.person_id for placement in placements))
    result = []
    for chapter in chapters:
        own = [line for line in lines if of_activity.get(line.pk) == chapter.pk]
        result.append(
            {
                "name": chapter.name,
                "slug": chapter.slug,
                "members": members_facts(network, year, year_ends.get(chapter.pk, {}), chapter),
                "coverage": coverage_facts(compute_coverage(network, as_of, chapter)),
                "gatherings": gatherings_facts(own),
                "themes": sorted_themes(name for line in own for name in line.themes),
                "shadowing": shadowing_facts(
                    [p for p in placements if chapter.pk in of_person.get(p.person_id, ())]
                ),
                # Chapters have no priority areas of their own: the network's apply.
                "priority_areas": priority_areas,
            }
        )
    return result
