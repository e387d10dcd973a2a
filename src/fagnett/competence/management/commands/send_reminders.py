"""`python manage.py send_reminders [--dry-run] [--network SLUG]`: the daily competence-plan reminders.

Meant for cron, once a day. For every network (or the one named) it e-mails each resource person a digest
of their once-requirements whose deadline is less than 60 days away or passed at most 90 days ago, with a
separate message to the line manager for requirements that ask for it (the introductory course); at most
one digest per person per 7 days, and never the same reminder twice, also after a crash. The rules are in
fagnett.competence.reminders and docs/commands.md.

Output, one line each: `sent EMAIL NETWORK CODE:MOMENT:DEADLINE[,…]`, `leader EMAIL NETWORK PERSON-EMAIL
CODE:MOMENT:DEADLINE[,…]`, `skipped EMAIL weekly limit`, `skipped EMAIL already claimed`, `failed EMAIL
REASON`, `uncertain EMAIL CREATED`; with --dry-run `would send …` and `would send leader …` instead of
`sent` and `leader`. Last a summary, `N e-mails to persons, M to leaders, K failed`. The exit code is 1
when any message failed, else 0.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fagnett.competence.reminders import Run, summary_line
from fagnett.networks.management.cli import network_from_options
from fagnett.networks.models import Network


class Command(BaseCommand):
    help = (
        "E-mail resource persons (and, for the introductory course, their line managers) reminders about "
        "competence-plan deadlines. Run daily from cron. See docs/commands.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send and store nothing."
        )
        parser.add_argument("--network", metavar="SLUG", help="Only this network (default: all).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["network"]:
            networks = [network_from_options(options)]
        else:
            networks = list(Network.objects.order_by("slug"))
        run = Run(write=self.stdout.write, dry_run=options["dry_run"])
        totals = run.networks(networks)
        self.stdout.write(summary_line(totals, dry_run=options["dry_run"]))
        if totals.failed:
            raise CommandError(
                f"{totals.failed} reminder e-mail(s) could not be sent; see the failed lines above."
            )
