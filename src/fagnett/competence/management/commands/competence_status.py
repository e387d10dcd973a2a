from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fagnett.competence.engine import NetworkCompetence, network_status
from fagnett.networks.management.cli import network_from_options


def _number(value: Decimal) -> int | float:
    # Whole numbers print as integers (6), others with their fraction (3.5), as in activity_stats.
    return int(value) if value == value.to_integral_value() else float(value)


def status_json(facts: NetworkCompetence) -> dict[str, Any]:
    return {
        "persons": [
            {
                "email": person.email,
                "requirements": [
                    {
                        "requirement": status.requirement,
                        "status": status.status,
                        "hours": _number(status.hours),
                        "activities": status.activity_titles,
                        "days": _number(status.days),
                    }
                    for status in person.requirements
                ],
            }
            for person in facts.persons
        ],
        "summary": [
            {"requirement": row.requirement, "applicable": row.applicable, "met": row.met}
            for row in facts.summary
        ],
    }


def status_csv(facts: NetworkCompetence) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["email", "requirement", "status", "hours", "activities", "days"])
    for person in facts.persons:
        for status in person.requirements:
            writer.writerow(
                [
                    person.email,
                    status.requirement,
                    status.status,
                    _number(status.hours),
                    "; ".join(status.activity_titles),
                    _number(status.days),
                ]
            )
    return out.getvalue()


class Command(BaseCommand):
    help = (
        "Print each resource person's competence-plan status for a year (met, due, overdue, not_applicable) "
        "as JSON or CSV. See docs/commands.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", required=True, metavar="SLUG", help="The network's short name.")
        parser.add_argument("--year", type=int, metavar="YYYY", help="The year (default: the current year).")
        parser.add_argument("--format", choices=("json", "csv"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        network = network_from_options(options)
        today = timezone.localdate()
        year = options["year"] or today.year
        if not 1901 <= year <= today.year:
            raise CommandError(f"--year must be between 1901 and {today.year}, not {year}.")
        facts = network_status(network, year, today=today)
        if options["format"] == "csv":
            self.stdout.write(status_csv(facts), ending="")
        else:
            self.stdout.write(json.dumps(status_json(facts), ensure_ascii=False, indent=2))
