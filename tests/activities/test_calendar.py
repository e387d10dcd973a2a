"""The network calendar: list and month view, filters, who sees it and what managers see besides."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Registration,
    RegistrationStatus,
    Theme,
)
from fagnett.activities.queries import CalendarDay, MonthFacts
from fagnett.networks.models import LocalChapter, Network, Person
from tests.conftest import login
from tests.helpers import count_queries, nb

URL = reverse("activities:calendar", args=["barnepalliasjon"])
CREATE = reverse("activities:activity_create", args=["barnepalliasjon"])
TODAY = dt.date(2025, 5, 15)

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 5, 15, 10, tzinfo=dt.UTC), tick=False):
        yield


def make_activity(
    network: Network,
    title: str,
    starts_on: dt.date,
    *,
    ends_on: dt.date | None = None,
    kind: str = ActivityKind.GATHERING,
    chapter: LocalChapter | None = None,
    themes: tuple[Theme, ...] = (),
    **fields: object,
) -> Activity:
    activity = Activity.objects.create(
        network=network,
        title=title,
        kind=kind,
        chapter=chapter,
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        **fields,
    )
    activity.themes.set(themes)
    return activity


@dataclass
class Plan:
    pain: Activity
    study_days: Activity
    reflection: Activity
    course: Activity
    webinar: Activity
    grief: Theme
    pain_theme: Theme


@pytest.fixture
def plan(network: Network, chapter: LocalChapter, other_network: Network) -> Plan:
    """The network's year around 15.05.2025, with one activity of another network that must never show."""
    pain_theme = Theme.objects.create(network=network, name="Smertelindring")
    grief = Theme.objects.create(network=network, name="Sorg")
    plan = Plan(
        pain=make_activity(
            network,
            "Samling om smerte",
            dt.date(2025, 6, 10),
            start_time=dt.time(9, 0),
            end_time=dt.time(15, 30),
            hours=Decimal("6.5"),
            place="SUS, auditorium 1",
            capacity=20,
            themes=(pain_theme,),
        ),
        study_days=make_activity(
            network,
            "Fagdager i Stavanger",
            dt.date(2025, 6, 30),
            ends_on=dt.date(2025, 7, 1),
            kind=ActivityKind.STUDY_DAY,
            chapter=chapter,
            themes=(grief,),
        ),
        reflection=make_activity(
            network, "Refleksjonsdager", dt.date(2025, 6, 17), ends_on=dt.date(2025, 6, 18), kind="refleksjon"
        ),
        course=make_activity(network, "Kurs i august", dt.date(2025, 8, 5), kind=ActivityKind.COURSE),
        webinar=make_activity(network, "Webinar i mars", dt.date(2025, 3, 10), kind=ActivityKind.WEBINAR),
        grief=grief,
        pain_theme=pain_theme,
    )
    make_activity(other_network, "Fremmed samling", dt.date(2025, 6, 10))
    return plan


def titles(response: object) -> list[str]:
    facts = response.context["facts"]  # type: ignore[attr-defined]
    return [row.activity.title for group in facts.groups for row in group.rows]


def month_of(response: object) -> MonthFacts:
    month: MonthFacts = response.context["month"]  # type: ignore[attr-defined]
    return month


def day_cell(month: MonthFacts, day: int) -> CalendarDay:
    for week in month.weeks:
        for cell in week.days:
            if cell.day is not None and cell.day.day == day:
                return cell
    raise AssertionError(f"no day {day}")


# Access ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "carl", "rita", "lena", "rolf"])
def test_everyone_with_a_role_in_the_network_sees_the_calendar(
    client: Client, persona: str, plan: Plan, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 200
    assert client.get(f"{URL}?visning=maaned").status_code == 200


@pytest.mark.parametrize("persona", ["charlie", "nobody"])
def test_others_get_404(client: Client, persona: str, plan: Plan, request: pytest.FixtureRequest) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404
    assert client.get(f"{URL}?visning=maaned").status_code == 404


def test_anonymous_visitors_are_sent_to_login(client: Client, plan: Plan) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("persona", "sees_button"),
    [("alice", True), ("carl", True), ("rita", False), ("lena", False), ("rolf", False)],
)
def test_only_those_who_may_create_activities_see_the_new_activity_button(
    client: Client, persona: str, sees_button: bool, plan: Plan, request: pytest.FixtureRequest
) -> None:
    page = login(client, request.getfixturevalue(persona)).get(URL).content.decode()
    assert (CREATE in page) is sees_button
    assert (nb("New activity") in page) is sees_button


# The list ----------------------------------------------------------------------------------------------


def test_the_list_shows_upcoming_activities_grouped_by_the_month_they_start(
    client: Client, alice: User, plan: Plan
) -> None:
    response = login(client, alice).get(URL)
    groups = response.context["facts"].groups
    assert [group.month for group in groups] == [dt.date(2025, 6, 1), dt.date(2025, 8, 1)]
    assert [[row.activity.title for row in group.rows] for group in groups] == [
        ["Samling om smerte", "Refleksjonsdager", "Fagdager i Stavanger"],
        ["Kurs i august"],
    ]
    page = response.content.decode()
    assert "Webinar i mars" not in page and "Fremmed samling" not in page
    assert "10.06.2025" in page and "09:00–15:30" in page
    assert "30.06.2025–01.07.2025" in re.sub(r"<[^>]+>", "", page)


