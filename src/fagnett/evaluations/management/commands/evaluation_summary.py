"""`manage.py evaluation_summary --network SLUG --activity TITLE --date YYYY-MM-DD [--format json]`

Prints the results of the activity's evaluation as one JSON object, the same facts the results page shows
(evaluations.results.EvaluationResults.as_json):

    {"responses": 12, "attendees": 20, "response_rate": 0.6,
     "questions": [{"text": "...", "kind": "scale", "distribution": {"1": 0, ..., "5": 4}, "mean": 4.2,
                    "answers": []}, ...]}

With fewer responses than the form's smallest number shown, every question has distribution null, mean null
and answers []: only the counts are printed, as on the page.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fagnett.evaluations.management.cli import activity_from_options, add_activity_arguments
from fagnett.evaluations.models import Evaluation
from fagnett.evaluations.results import evaluation_results


class Command(BaseCommand):
    help = (
        "Print the results of an activity's evaluation as JSON: responses, attendees, response rate, and per "
        "question its distribution, mean and free-text answers (suppressed below the form's minimum)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_activity_arguments(parser)
        parser.add_argument("--format", choices=("json",), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        activity = activity_from_options(options)
        evaluation = (
            Evaluation.objects.select_related("form", "activity", "activity__network")
            .filter(activity=activity)
            .first()
        )
        if evaluation is None:
            raise CommandError(
                f"The activity {activity.title!r} starting {activity.starts_on.isoformat()} has no "
                "evaluation; attach a form to it first."
            )
        facts = evaluation_results(evaluation)
        self.stdout.write(json.dumps(facts.as_json(), ensure_ascii=False))
