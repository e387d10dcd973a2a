from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fagnett.networks.management.cli import chapter_from_options, network_from_options
from fagnett.networks.stats import membership_stats


class Command(BaseCommand):
    help = (
        "Print a network's (or one local chapter's) membership numbers for a year: resource persons at "
        "31 December of the year and of the year before, how many joined and how many left. "
        "See docs/commands.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", required=True, metavar="SLUG", help="The network's short name.")
        parser.add_argument("--year", required=True, type=int, metavar="YYYY")
        parser.add_argument("--chapter", metavar="SLUG", help="Only this local chapter's memberships.")
        parser.add_argument("--format", choices=("json", "text"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        network = network_from_options(options)
        chapter = chapter_from_options(network, options)
        year = options["year"]
        if not 1901 <= year <= 9998:
            raise CommandError(f"--year must be between 1901 and 9998, not {year}.")
        stats = membership_stats(network, year, chapter)
        if options["format"] == "json":
            self.stdout.write(json.dumps(stats.as_json()))
            return
        self.stdout.write(f"Members at 31.12.{year}: {stats.members_at_year_end}")
        self.stdout.write(f"Members at 31.12.{year - 1}: {stats.members_at_previous_year_end}")
        self.stdout.write(f"Joined in {year}: {stats.joined}")
        self.stdout.write(f"Left in {year}: {stats.left}")