def test_an_activity_that_started_yesterday_and_goes_on_today_is_upcoming(
    client: Client, alice: User, network: Network
) -> None:
    make_activity(network, "Pågår", TODAY - dt.timedelta(days=1), ends_on=TODAY)
    make_activity(network, "Ferdig", TODAY - dt.timedelta(days=2), ends_on=TODAY - dt.timedelta(days=1))
    assert titles(login(client, alice).get(URL)) == ["Pågår"]


def test_a_period_shows_the_activities_overlapping_it(client: Client, alice: User, plan: Plan) -> None:
    login(client, alice)
    assert titles(client.get(f"{URL}?fra=2025-03-01&til=2025-03-31")) == ["Webinar i mars"]
    # The study days start on 30.06 and end on 01.07, so they are in July too.
    assert titles(client.get(f"{URL}?fra=2025-07-01&til=2025-07-31")) == ["Fagdager i Stavanger"]
    assert titles(client.get(f"{URL}?til=2025-06-10")) == ["Webinar i mars", "Samling om smerte"]


def test_the_upcoming_list_links_to_earlier_activities(client: Client, alice: User, plan: Plan) -> None:
    response = login(client, alice).get(URL)
    assert response.context["earlier_from"] == "2024-05-15"
    assert response.context["earlier_to"] == "2025-05-14"
    page = response.content.decode()
    assert f"{URL}?fra=2024-05-15&amp;til=2025-05-14" in page
    assert titles(client.get(f"{URL}?fra=2024-05-15&til=2025-05-14")) == ["Webinar i mars"]


def test_filters_by_kind_chapter_and_theme(client: Client, alice: User, plan: Plan) -> None:
    login(client, alice)
    assert titles(client.get(f"{URL}?type=fagdag")) == ["Fagdager i Stavanger"]
    assert titles(client.get(f"{URL}?lokallag=stavanger")) == ["Fagdager i Stavanger"]
    assert titles(client.get(f"{URL}?tema={plan.pain_theme.pk}")) == ["Samling om smerte"]
    assert titles(client.get(f"{URL}?tema=sORG")) == ["Fagdager i Stavanger"]
    assert titles(client.get(f"{URL}?type=kurs&tema={plan.grief.pk}")) == []


def test_an_unknown_filter_value_matches_nothing_or_is_ignored(
    client: Client, alice: User, plan: Plan
) -> None:
    login(client, alice)
    # An unknown theme (an old link) must not show everything as if unfiltered.
    assert titles(client.get(f"{URL}?tema=finnes-ikke")) == []
    assert len(titles(client.get(f"{URL}?type=ukjent"))) == 4
    assert client.get(f"{URL}?fra=ikke-en-dato").status_code == 200


def test_the_filter_form_offers_the_networks_chapters_and_themes(
    client: Client, alice: User, plan: Plan, other_network: Network
) -> None:
    Theme.objects.create(network=other_network, name="Fremmed tema")
    form = login(client, alice).get(URL).context["filters_form"]
    assert form.choices.chapters == [("stavanger", "Stavanger")]
    assert [name for _, name in form.choices.themes] == ["Smertelindring", "Sorg"]


def test_each_activity_shows_kind_place_chapter_themes_and_hours(
    client: Client, rita: User, plan: Plan
) -> None:
    page = login(client, rita).get(URL).content.decode()
    assert str(ActivityKind.STUDY_DAY.label) in page or nb("Study day") in page
    assert "SUS, auditorium 1" in page
    assert '<span class="ds-tag" data-color="info">Smertelindring</span>' in page
    assert "Stavanger" in page
    assert "<dd>6,5</dd>" in page
    assert reverse("activities:activity_detail", args=["barnepalliasjon", plan.pain.pk]) in page


def test_managers_see_the_number_registered_of_the_capacity(
    client: Client, alice: User, carl: User, rita: User, network: Network, plan: Plan
) -> None:
    person = Person.objects.get(network=network, user=rita)
    Registration.objects.create(activity=plan.pain, person=person, status=RegistrationStatus.REGISTERED)
    other = Person.objects.create(network=network, first_name="O", last_name="A", email="o@example.no")
    Registration.objects.create(activity=plan.pain, person=other, status=RegistrationStatus.CANCELLED)
    Registration.objects.create(activity=plan.study_days, person=other, status=RegistrationStatus.REGISTERED)

    rows = {
        row.activity.pk: row
        for group in login(client, alice).get(URL).context["facts"].groups
        for row in group.rows
    }
    assert rows[plan.pain.pk].registered == 1 and rows[plan.pain.pk].can_manage
    assert nb("%(registered)s of %(capacity)s", registered=1, capacity=20) in client.get(URL).content.decode()

    rows = {
        row.activity.pk: row
        for group in login(client, carl).get(URL).context["facts"].groups
        for row in group.rows
    }
    assert rows[plan.study_days.pk].can_manage and not rows[plan.pain.pk].can_manage

    page = login(client, rita).get(URL).content.decode()
    assert nb("%(registered)s of %(capacity)s", registered=1, capacity=20) not in page
    assert f"<dt>{nb('Registered')}</dt>" not in page


