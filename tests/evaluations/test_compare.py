"""One scale question compared across activities and years (results.comparison, views/results.compare)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from fagnett.accounts.models import User
from fagnett.activities.models import ActivityKind
from fagnett.evaluations.models import Question, QuestionKind
from fagnett.evaluations.results import comparison, comparison_choices
from fagnett.networks.models import Network
from tests.conftest import login
from tests.evaluations.test_results import SLUG, Built, attach, make_activity, make_form, respond
from tests.helpers import count_queries, nb

QUESTION = "Faglig utbytte"


def study_day(
    network: Network, title: str, day: dt.date, values: list[int], kind: str = ActivityKind.STUDY_DAY
) -> Built:
    built = attach(make_form(network), make_activity(network, title=title, day=day, kind=kind))
    for value in values:
        respond(built, scale=value)
    return built


@pytest.fixture
def days(network: Network) -> list[Built]:
    """Three study days over two years and a gathering, all asking "Faglig utbytte"."""
    return [
        study_day(network, "Fagdag vår", dt.date(2024, 3, 14), [4, 5, 5]),
        study_day(network, "Fagdag høst", dt.date(2024, 10, 2), [3, 3, 4, 4]),
        study_day(network, "Fagdag vår", dt.date(2025, 3, 13), [5, 4]),
        study_day(network, "Samling", dt.date(2025, 6, 11), [2, 3, 3], kind=ActivityKind.GATHERING),
    ]


def compare_url(**params: str) -> str:
    url = reverse("evaluations:compare", args=[SLUG])
    return f"{url}?{urlencode(params)}" if params else url


def test_it_gives_the_mean_and_count_per_activity_oldest_first(network: Network, days: list[Built]) -> None:
    rows = comparison(network, QUESTION).rows

    assert [(row.activity_title, row.starts_on.year) for row in rows] == [
        ("Fagdag vår", 2024),
        ("Fagdag høst", 2024),
        ("Fagdag vår", 2025),
        ("Samling", 2025),
    ]
    assert [row.mean for row in rows] == [Decimal("4.7"), Decimal("3.5"), None, Decimal("2.7")]
    assert [row.responses for row in rows] == [3, 4, 2, 3]
    assert [row.answered for row in rows] == [3, 4, None, 3]


def test_an_activity_below_its_forms_minimum_shows_only_its_responses(
    network: Network, days: list[Built]
) -> None:
    row = comparison(network, QUESTION).rows[2]

    assert row.suppressed
    assert row.responses == 2
    assert row.mean is None
    assert row.answered is None


def test_it_filters_by_year_and_by_kind_of_activity(network: Network, days: list[Built]) -> None:
    in_2025 = comparison(network, QUESTION, year=2025).rows
    gatherings = comparison(network, QUESTION, kind=ActivityKind.GATHERING).rows
    study_days_2024 = comparison(network, QUESTION, year=2024, kind=ActivityKind.STUDY_DAY).rows

    assert [row.activity_title for row in in_2025] == ["Fagdag vår", "Samling"]
    assert [row.activity_title for row in gatherings] == ["Samling"]
    assert [row.activity_title for row in study_days_2024] == ["Fagdag vår", "Fagdag høst"]


def test_only_questions_with_the_same_words_are_compared(network: Network, days: list[Built]) -> None:
    Question.objects.filter(form=days[1].evaluation.form, kind=QuestionKind.SCALE).update(
        text="Faglig utbytte av dagen"
    )

    assert [row.activity_title for row in comparison(network, QUESTION).rows] == [
        "Fagdag vår",
        "Fagdag vår",
        "Samling",
    ]


def test_an_activity_without_answers_to_the_question_has_no_mean(network: Network) -> None:
    built = attach(make_form(network, min_shown=1), make_activity(network))
    respond(built, single="Høy")

    row = comparison(network, QUESTION).rows[0]

    assert row.responses == 1
    assert row.answered == 0
    assert row.mean is None


def test_the_choices_are_the_scale_questions_and_years_in_use(
    network: Network, other_network: Network, days: list[Built]
) -> None:
    unused = make_form(network, title="Skjema uten aktivitet")  # on no activity: not offered
    Question.objects.filter(form=unused, kind=QuestionKind.SCALE).update(text="Ubrukt spørsmål")
    theirs = attach(make_form(other_network), make_activity(other_network, day=dt.date(2019, 5, 5)))
    Question.objects.filter(form=theirs.evaluation.form, kind=QuestionKind.SCALE).update(
        text="Bergens spørsmål"
    )

    choices = comparison_choices(network)

    assert choices.questions == (QUESTION,)
    assert choices.years == (2024, 2025)


def test_the_comparison_takes_the_same_queries_for_more_activities(
    network: Network, days: list[Built]
) -> None:
    few = count_queries(lambda: comparison(network, QUESTION))
    for year in (2021, 2022, 2023):
        study_day(network, "Fagdag", dt.date(year, 1, 10), [1, 2, 3, 4, 5])

    assert count_queries(lambda: comparison(network, QUESTION)) == few
    assert len(comparison(network, QUESTION).rows) == 7


def test_the_page_shows_a_chart_and_a_table_of_the_means(
    client: Client, alice: User, days: list[Built]
) -> None:
    page = login(client, alice).get(compare_url(sporsmal=QUESTION)).content.decode()

    assert 'role="img"' in page
    assert nb("Mean per activity: %(question)s", question=QUESTION) in page
    assert f"<caption>{nb('Mean per activity: %(question)s', question=QUESTION)}</caption>" in page
    assert '<td class="fn-number">4,7</td>' in page
    assert '<td class="fn-number">3,5</td>' in page
    assert nb("Hidden: fewer than %(minimum)s responses", minimum=3) in page
    assert reverse("evaluations:results", args=[SLUG, days[0].evaluation.pk]) in page
    assert "14.03.2024" in page


def test_the_page_filters_by_year(client: Client, alice: User, days: list[Built]) -> None:
    page = login(client, alice).get(compare_url(sporsmal=QUESTION, aar="2024")).content.decode()

    assert "Fagdag høst" in page
    assert "Samling" not in page.split("<h2", 1)[1]


def test_the_page_without_a_question_offers_the_choices(
    client: Client, alice: User, days: list[Built]
) -> None:
    response = login(client, alice).get(compare_url())

    page = response.content.decode()
    assert response.context["result"] is None
    assert f'<option value="{QUESTION}">{QUESTION}</option>' in page
    assert "ds-error-summary" not in page


def test_an_unknown_question_is_an_error_on_the_form(client: Client, alice: User, days: list[Built]) -> None:
    response = login(client, alice).get(compare_url(sporsmal="Finnes ikke"))

    assert response.status_code == 200
    assert response.context["result"] is None
    assert "ds-error-summary" in response.content.decode()


def test_the_page_says_so_when_there_is_nothing_to_compare(client: Client, alice: User) -> None:
    page = login(client, alice).get(compare_url()).content.decode()

    assert nb("No evaluation in the network has a scale question yet.") in page


@pytest.mark.parametrize("persona", ["alice", "carl", "rolf"])
def test_coordinators_chapter_coordinators_and_readers_may_compare(
    client: Client, days: list[Built], request: pytest.FixtureRequest, persona: str
) -> None:
    response = login(client, request.getfixturevalue(persona)).get(compare_url(sporsmal=QUESTION))

    assert response.status_code == 200
    assert len(response.context["result"].rows) == 4


@pytest.mark.parametrize("persona", ["rita", "lena", "charlie", "nobody"])
def test_everyone_else_gets_404_for_the_comparison(
    client: Client, days: list[Built], request: pytest.FixtureRequest, persona: str
) -> None:
    assert login(client, request.getfixturevalue(persona)).get(compare_url()).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in_for_the_comparison(client: Client, network: Network) -> None:
    response = client.get(compare_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_page_takes_the_same_queries_for_more_activities(
    client: Client, alice: User, network: Network, days: list[Built]
) -> None:
    login(client, alice)
    few = count_queries(lambda: client.get(compare_url(sporsmal=QUESTION)))
    for year in (2021, 2022, 2023):
        study_day(network, "Fagdag", dt.date(year, 1, 10), [1, 2, 3, 4, 5])

    assert count_queries(lambda: client.get(compare_url(sporsmal=QUESTION))) == few
