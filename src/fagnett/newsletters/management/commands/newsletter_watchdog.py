"""`python manage.py newsletter_watchdog [--dry-run]`: take over newsletter sends whose worker died.

Meant for cron, every 5 minutes. A send (queued or being sent) whose worker has shown no sign of life for
10 minutes and that no waiting task will continue gets its "sending" deliveries marked uncertain (they may
have reached the mail server) and a new send task; a running `db_worker` then sends the rest.

Output, one line per newsletter: `recovered ID NETWORK-SLUG "SUBJECT" (N uncertain)`, or with --dry-run
`would recover ID NETWORK-SLUG "SUBJECT"`; last `N stalled newsletter(s)`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from fagnett.newsletters.sending import find_stalled, recover


class Command(BaseCommand):
    help = "Resume newsletter sends whose background worker stopped. Run every 5 minutes from cron."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be resumed; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        stalled = find_stalled(now)
        for newsletter in stalled:
            label = f'{newsletter.pk} {newsletter.network.slug} "{newsletter.subject}"'
            if options["dry_run"]:
                self.stdout.write(f"would recover {label}")
            else:
                uncertain = recover(newsletter, now)
                self.stdout.write(f"recovered {label} ({uncertain} uncertain)")
        self.stdout.write(f"{len(stalled)} stalled newsletter(s)")
