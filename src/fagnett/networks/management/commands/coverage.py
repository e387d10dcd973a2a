from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fagnett.networks.coverage import compute_coverage, coverage_csv, coverage_json
from fagnett.networks.management.cli import chapter_from_options, network_from_options


class Command(BaseCommand):
    help = (
        "Print the coverage check of a network (or one local chapter) on a date as JSON or CSV: the same "
        "facts as the coverage page and its CSV export. See docs/commands.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", required=True, metavar="SLUG", help="The network's short name.")
        parser.add_argument(
            "--date", metavar="YYYY-MM-DD", help="The day to check (default: today in Europe/Oslo)."
        )
        parser.add_argument(
            "--chapter", metavar="SLUG", help="Only this local chapter's memberships, in its own area."
        )
        parser.add_argument("--format", choices=("json", "csv"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        network = network_from_options(options)
        chapter = chapter_from_options(network, options)
        on = timezone.localdate()
        if options["date"]:
            try:
                on = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}.") from None
        facts = compute_coverage(network, on, chapter, with_chapters=False)
        if options["format"] == "csv":
            self.stdout.write(coverage_csv(facts), ending="")
        else:
            self.stdout.write(json.dumps(coverage_json(facts), ensure_ascii=False, indent=2))
