"""Seed 003's competence plan for resource nurses, the plan every network starts with. Plain data so the data
migration and services.ensure_default_plan create exactly the same rows. Names are stored data (the network's
own plan, ready to edit), so they are in Norwegian like the seed."""

from __future__ import annotations

import datetime as dt
from typing import Any

DEFAULT_PLAN_NAME = "Kompetanseplan for ressurssykepleiere"
# Valid from long before any membership, so the default plan governs every year until a newer version exists.
DEFAULT_VALID_FROM = dt.date(1901, 1, 1)
DEFAULT_MIN_MONTHS_FOR_YEARLY = 6

DEFAULT_REQUIREMENTS: tuple[dict[str, Any], ...] = (
    {
        "code": "introduksjonskurs",
        "name": "Introduksjonskurs (minst 6 timer, første år)",
        "kind": "once",
        "activity_kinds": ["introduksjonskurs"],
        "within_months": 12,
        "min_count": 1,
        "min_hours": "6",
        "min_shadowing_days": None,
        "remind_leader": True,
    },
    {
        "code": "hospitering",
        "name": "Hospitering (1–3 dager, første år)",
        "kind": "once",
        "activity_kinds": [],
        "within_months": 12,
        "min_count": 1,
        "min_hours": None,
        "min_shadowing_days": "1",
    },
    {
        "code": "samlinger_antall",
        "name": "Minst 2 nettverkssamlinger per år",
        "kind": "yearly_count",
        "activity_kinds": ["nettverkssamling"],
        "within_months": None,
        "min_count": 2,
        "min_hours": None,
        "min_shadowing_days": None,
    },
    {
        "code": "samlinger_timer",
        "name": "Minst 12 timer nettverkssamlinger per år",
        "kind": "yearly_hours",
        "activity_kinds": ["nettverkssamling"],
        "within_months": None,
        "min_count": 0,
        "min_hours": "12",
        "min_shadowing_days": None,
    },
    {
        "code": "fagdag",
        "name": "Felles årlig fagdag (minst 6 timer)",
        "kind": "yearly_hours",
        "activity_kinds": ["fagdag"],
        "within_months": None,
        "min_count": 0,
        "min_hours": "6",
        "min_shadowing_days": None,
    },
)
