from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fagnett.core.years import FIRST_YEAR, LAST_YEAR
from fagnett.networks.management.cli import network_from_options
from fagnett.plans.status import plan_status


class Command(BaseCommand):
    help = (
        "Print a network's plans for a year as JSON: measures with their year status and linked "
        "counts, goals with achievement, indicator values, priority areas, economy and partners. "
        "See docs/commands.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", required=True, metavar="SLUG", help="The network's short name.")
        parser.add_argument("--year", type=int, metavar="YYYY", help="The year (default: the current year).")
        parser.add_argument("--format", choices=("json",), default="json", help="Output format (json).")

    def handle(self, *args: Any, **options: Any) -> None:
        network = network_from_options(options)
        year = options["year"] or timezone.localdate().year
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CommandError(f"--year must be between {FIRST_YEAR} and {LAST_YEAR}, not {year}.")
        self.stdout.write(json.dumps(plan_status(network, year), ensure_ascii=False, indent=2))
