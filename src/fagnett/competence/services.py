"""Writes of competence plans. Each validates, runs in one transaction and is audited."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from fagnett.accounts.models import User
from fagnett.audit.services import log_action
from fagnett.competence.defaults import (
    DEFAULT_MIN_MONTHS_FOR_YEARLY,
    DEFAULT_PLAN_NAME,
    DEFAULT_REQUIREMENTS,
    DEFAULT_VALID_FROM,
)
from fagnett.competence.models import CompetencePlan, Requirement
from fagnett.networks.models import Network


@transaction.atomic
def ensure_default_plan(network: Network, *, actor: User | None) -> CompetencePlan | None:
    """Give `network` seed 003's plan when it has no plan yet; never touches an existing plan.

    Called without an actor by the post_save signal when a network is created: the plan is then part of
    creating the network, which its creator's action already records, so only a person's call is audited."""
    if CompetencePlan.objects.filter(network=network).exists():
        return None
    plan = CompetencePlan.objects.create(
        network=network,
        name=DEFAULT_PLAN_NAME,
        valid_from=DEFAULT_VALID_FROM,
        min_months_for_yearly=DEFAULT_MIN_MONTHS_FOR_YEARLY,
    )
    Requirement.objects.bulk_create(
        Requirement(
            plan=plan,
            position=position,
            remind_leader=row.get("remind_leader", False),
            code=row["code"],
            name=row["name"],
            kind=row["kind"],
            activity_kinds=list(row["activity_kinds"]),
            within_months=row["within_months"],
            min_count=row["min_count"],
            min_hours=Decimal(row["min_hours"]) if row["min_hours"] is not None else None,
            min_shadowing_days=(
                Decimal(row["min_shadowing_days"]) if row["min_shadowing_days"] is not None else None
            ),
        )
        for position, row in enumerate(DEFAULT_REQUIREMENTS, start=1)
    )
    if actor is not None:
        log_action("competence.default_plan_created", actor=actor, target=plan, network=network)
    return plan
