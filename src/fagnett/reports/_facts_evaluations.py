"""Evaluation highlights of the annual report (reports/facts.py): per evaluation of the year's activities the
responses, the attendees, the mean of each scale question and the quotes the coordinator chose.

evaluations.results computes one evaluation in seven queries; the report needs all of the year's in a fixed
number, so this module reads them together and applies the results page's rules:
- responses: the evaluation's responses; attendees: the activity's attendances marked ATTENDED;
- per scale question the respondents per value (distinct responses) and the mean of those values, rounded
  to one decimal half up with the page's own function;
- small numbers: with fewer responses than the form's `min_responses_shown`, the means, the answered counts
  and the free text are withheld (null, no quotes), exactly as the page withholds them.
Quotes are only the texts of free-text answers whose ids the coordinator chose, of this network's evaluations
of the year; never a name, since a quote carries nothing but its text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from django.db.models import Count, F

from fagnett.activities.models import Attendance, AttendanceStatus, activity_year_bounds
from fagnett.evaluations.models import SCALE_MAX, SCALE_MIN, Answer, Evaluation, Question, QuestionKind
from fagnett.evaluations.results import scale_mean  # the results page's rounding: both show the same mean
from fagnett.networks.models import Network

SCALE_VALUES = range(SCALE_MIN, SCALE_MAX + 1)


def evaluations_facts(network: Network, year: int, quote_ids: Collection[int]) -> list[dict[str, Any]]:
    """One entry per evaluation of an activity starting in `year`, by the activity's date (five queries at
    most, four without chosen quotes)."""
    first, last = activity_year_bounds(year)
    evaluations = list(
        Evaluation.objects.filter(
            activity__network=network, activity__starts_on__gte=first, activity__starts_on__lte=last
        )
        .select_related("activity", "form")
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("activity__starts_on", "activity__title", "pk")
    )
    if not evaluations:
        return []
    shown = [evaluation.pk for evaluation in evaluations if not _suppressed(evaluation)]

    attendees = dict(
        Attendance.objects.filter(
            activity_id__in=[evaluation.activity_id for evaluation in evaluations],
            status=AttendanceStatus.ATTENDED,
        )
        .order_by()
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values_list("activity_id", "n")
    )
    questions: dict[int, list[Question]] = defaultdict(list)
    for question in (
        Question.objects.filter(form_id__in={evaluation.form_id for evaluation in evaluations})
        .filter(kind=QuestionKind.SCALE)
        # The answer page's order: questions outside a section first, then section by section.
        .order_by("form_id", F("section__position").asc(nulls_first=True), "section_id", "position", "pk")
    ):
        questions[question.form_id].append(question)
    counts: dict[tuple[int, int, int], int] = {}
    if shown:
        for row in (
            Answer.objects.filter(
                response__evaluation_id__in=shown, question__kind=QuestionKind.SCALE, number__isnull=False
            )
            .values("response__evaluation_id", "question_id", "number")
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
        ):
            counts[(row["response__evaluation_id"], row["question_id"], row["number"])] = row["n"]
    quotes = _quotes(shown, quote_ids) if shown else {}

    facts = []
    for evaluation in evaluations:
        suppressed = evaluation.pk not in shown
        facts.append(
            {
                "activity": evaluation.activity.title,
                "date": evaluation.activity.starts_on.isoformat(),
                "responses": evaluation.response_count,
                "attendees": attendees.get(evaluation.activity_id, 0),
                "suppressed": suppressed,
                "questions": [
                    _question(evaluation.pk, question, counts, suppressed)
                    for question in questions[evaluation.form_id]
                ],
                "quotes": quotes.get(evaluation.pk, []),
            }
        )
    return facts


def _suppressed(evaluation: Evaluation) -> bool:
    responses: int = evaluation.response_count  # type: ignore[attr-defined]
    return responses < evaluation.form.min_responses_shown


def _question(
    evaluation_id: int, question: Question, counts: dict[tuple[int, int, int], int], suppressed: bool
) -> dict[str, Any]:
    if suppressed:
        return {"text": question.text, "mean": None, "responses": None}
    per_value = [counts.get((evaluation_id, question.pk, value), 0) for value in SCALE_VALUES]
    answered = sum(per_value)
    mean = scale_mean(sum(v * c for v, c in zip(SCALE_VALUES, per_value, strict=True)), answered)
    return {"text": question.text, "mean": None if mean is None else float(mean), "responses": answered}


def _quotes(evaluation_ids: list[int], quote_ids: Collection[int]) -> dict[int, list[str]]:
    """{evaluation id: the chosen texts, in the order chosen} (one query; none without chosen ids)."""
    order = {pk: index for index, pk in enumerate(dict.fromkeys(int(pk) for pk in quote_ids))}
    if not order:
        return {}
    rows = sorted(
        Answer.objects.filter(
            pk__in=list(order), response__evaluation_id__in=evaluation_ids, question__kind=QuestionKind.TEXT
        ).values_list("pk", "response__evaluation_id", "text"),
        key=lambda row: order[row[0]],
    )
    quotes: dict[int, list[str]] = defaultdict(list)
    for _pk, evaluation_id, text in rows:
        if text.strip():
            quotes[evaluation_id].append(text.strip())
    return quotes
