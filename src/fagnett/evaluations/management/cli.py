"""What the evaluation commands share: finding the activity named on the command line by its network, title
and start date (the way a coordinator names it: "Nettverkssamling vår 2024, 14.03.2024")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError, CommandParser

from fagnett.activities.models import Activity
from fagnett.networks.management.cli import network_from_options


def add_activity_arguments(parser: CommandParser) -> None:
    parser.add_argument("--network", required=True, metavar="SLUG", help="The network's short name.")
    parser.add_argument("--activity", required=True, metavar="TITLE", help="The activity's title.")
    parser.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="The activity's start date.")


def activity_from_options(options: dict[str, Any]) -> Activity:
    network = network_from_options(options)
    try:
        day = dt.date.fromisoformat(options["date"])
    except ValueError as error:
        raise CommandError(f"--date {options['date']!r} is not a date of the form YYYY-MM-DD.") from error
    # The title is compared without case, as a coordinator types it; two activities with the same title on
    # the same day cannot be told apart and are refused rather than guessed.
    matches = list(
        Activity.objects.filter(network=network, starts_on=day, title__iexact=options["activity"].strip())[:2]
    )
    if not matches:
        raise CommandError(
            f"The network {network.slug!r} has no activity {options['activity']!r} "
            f"starting {day.isoformat()}."
        )
    if len(matches) > 1:
        raise CommandError(
            f"The network {network.slug!r} has several activities {options['activity']!r} starting "
            f"{day.isoformat()}; rename one of them."
        )
    return matches[0]
