"""`manage.py activity_stats --network SLUG --year YYYY [--chapter SLUG] [--format json|text]`
(docs/commands.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fagnett.activities.stats import activity_stats, json_number
from fagnett.networks.management.cli import chapter_from_options, network_from_options


class Command(BaseCommand):
    help = (
        "Print a network's (or one local chapter's) activity numbers for a year: per kind of activity, per "
        "activity, and job shadowing. See docs/commands.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", required=True, metavar="SLUG", help="The network's short name.")
        parser.add_argument("--year", required=True, type=int, metavar="YYYY")
        parser.add_argument(
            "--chapter",
            metavar="SLUG",
            help="Only the activities this local chapter organised, and the job shadowing of its members.",
        )
        parser.add_argument("--format", choices=("json", "text"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        network = network_from_options(options)
        chapter = chapter_from_options(network, options)
        year = options["year"]
        if not 1901 <= year <= 9998:
            raise CommandError(f"--year must be between 1901 and 9998, not {year}.")
        stats = activity_stats(network, year, chapter)
        if options["format"] == "json":
            self.stdout.write(json.dumps(stats.as_json(), ensure_ascii=False))
            return
        for code, kind in stats.kinds.items():
            if kind.count:
                self.stdout.write(
                    f"{code}: {kind.count} activities, {json_number(kind.hours)} hours, "
                    f"{kind.participants} participants, {json_number(kind.participant_hours)} participant "
                    f"hours, {kind.other_participants} others"
                )
        self.stdout.write(
            f"Job shadowing: {len(stats.placements)} placements, {json_number(stats.shadowing_days)} days, "
            f"{stats.shadowing_persons} persons"
        )
