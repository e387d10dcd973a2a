"""A network's plans for one year as one JSON-ready object: what `plan_status` prints, and what the annual
report's facts read (ARCHITECTURE.md §5: database → facts → renderers).

Each part comes from the facts function of its own module; this module only puts them together under stable
keys (documented in docs/commands.md).
"""

from __future__ import annotations

from typing import Any

from fagnett.networks.models import Network
from fagnett.plans.annual_queries import economy_year_facts, priorities_year_facts
from fagnett.plans.dissemination_queries import dissemination_year_facts
from fagnett.plans.goal_queries import goals_year_facts
from fagnett.plans.hub_queries import partners_year_facts
from fagnett.plans.indicator_values import indicators_year_facts


def plan_status(network: Network, year: int) -> dict[str, Any]:
    return {
        "network": network.slug,
        "year": year,
        "measures": dissemination_year_facts(network, year),
        "goals": goals_year_facts(network, year),
        "indicators": indicators_year_facts(network, year),
        "priority_areas": priorities_year_facts(network, year),
        "economy": economy_year_facts(network, year),
        "partners": partners_year_facts(network, year),
    }
