"""A report's content: {"facts": annual_facts(...), "narratives": {section key: text}} — what every renderer
(the web page, the editor, DOCX, PDF, XLSX, JSON) takes.

A published report's content is its frozen snapshot; a draft's is computed now. `annual_facts` is imported
here under that name so tests can replace it (monkeypatch `fagnett.reports.content.annual_facts`).

`quote_choices` lists the free-text evaluation answers the coordinator may quote in the report: those of the
network's evaluations of activities starting in the year, never with the respondent, and none from an
evaluation whose results are suppressed for small numbers (evaluations/results.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Min

from fagnett.activities.models import Activity
from fagnett.evaluations.models import Answer, Evaluation, QuestionKind
from fagnett.networks.models import Membership, Network
from fagnett.reports.facts import annual_facts
from fagnett.reports.models import AnnualReport

Content = dict[str, Any]


def live_facts(report: AnnualReport) -> dict[str, Any]:
    """The report's facts computed now from the stored data (a draft's facts)."""
    return annual_facts(report.network, report.year, quote_ids=tuple(report.chosen_quotes or ()))


def narratives_of(report: AnnualReport) -> dict[str, str]:
    """The stored narratives by section key; none for a report not saved yet. One query."""
    if report.pk is None:
        return {}
    return dict(report.narratives.values_list("section", "text"))


def live_content(report: AnnualReport) -> Content:
    return {"facts": live_facts(report), "narratives": narratives_of(report)}


def report_content(report: AnnualReport) -> Content:
    """The snapshot of a published report; the live content of a draft."""
    if report.is_published and report.snapshot is not None:
        return dict(report.snapshot)
    return live_content(report)


@dataclass(frozen=True)
class QuoteChoice:
    pk: int
    activity: str
    date: dt.date
    question: str
    text: str


def quote_choices(network: Network, year: int) -> tuple[QuoteChoice, ...]:
    """The free-text answers that may be quoted, by activity date and question order. Two queries."""
    evaluations = (
        Evaluation.objects.filter(activity__network=network, activity__starts_on__year=year)
        .annotate(response_count=Count("responses"))
        .values_list("pk", "response_count", "form__min_responses_shown")
    )
    # Small numbers: an evaluation whose results are suppressed shows no free text anywhere.
    shown = [pk for pk, responses, minimum in evaluations if responses >= minimum]
    if not shown:
        return ()
    rows = (
        Answer.objects.filter(response__evaluation_id__in=shown, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .order_by(
            "response__evaluation__activity__starts_on",
            "response__evaluation_id",
            F("question__section__position").asc(nulls_first=True),
            "question__position",
            "question_id",
            "response_id",
            "pk",
        )
        .values_list(
            "pk",
            "response__evaluation__activity__title",
            "response__evaluation__activity__starts_on",
            "question__text",
            "text",
        )
    )
    return tuple(
        QuoteChoice(pk=pk, activity=activity, date=date, question=question, text=text.strip())
        for pk, activity, date, question, text in rows
        if text.strip()
    )


@dataclass(frozen=True)
class YearRow:
    year: int
    report: AnnualReport | None


def report_years(network: Network, today: dt.date, *, drafts: bool) -> tuple[YearRow, ...]:
    """The years a report can be written for, newest first: from the year of the network's first membership
    or activity (or of its oldest report) to this year, each with its report. Without `drafts` (everyone but
    the network coordinator) only years with a published report. Three queries."""
    reports = {report.year: report for report in AnnualReport.objects.filter(network=network)}
    first_membership = Membership.objects.filter(network=network).aggregate(first=Min("start"))["first"]
    first_activity = Activity.objects.filter(network=network).aggregate(first=Min("starts_on"))["first"]
    years = [day.year for day in (first_membership, first_activity) if day is not None]
    years.extend(year for year in reports if year <= today.year)
    first = min(years, default=today.year)
    rows = tuple(YearRow(year, reports.get(year)) for year in range(today.year, first - 1, -1))
    if drafts:
        return rows
    return tuple(row for row in rows if row.report is not None and row.report.is_published)
