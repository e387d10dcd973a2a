"""Every network that exists when the app is installed gets seed 003's plan (new ones get it on creation)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import migrations

from fagnett.competence.defaults import (
    DEFAULT_MIN_MONTHS_FOR_YEARLY,
    DEFAULT_PLAN_NAME,
    DEFAULT_REQUIREMENTS,
    DEFAULT_VALID_FROM,
)


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def create_default_plans(apps: Any, schema_editor: Any) -> None:
    network_model = apps.get_model("networks", "Network")
    plan_model = apps.get_model("competence", "CompetencePlan")
    requirement_model = apps.get_model("competence", "Requirement")
    for network in network_model.objects.exclude(competence_plans__isnull=False):
        plan = plan_model.objects.create(
            network=network,
            name=DEFAULT_PLAN_NAME,
            valid_from=DEFAULT_VALID_FROM,
            min_months_for_yearly=DEFAULT_MIN_MONTHS_FOR_YEARLY,
        )
        requirement_model.objects.bulk_create(
            requirement_model(
                plan=plan,
                position=position,
                code=row["code"],
                name=row["name"],
                kind=row["kind"],
                activity_kinds=list(row["activity_kinds"]),
                within_months=row["within_months"],
                min_count=row["min_count"],
                min_hours=_decimal(row["min_hours"]),
                min_shadowing_days=_decimal(row["min_shadowing_days"]),
            )
            for position, row in enumerate(DEFAULT_REQUIREMENTS, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("competence", "0001_initial")]

    operations = [migrations.RunPython(create_default_plans, migrations.RunPython.noop)]
