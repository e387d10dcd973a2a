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
  "gatherings": {"count", "hours", "participants", "themes": [str], "sentence": str},  # "3 samlinger à 6 t"
  "hours_by_kind": [{"kind", "label", "activities", "hours", "participants"}],
  "themes": [str],                                                    # every theme of the year's activities
  "shadowing": [{"from_municipality", "host", "persons", "days", "sentence"}],
  "groups": [{"kind", "name", "mandate", "meetings_per_year", "members": [{"name", "title", "workplace",
              "function"}]}],
  "competence": {"plan": str | None, "requirements": [{"requirement", "applicable", "met", "percent"}]},
  "evaluations": [{"activity", "date", "responses", "attendees", "questions": [{"text", "mean",
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

from collections.abc import Collection
from typing import Any

from fagnett.networks.models import Network

SCHEMA_VERSION = 1


def annual_facts(network: Network, year: int, *, quote_ids: Collection[int] = ()) -> dict[str, Any]:
    """The report's facts for `network` as of 31 December `year`, in a fixed number of queries (not growing
    with persons, activities or years). `quote_ids` are the free-text answers (evaluations.Answer) the
    coordinator chose to quote; only those of the network's evaluations of the year are used."""
    raise NotImplementedError
