"""`python manage.py send_evaluation_links [--dry-run]`: e-mail the evaluation link to attendees.

Meant for cron, every 15 minutes. For each evaluation with "e-mail the link to attendees" on, not yet
e-mailed, whose activity has ended (local time) and whose form is open, each attendee with an e-mail address
gets one message with a personal single-use link (evaluations.links_email). Never twice, also after a crash:
see that module for what a crash in the middle of sending means.

Output, one line per evaluation: `sent NETWORK YYYY-MM-DD TITLE: N of M e-mail(s)`, with --dry-run
`would send NETWORK YYYY-MM-DD TITLE: M e-mail(s)`, or `waiting NETWORK YYYY-MM-DD TITLE: REASON` (no attendee
recorded yet; tried again on the next run). Last a summary line. The exit code is 1 when the mail server
did not accept every message.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fagnett.evaluations.links_email import SendResult, send_due


def _name(result: SendResult) -> str:
    activity = result.evaluation.activity
    return f"{activity.network.slug} {activity.starts_on.isoformat()} {activity.title}"


class Command(BaseCommand):
    help = (
        "E-mail each attendee of an ended activity a personal link to its evaluation form, once. "
        "Run every 15 minutes from cron. See docs/commands.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send and store nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        results = send_due(dry_run=dry_run)
        prepared = sent = 0
        for result in results:
            if result.refusal:
                self.stdout.write(f"waiting {_name(result)}: {result.refusal}")
            elif dry_run:
                prepared += result.recipients
                self.stdout.write(f"would send {_name(result)}: {result.recipients} e-mail(s)")
            else:
                prepared += result.recipients
                sent += result.sent
                self.stdout.write(f"sent {_name(result)}: {result.sent} of {result.recipients} e-mail(s)")
        if dry_run:
            self.stdout.write(f"{prepared} e-mail(s) would be sent for {len(results)} evaluation(s)")
            return
        self.stdout.write(f"{sent} of {prepared} e-mail(s) sent for {len(results)} evaluation(s)")
        if sent < prepared:
            raise CommandError(
                f"{prepared - sent} e-mail(s) were not accepted by the mail server; those links are not "
                "sent again (the room's short link still works). See the log."
            )
