"""The results of an evaluation: the facts (evaluations.results), the results page and its PDF.

The helpers at the top build evaluations straight from the models; test_exports, test_compare and
test_evaluation_summary_command import them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.http import Http404
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities.models import Activity, ActivityKind, Attendance, AttendanceStatus
from fagnett.evaluations.charts import ChartBar, bar_chart
from fagnett.evaluations.models import (
    Answer,
    Evaluation,
    EvaluationForm,
    Option,
    Question,
    QuestionKind,
    Response,
    ResponseSource,
    Section,
)
from fagnett.evaluations.results import (
    EvaluationResults,
    QuestionResult,
    evaluation_in_network,
    evaluation_results,
)
from fagnett.networks.models import LocalChapter, Network, Person
from tests.conftest import login
from tests.helpers import count_queries, nb, needs_pdftotext, pdf_text

SLUG = "barnepalliasjon"
STUDY_DAY = dt.date(2025, 3, 14)


# Builders ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    """An evaluation of the standard test form and its four questions."""

    evaluation: Evaluation
    scale: Question
    single: Question
    multiple: Question
    text: Question

    def option(self, question: Question, text: str) -> Option:
        return question.options.get(text=text)


def make_activity(
    network: Network,
    title: str = "Fagdag: smertelindring",
    day: dt.date = STUDY_DAY,
    kind: str = ActivityKind.STUDY_DAY,
    chapter: LocalChapter | None = None,
) -> Activity:
    return Activity.objects.create(
        network=network, chapter=chapter, kind=kind, title=title, starts_on=day, ends_on=day
    )


def make_form(
    network: Network, *, anonymous: bool = True, min_shown: int = 3, title: str = "Evaluering av fagdag"
) -> EvaluationForm:
    """The default study-day form, shortened: a scale, a single and a multiple choice, a free text."""
    form = EvaluationForm.objects.create(
        network=network, title=title, anonymous=anonymous, min_responses_shown=min_shown
    )
    section = Section.objects.create(form=form, title="Utbytte", position=1)
    Question.objects.create(
        form=form,
        section=section,
        text="Faglig utbytte",
        kind=QuestionKind.SCALE,
        scale_min_label="Svært lite",
        scale_max_label="Svært stort",
        position=1,
    )
    single = Question.objects.create(
        form=form, section=section, text="Relevans for eget arbeid", kind=QuestionKind.SINGLE, position=2
    )
    for position, text in enumerate(["Høy", "Middels", "Lav"]):
        Option.objects.create(question=single, text=text, position=position)
    multiple = Question.objects.create(
        form=form, text="Hva fungerte best?", kind=QuestionKind.MULTIPLE, position=3
    )
    # Created out of order on purpose: results follow the options' positions, not their ids.
    for position, text in [(2, "Lunsj"), (0, "Foredrag"), (1, "Gruppearbeid")]:
        Option.objects.create(question=multiple, text=text, position=position)
    Question.objects.create(form=form, text="Hva var bra?", kind=QuestionKind.TEXT, position=4)
    return form


def attach(form: EvaluationForm, activity: Activity) -> Built:
    opens = dt.datetime.combine(activity.starts_on, dt.time(15), tzinfo=dt.UTC)
    evaluation = Evaluation.objects.create(
        form=form, activity=activity, opens_at=opens, closes_at=opens + dt.timedelta(days=14)
    )
    questions = {question.kind: question for question in form.questions.all()}
    return Built(
        evaluation=evaluation,
        scale=questions[QuestionKind.SCALE],
        single=questions[QuestionKind.SINGLE],
        multiple=questions[QuestionKind.MULTIPLE],
        text=questions[QuestionKind.TEXT],
    )


def evaluation_of(network: Network, *, anonymous: bool = True, min_shown: int = 3) -> Built:
    return attach(make_form(network, anonymous=anonymous, min_shown=min_shown), make_activity(network))


def respond(
    built: Built,
    *,
    scale: int | None = None,
    single: str | None = None,
    multiple: Sequence[str] = (),
    text: str = "",
    day: dt.date = STUDY_DAY,
    name: str = "",
) -> Response:
    response = Response.objects.create(
        evaluation=built.evaluation, submitted_on=day, source=ResponseSource.WEB, respondent_name=name
    )
    if scale is not None:
        Answer.objects.create(response=response, question=built.scale, number=scale)
    if single is not None:
        Answer.objects.create(
            response=response, question=built.single, option=built.option(built.single, single)
        )
    for text_of_option in multiple:
        Answer.objects.create(
            response=response, question=built.multiple, option=built.option(built.multiple, text_of_option)
        )
    if text:
        Answer.objects.create(response=response, question=built.text, text=text)
    return response


def attend(activity: Activity, count: int, status: str = AttendanceStatus.ATTENDED) -> None:
    first = Person.objects.filter(network=activity.network).count()
    for index in range(first, first + count):
        person = Person.objects.create(
            network=activity.network,
            first_name=f"Deltaker{index}",
            last_name=status,
            email=f"deltaker{index}.{status}@example.no",
        )
        Attendance.objects.create(activity=activity, person=person, status=status)


def standard_responses(built: Built) -> None:
    """Four responses: scale 3, 3, 4, 3 (mean 3.25 → 3.3), relevance Høy ×3 and Lav ×1, best Foredrag ×3,
    Gruppearbeid ×2 and Lunsj ×0 (one response skips it), three free texts and one blank."""
    respond(built, scale=3, single="Høy", multiple=["Foredrag", "Gruppearbeid"], text="Gode foredrag")
    respond(built, scale=3, single="Høy", multiple=["Foredrag"], text="Nyttig\nog relevant")
    respond(built, scale=4, single="Lav", multiple=["Gruppearbeid", "Foredrag"], text="   ")
    respond(built, scale=3, single="Høy", text="=1+1 var morsomt")


def results_url(built: Built, name: str = "results") -> str:
    return reverse(f"evaluations:{name}", args=[SLUG, built.evaluation.pk])


@pytest.fixture
def built(network: Network) -> Built:
    built = evaluation_of(network)
    standard_responses(built)
    attend(built.evaluation.activity, 6)
    attend(built.evaluation.activity, 2, AttendanceStatus.ABSENT)
    return built


def facts_of(built: Built) -> EvaluationResults:
    return evaluation_results(evaluation_in_network(built.evaluation.activity.network, built.evaluation.pk))


def question_of(facts: EvaluationResults, kind: str) -> QuestionResult:
    return next(question for question in facts.questions if question.kind == kind)


# Facts ----------------------------------------------------------------------------------------------------


def test_it_counts_responses_against_the_attendees_marked_attended(built: Built) -> None:
    facts = facts_of(built)

    assert facts.responses == 4
    assert facts.attendees == 6
    assert facts.response_rate == Decimal("0.667")
    assert facts.response_rate_percent == 67


def test_the_response_rate_is_empty_without_attendees(network: Network) -> None:
    built = evaluation_of(network, min_shown=1)
    respond(built, scale=5)

    facts = facts_of(built)

    assert facts.attendees == 0
    assert facts.response_rate is None
    assert facts.response_rate_percent is None


def test_it_counts_each_scale_value_and_rounds_the_mean_half_up(built: Built) -> None:
    scale = question_of(facts_of(built), QuestionKind.SCALE)

    assert scale.text == "Faglig utbytte"
    assert scale.answered == 4
    assert scale.distribution is not None
    assert [(bar.label, bar.count, bar.percent) for bar in scale.distribution] == [
        ("1", 0, 0),
        ("2", 0, 0),
        ("3", 3, 75),
        ("4", 1, 25),
        ("5", 0, 0),
    ]
    assert scale.mean == Decimal("3.3")


def test_it_counts_single_choice_options_in_the_forms_order(built: Built) -> None:
    single = question_of(facts_of(built), QuestionKind.SINGLE)

    assert single.distribution is not None
    assert [(bar.label, bar.count, bar.percent) for bar in single.distribution] == [
        ("Høy", 3, 75),
        ("Middels", 0, 0),
        ("Lav", 1, 25),
    ]
    assert single.mean is None


def test_multiple_choice_shares_are_of_those_who_answered_the_question(built: Built) -> None:
    multiple = question_of(facts_of(built), QuestionKind.MULTIPLE)

    # Three of four responses answered; shares of those three add up to more than 100 %.
    assert multiple.answered == 3
    assert multiple.distribution is not None
    assert [(bar.label, bar.count, bar.percent) for bar in multiple.distribution] == [
        ("Foredrag", 3, 100),
        ("Gruppearbeid", 2, 67),
        ("Lunsj", 0, 0),
    ]


def test_it_lists_each_free_text_answer_and_leaves_out_blank_ones(built: Built) -> None:
    text = question_of(facts_of(built), QuestionKind.TEXT)

    assert text.answers == ("Gode foredrag", "Nyttig\nog relevant", "=1+1 var morsomt")
    assert text.answered == 3
    assert text.distribution is None
    assert text.mean is None


def test_questions_come_as_the_answer_page_shows_them(built: Built) -> None:
    # The questions outside any section first, then section by section, each in its own order.
    texts = [question.text for question in facts_of(built).questions]

    assert texts == ["Hva fungerte best?", "Hva var bra?", "Faglig utbytte", "Relevans for eget arbeid"]


def test_below_the_forms_minimum_only_the_number_of_responses_is_left(network: Network) -> None:
    built = evaluation_of(network)
    respond(built, scale=5, single="Høy", multiple=["Lunsj"], text="Alt var bra")
    respond(built, scale=1, single="Lav", text="Ingenting var bra")

    facts = facts_of(built)

    assert facts.suppressed
    assert facts.responses == 2
    assert len(facts.questions) == 4
    for question in facts.questions:
        assert question.distribution is None
        assert question.mean is None
        assert question.answered is None
        assert question.answers == ()


def test_the_minimum_is_the_forms_own_setting(network: Network) -> None:
    strict = evaluation_of(network, min_shown=5)
    for value in (1, 2, 3, 4):
        respond(strict, scale=value)
    lenient = attach(make_form(network, min_shown=1), make_activity(network, title="Samling", day=STUDY_DAY))
    respond(lenient, scale=4)

    assert facts_of(strict).suppressed
    assert question_of(facts_of(strict), QuestionKind.SCALE).mean is None
    assert not facts_of(lenient).suppressed
    assert question_of(facts_of(lenient), QuestionKind.SCALE).mean == Decimal(4)


def test_the_facts_take_the_same_queries_for_3_and_30_responses(network: Network) -> None:
    built = evaluation_of(network)
    for _ in range(3):
        respond(built, scale=4, single="Middels", multiple=["Foredrag", "Lunsj"], text="Fint")
    few = count_queries(lambda: facts_of(built))
    for _ in range(27):
        respond(built, scale=2, single="Høy", multiple=["Lunsj"], text="Greit")

    assert count_queries(lambda: facts_of(built)) == few
    assert question_of(facts_of(built), QuestionKind.TEXT).answered == 30


def test_an_evaluation_of_another_network_is_not_found(network: Network, other_network: Network) -> None:
    theirs = evaluation_of(other_network)

    with pytest.raises(Http404):
        evaluation_in_network(network, theirs.evaluation.pk)


# The results page ---------------------------------------------------------------------------------------


def test_the_page_shows_counts_and_rate(client: Client, alice: User, built: Built) -> None:
    page = login(client, alice).get(results_url(built)).content.decode()

    assert re.search(r"<dd>\s*4\s*</dd>", page)
    assert re.search(r"<dd>\s*6\s*</dd>", page)
    assert "67&nbsp;%" in page


def test_the_page_shows_each_question_as_a_chart_with_its_table(
    client: Client, alice: User, built: Built
) -> None:
    page = login(client, alice).get(results_url(built)).content.decode()

    assert page.count('role="img"') == 3  # scale, single and multiple choice; none for free text
    assert f'<title id="fn-chart-{built.scale.pk}-title">Faglig utbytte</title>' in page
    assert f'aria-labelledby="fn-chart-{built.scale.pk}-title fn-chart-{built.scale.pk}-desc"' in page
    assert nb("Answers to “%(text)s”", text="Faglig utbytte") in page
    assert '<th scope="row">3</th><td class="fn-number">3</td><td class="fn-number">75&nbsp;%</td>' in page
    assert '<th scope="row">1 – Svært lite</th>' in page
    assert '<th scope="row">Gruppearbeid</th><td class="fn-number">2</td>' in page


def test_the_page_shows_the_mean_with_a_decimal_comma(client: Client, alice: User, built: Built) -> None:
    page = login(client, alice).get(results_url(built)).content.decode()

    assert nb("mean %(mean)s", mean="3,3") in page
    assert '<td class="fn-number" colspan="2">3,3</td>' in page


def test_the_page_lists_each_free_text_answer(client: Client, alice: User, built: Built) -> None:
    page = login(client, alice).get(results_url(built)).content.decode()

    assert "<li>Gode foredrag</li>" in page
    assert "<li>Nyttig<br>og relevant</li>" in page
    assert "<li>=1+1 var morsomt</li>" in page


def test_the_page_shows_only_the_count_below_the_minimum(
    client: Client, alice: User, network: Network
) -> None:
    built = evaluation_of(network)
    respond(built, scale=5, text="Hemmelig svar")
    respond(built, scale=1)

    page = login(client, alice).get(results_url(built)).content.decode()

    assert re.search(r"<dd>\s*2\s*</dd>", page)
    assert "Hemmelig svar" not in page
    assert "<svg" not in page
    assert "Faglig utbytte" not in page
    assert (
        nb(
            "The answers are shown when there are at least %(minimum)s responses, so that nobody can be "
            "recognised. Until then only the number of responses is shown.",
            minimum=3,
        )
        in page
    )
    assert reverse("evaluations:export", args=[SLUG, built.evaluation.pk, "csv"]) not in page


def test_the_page_escapes_answers(client: Client, alice: User, network: Network) -> None:
    built = evaluation_of(network, min_shown=1)
    respond(built, text="<script>alert(1)</script>")

    page = login(client, alice).get(results_url(built)).content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_page_links_to_the_pdf_and_the_comparison(client: Client, rolf: User, built: Built) -> None:
    page = login(client, rolf).get(results_url(built)).content.decode()

    assert results_url(built, "results_pdf") in page
    assert reverse("evaluations:compare", args=[SLUG]) in page


@pytest.mark.parametrize(("persona", "sees_exports"), [("alice", True), ("carl", False), ("rolf", False)])
def test_only_those_who_manage_the_activity_see_the_export_links(
    client: Client, built: Built, request: pytest.FixtureRequest, persona: str, sees_exports: bool
) -> None:
    page = login(client, request.getfixturevalue(persona)).get(results_url(built)).content.decode()

    assert (reverse("evaluations:export", args=[SLUG, built.evaluation.pk, "xlsx"]) in page) is sees_exports


def test_a_chapter_coordinator_sees_the_export_links_of_the_chapters_activity(
    client: Client, carl: User, network: Network, chapter: LocalChapter
) -> None:
    built = attach(make_form(network), make_activity(network, chapter=chapter))
    standard_responses(built)

    page = login(client, carl).get(results_url(built)).content.decode()

    assert reverse("evaluations:export", args=[SLUG, built.evaluation.pk, "csv"]) in page


@pytest.mark.parametrize("persona", ["alice", "carl", "rolf"])
def test_coordinators_chapter_coordinators_and_readers_see_the_results(
    client: Client, built: Built, request: pytest.FixtureRequest, persona: str
) -> None:
    response = login(client, request.getfixturevalue(persona)).get(results_url(built))

    assert response.status_code == 200
    assert response.context["nav"] == "evaluations"


@pytest.mark.parametrize("persona", ["rita", "lena", "charlie", "nobody"])
def test_everyone_else_gets_404_for_the_results(
    client: Client, built: Built, request: pytest.FixtureRequest, persona: str
) -> None:
    assert login(client, request.getfixturevalue(persona)).get(results_url(built)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in_for_the_results(client: Client, built: Built) -> None:
    response = client.get(results_url(built))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_results_of_another_network_are_not_found_under_this_one(
    client: Client, alice: User, network: Network, other_network: Network
) -> None:
    theirs = evaluation_of(other_network)
    standard_responses(theirs)

    assert login(client, alice).get(results_url(theirs)).status_code == 404


def test_the_page_takes_the_same_queries_for_3_and_30_responses(
    client: Client, alice: User, network: Network
) -> None:
    built = evaluation_of(network)
    attend(built.evaluation.activity, 3)
    for _ in range(3):
        respond(built, scale=4, single="Middels", multiple=["Foredrag", "Lunsj"], text="Fint")
    login(client, alice)
    few = count_queries(lambda: client.get(results_url(built)))
    for _ in range(27):
        respond(built, scale=2, single="Høy", multiple=["Lunsj"], text="Greit")
    attend(built.evaluation.activity, 5)

    many = count_queries(lambda: client.get(results_url(built)))

    assert many == few
    assert "Greit" in client.get(results_url(built)).content.decode()


# The PDF ------------------------------------------------------------------------------------------------


@pytest.fixture
def frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 4, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.mark.usefixtures("frozen_today")
def test_the_pdf_is_an_attachment_named_after_the_activity(client: Client, alice: User, built: Built) -> None:
    response = login(client, alice).get(results_url(built, "results_pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="evaluering-fagdag-smertelindring-2025-03-14.pdf"'
    )
    assert response.content.startswith(b"%PDF")


@needs_pdftotext
def test_the_pdf_holds_the_same_numbers_as_the_page(
    client: Client, alice: User, built: Built, tmp_path: Path
) -> None:
    text = pdf_text(login(client, alice).get(results_url(built, "results_pdf")).content, tmp_path)

    assert "Fagdag: smertelindring" in text
    assert "Faglig utbytte" in text
    assert nb("mean %(mean)s", mean="3,3") in text
    assert "67 %" in text
    assert "Gode foredrag" in text
    assert "=1+1 var morsomt" in text
    page_word = nb("Page %(page)s of %(pages)s").split("%(page)s")[0].strip()
    assert f"{page_word} 1" in text


@needs_pdftotext
def test_the_pdf_shows_only_the_count_below_the_minimum(
    client: Client, alice: User, network: Network, tmp_path: Path
) -> None:
    built = evaluation_of(network)
    respond(built, scale=5, text="Hemmelig svar")

    text = pdf_text(login(client, alice).get(results_url(built, "results_pdf")).content, tmp_path)

    assert "Hemmelig svar" not in text
    assert "Faglig utbytte" not in text


@pytest.mark.parametrize(
    ("persona", "status"),
    [("carl", 200), ("rolf", 200), ("rita", 404), ("lena", 404), ("charlie", 404), ("nobody", 404)],
)
def test_the_pdf_is_for_those_who_see_aggregates(
    client: Client, built: Built, request: pytest.FixtureRequest, persona: str, status: int
) -> None:
    response = login(client, request.getfixturevalue(persona)).get(results_url(built, "results_pdf"))

    assert response.status_code == status


def test_anonymous_visitors_are_sent_to_log_in_for_the_pdf(client: Client, built: Built) -> None:
    response = client.get(results_url(built, "results_pdf"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Charts -------------------------------------------------------------------------------------------------


def test_a_chart_escapes_its_texts_and_shows_every_value_as_text() -> None:
    svg = bar_chart(
        [ChartBar("<b>Høy</b>", 0.5, "2 (50 %)"), ChartBar("Lav", 0.0, "0 (0 %)")],
        chart_id="fn-chart-x",
        title="<script>",
        description="Beskrivelse & mer",
    )

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&lt;b&gt;Høy&lt;/b&gt;" in svg
    assert "Beskrivelse &amp; mer" in svg
    assert "2 (50 %)" in svg
    assert "0 (0 %)" in svg
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="fn-chart" role="img"')


def test_a_chart_cuts_a_long_label_short() -> None:
    svg = bar_chart([ChartBar("x" * 200, 1.0, "1")], chart_id="c", title="t", description="d")

    assert "x" * 200 not in svg
    assert "…" in svg