# The month view ----------------------------------------------------------------------------------------


def test_the_month_view_is_a_grid_from_monday_to_sunday_with_week_numbers(
    client: Client, alice: User, plan: Plan
) -> None:
    response = login(client, alice).get(f"{URL}?visning=maaned&maaned=2025-06")
    month = month_of(response)
    assert month.month == dt.date(2025, 6, 1)
    # 01.06.2025 is a Sunday in week 22; 30.06 a Monday in week 27.
    assert [week.number for week in month.weeks] == [22, 23, 24, 25, 26, 27]
    assert [cell.day for cell in month.weeks[0].days][:6] == [None] * 6
    assert month.weeks[0].days[6].day == dt.date(2025, 6, 1)
    assert all(len(week.days) == 7 for week in month.weeks)
    page = response.content.decode()
    assert '<table class="ds-table fn-month">' in page and "<caption>" in page
    assert page.count('<th scope="col">') == 8


def test_each_day_lists_the_activities_taking_place_on_it(client: Client, alice: User, plan: Plan) -> None:
    month = month_of(login(client, alice).get(f"{URL}?visning=maaned&maaned=2025-06"))
    assert [row.activity for row in day_cell(month, 10).rows] == [plan.pain]
    # A two-day activity is on both of its days, and not after.
    assert [row.activity for row in day_cell(month, 17).rows] == [plan.reflection]
    assert [row.activity for row in day_cell(month, 18).rows] == [plan.reflection]
    assert day_cell(month, 19).rows == []
    assert [row.activity for row in day_cell(month, 30).rows] == [plan.study_days]
    assert month.count == 3

    july = month_of(client.get(f"{URL}?visning=maaned&maaned=2025-07"))
    assert [row.activity for row in day_cell(july, 1).rows] == [plan.study_days]
    assert day_cell(july, 2).rows == []


def test_the_month_view_links_to_the_previous_and_next_month_keeping_the_filters(
    client: Client, alice: User, plan: Plan
) -> None:
    page = login(client, alice).get(f"{URL}?visning=maaned&maaned=2025-06&type=fagdag").content.decode()
    assert "?visning=maaned&amp;maaned=2025-05&amp;type=fagdag" in page
    assert "?visning=maaned&amp;maaned=2025-07&amp;type=fagdag" in page
    month = month_of(client.get(f"{URL}?visning=maaned&maaned=2025-06&type=fagdag"))
    assert month.count == 1
    december = month_of(client.get(f"{URL}?visning=maaned&maaned=2025-12"))
    assert december.previous_month == dt.date(2025, 11, 1) and december.next_month == dt.date(2026, 1, 1)


def test_the_month_view_starts_at_this_month_and_marks_today(client: Client, alice: User, plan: Plan) -> None:
    login(client, alice)
    for query in ("?visning=maaned", "?visning=maaned&maaned=tull", "?visning=maaned&maaned=2025-13"):
        month = month_of(client.get(URL + query))
        assert month.month == dt.date(2025, 5, 1)
    month = month_of(client.get(f"{URL}?visning=maaned"))
    assert day_cell(month, 15).is_today and not day_cell(month, 14).is_today
    assert 'aria-current="date"' in client.get(f"{URL}?visning=maaned").content.decode()


# Query counts ------------------------------------------------------------------------------------------


def add_activities(network: Network, chapter: LocalChapter, count: int, themes: list[Theme]) -> None:
    persons = Person.objects.bulk_create(
        Person(network=network, first_name="P", last_name=str(i), email=f"p{count}-{i}@example.no")
        for i in range(3)
    )
    for i in range(count):
        activity = make_activity(
            network,
            f"Aktivitet {count}-{i}",
            dt.date(2025, 6, 1) + dt.timedelta(days=i % 28),
            chapter=chapter if i % 2 else None,
            themes=tuple(themes),
            capacity=10,
        )
        Registration.objects.bulk_create(
            Registration(activity=activity, person=person, status=RegistrationStatus.REGISTERED)
            for person in persons
        )


@pytest.mark.parametrize(
    "query", ["", "?visning=maaned&maaned=2025-06", f"?tema=1&type={ActivityKind.GATHERING}"]
)
def test_the_calendar_runs_the_same_number_of_queries_for_5_and_40_activities(
    client: Client, alice: User, network: Network, chapter: LocalChapter, query: str
) -> None:
    themes = [Theme.objects.create(network=network, name=name) for name in ("A", "B", "C")]
    add_activities(network, chapter, 5, themes)
    login(client, alice)
    few = count_queries(lambda: client.get(URL + query))
    add_activities(network, chapter, 35, themes)
    assert len(Activity.objects.filter(network=network)) == 40
    assert count_queries(lambda: client.get(URL + query)) == few
