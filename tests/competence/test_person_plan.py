"""The person's competence-plan page: who may open it, the statuses and what is left, the upcoming activities
that would count (with a one-click sign-up for the person themself), a fixed number of queries, and agreement
with `competence_status` on the demo network."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Audience,
    Registration,
    RegistrationStatus,
)
from fagnett.competence.engine import RequirementStatus
from fagnett.competence.models import CompetenceStatus, ReminderPreference, RequirementKind
from fagnett.competence.words import left_in_words
from fagnett.networks.demo import DEMO_COORDINATOR_EMAIL, DEMO_SLUG
from fagnett.networks.models import LocalChapter, Membership, Network, Person
from tests.competence.helpers import attend, resource_person
from tests.conftest import login
from tests.helpers import count_queries, nb

pytestmark = pytest.mark.django_db

# Rita joined on 01.03.2022, so her introductory course and job shadowing are due by 01.03.2023.
NOW = dt.datetime(2023, 2, 1, 12, tzinfo=dt.UTC)
TODAY = NOW.date()


# Helpers ------------------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """What a test needs from a rendered page: each requirement's status (from the status tag inside the
    requirement's card) and the POST forms with their action and fields."""

    def __init__(self) -> None:
        super().__init__()
        self.statuses: dict[str, str] = {}
        self.forms: list[dict[str, Any]] = []
        self._requirement: str | None = None
        self._form: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "article" and a.get("aria-labelledby", "").startswith("fn-req-"):
            self._requirement = a["aria-labelledby"].removeprefix("fn-req-")
        elif tag == "span" and "data-status" in a and self._requirement is not None:
            self.statuses.setdefault(self._requirement, a["data-status"])
        elif tag == "form" and a.get("method") == "post":
            self._form = {"action": a.get("action", ""), "fields": {}}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and a.get("name"):
            self._form["fields"][a["name"]] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._requirement = None
        elif tag == "form":
            self._form = None


def read(html: str) -> _Page:
    parser = _Page()
    parser.feed(html)
    return parser


def plan_url(person: Person, year: int | None = None) -> str:
    url = reverse("competence:person_plan", args=[person.network.slug, person.pk])
    return f"{url}?aar={year}" if year is not None else url


def signup_url(activity: Activity) -> str:
    return reverse("activities:signup", args=[activity.network.slug, activity.pk])


def signup_forms(page: _Page) -> dict[str, dict[str, str]]:
    return {form["action"]: form["fields"] for form in page.forms if "/pamelding/" in form["action"]}


def upcoming(network: Network, kind: str, day: dt.date, title: str, **extra: Any) -> Activity:
    return Activity.objects.create(
        network=network, kind=kind, title=title, starts_on=day, ends_on=day, hours=Decimal(6), **extra
    )


def rita_person(rita: User) -> Person:
    return Person.objects.get(user=rita)


@pytest.fixture
def history(network: Network, rita: User) -> Person:
    """Rita's attendance in 2022 and January 2023."""
    person = rita_person(rita)
    attend(person, ActivityKind.INTRO_COURSE, dt.date(2022, 4, 5), "6", title="Introkurs", credited="2")
    attend(person, ActivityKind.GATHERING, dt.date(2022, 5, 1), "6", title="Vårsamling 2022")
    attend(person, ActivityKind.GATHERING, dt.date(2022, 10, 1), "6", title="Høstsamling 2022")
    attend(person, ActivityKind.GATHERING, dt.date(2023, 1, 20), "6", title="Vintersamling", credited="4")
    return person


@pytest.fixture
def coming(network: Network, rita: User) -> dict[str, Activity]:
    """Activities from today: some count towards Rita's due requirements, some do not."""
    person = rita_person(rita)
    fagdag = upcoming(network, ActivityKind.STUDY_DAY, dt.date(2023, 5, 5), "Fagdag 2023")
    Registration.objects.create(activity=fagdag, person=person, status=RegistrationStatus.REGISTERED)
    return {
        "intro": upcoming(network, ActivityKind.INTRO_COURSE, dt.date(2023, 2, 20), "Introkurs februar"),
        "intro_late": upcoming(network, ActivityKind.INTRO_COURSE, dt.date(2023, 4, 1), "Introkurs april"),
        "gathering": upcoming(network, ActivityKind.GATHERING, dt.date(2023, 3, 10), "Vårsamling 2023"),
        "webinar": upcoming(network, ActivityKind.WEBINAR, dt.date(2023, 3, 1), "Webinar om smerte"),
        "closed": upcoming(
            network,
            ActivityKind.GATHERING,
            dt.date(2023, 6, 1),
            "Sommersamling",
            registration_deadline=dt.date(2023, 1, 15),
        ),
        "past": upcoming(network, ActivityKind.GATHERING, dt.date(2023, 1, 25), "Januarsamling"),
        "fagdag": fagdag,
    }


# Who may open it ----------------------------------------------------------------------------------------


@pytest.fixture
def rita_in_chapter(rita: User, chapter: LocalChapter) -> Person:
    person = rita_person(rita)
    Membership.objects.filter(person=person).update(chapter=chapter)
    return person


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("alice", 200),
        ("carl", 200),
        ("rita", 200),
        ("lena", 200),
        ("rolf", 404),
        ("charlie", 404),
        ("nobody", 404),
    ],
)
def test_it_shows_ritas_plan_to_herself_her_leader_and_coordinators_only(
    client: Client, request: pytest.FixtureRequest, rita_in_chapter: Person, persona: str, expected: int
) -> None:
    user = request.getfixturevalue(persona)
    login(client, user)
    assert client.get(plan_url(rita_in_chapter)).status_code == expected


@time_machine.travel(NOW, tick=False)
def test_it_answers_404_to_a_chapter_coordinator_for_a_person_outside_the_chapter(
    client: Client, network: Network, carl: User, rita_in_chapter: Person
) -> None:
    outsider = resource_person(network, "utenfor@example.no", dt.date(2022, 1, 1))
    login(client, carl)
    assert client.get(plan_url(outsider)).status_code == 404
    assert client.get(plan_url(rita_in_chapter)).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_it_answers_404_to_another_resource_person(client: Client, network: Network, rita: User) -> None:
    other = resource_person(network, "kollega@example.no", dt.date(2022, 1, 1))
    login(client, rita)
    assert client.get(plan_url(other)).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_it_sends_an_anonymous_visitor_to_the_login_page(client: Client, rita: User) -> None:
    response = client.get(plan_url(rita_person(rita)))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@time_machine.travel(NOW, tick=False)
def test_it_answers_404_for_a_person_of_another_network(
    client: Client, alice: User, other_network: Network
) -> None:
    stranger = resource_person(other_network, "fremmed@example.no", dt.date(2022, 1, 1))
    login(client, alice)
    url = reverse("competence:person_plan", args=["barnepalliasjon", stranger.pk])
    assert client.get(url).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_it_marks_my_plan_in_the_menu_for_the_person_and_persons_for_others(
    client: Client, rita: User, lena: User
) -> None:
    person = rita_person(rita)
    login(client, rita)
    assert client.get(plan_url(person)).context["nav"] == "my_plan"
    login(client, lena)
    assert client.get(plan_url(person)).context["nav"] == "roster"


# Statuses and what is left ------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_shows_each_requirements_status_and_what_is_left_this_year(
    client: Client, rita: User, history: Person
) -> None:
    login(client, rita)
    response = client.get(plan_url(history))
    html = response.content.decode()

    assert read(html).statuses == {
        "introduksjonskurs": "due",
        "hospitering": "due",
        "samlinger_antall": "due",
        "samlinger_timer": "due",
        "fagdag": "due",
    }
    assert nb("%(items)s left", items=nb("%(hours)s hours", hours="4")) in html
    assert nb("%(items)s left", items=nb("1 day of job shadowing")) in html
    assert nb("%(items)s left", items=nb("1 activity")) in html
    assert nb("%(items)s left", items=nb("%(hours)s hours", hours="8")) in html
    assert nb("%(items)s left", items=nb("%(hours)s hours", hours="6")) in html
    # The introductory course's deadline: twelve months after Rita joined.
    assert "01.03.2023" in html
    assert "Kompetanseplan for ressurssykepleiere" in html
    assert (
        nb(
            "Yearly requirements apply in a year you have been a member for at least %(months)s months.",
            months=6,
        )
        in html
    )


@time_machine.travel(NOW, tick=False)
def test_it_shows_the_activities_that_counted_with_date_and_credited_hours(
    client: Client, rita: User, history: Person
) -> None:
    login(client, rita)
    html = client.get(plan_url(history, 2022)).content.decode()

    statuses = read(html).statuses
    assert statuses["samlinger_antall"] == "met"
    assert statuses["samlinger_timer"] == "met"
    assert statuses["fagdag"] == "overdue"
    assert "Vårsamling 2022" in html
    assert "01.05.2022" in html
    assert "Høstsamling 2022" in html
    assert nb("%(hours)s h credited", hours="6") in html
    assert "Vintersamling" not in html  # 2023 does not count in 2022


@time_machine.travel(NOW, tick=False)
def test_it_shows_job_shadowing_days_of_a_met_requirement(
    client: Client, rita: User, history: Person
) -> None:
    from tests.competence.helpers import shadow

    shadow(history, dt.date(2022, 11, 1), "1.5")
    login(client, rita)
    html = client.get(plan_url(history)).content.decode()

    assert read(html).statuses["hospitering"] == "met"
    assert nb("Job shadowing: %(days)s", days=nb("%(days)s days of job shadowing", days="1,5")) in html


@time_machine.travel(NOW, tick=False)
def test_it_says_why_a_yearly_requirement_does_not_apply(
    client: Client, network: Network, alice: User
) -> None:
    person = resource_person(network, "ny@example.no", dt.date(2022, 9, 1))
    login(client, alice)
    html = client.get(plan_url(person, 2022)).content.decode()

    assert read(html).statuses["samlinger_antall"] == "not_applicable"
    assert (
        nb(
            "Does not apply in %(year)s: a member for %(months)s whole months of the %(required)s required.",
            year="2022",
            months=4,
            required=6,
        )
        in html
    )


@time_machine.travel(NOW, tick=False)
def test_it_offers_the_years_from_the_first_membership_and_ignores_other_years(
    client: Client, rita: User, history: Person
) -> None:
    login(client, rita)
    response = client.get(plan_url(history, 2022))
    assert response.context["facts"].years == (2022, 2023)
    assert response.context["facts"].year == 2022
    assert f'href="{plan_url(history, 2023)}"' in response.content.decode()
    for asked in ("2024", "2019", "tjuetjue", ""):
        response = client.get(plan_url(history) + f"?aar={asked}")
        assert response.status_code == 200
        assert response.context["facts"].year == 2023


@time_machine.travel(NOW, tick=False)
def test_it_says_so_when_the_person_was_not_a_resource_person_in_the_year(
    client: Client, network: Network, alice: User
) -> None:
    person = resource_person(network, "sluttet@example.no", dt.date(2021, 1, 1), end=dt.date(2021, 12, 31))
    login(client, alice)
    response = client.get(plan_url(person))
    assert response.context["facts"].competence is None
    assert (
        nb("%(name)s was not a resource person in %(year)s.", name=person.full_name, year="2023")
        in response.content.decode()
    )


def test_it_joins_what_is_left_in_words() -> None:
    both = RequirementStatus(
        requirement="kurs",
        name="Kurs",
        kind=RequirementKind.ONCE,
        status=CompetenceStatus.DUE,
        hours=Decimal(2),
        days=Decimal(0),
        activities=(),
        deadline=None,
        activity_kinds=("kurs",),
        min_count=1,
        min_hours=Decimal(6),
        min_days=Decimal(2),
    )
    assert left_in_words(both) == nb(
        "%(items)s left",
        items=nb(
            "%(activities)s or %(shadowing)s",
            activities=nb(
                "%(first)s and %(second)s", first=nb("1 activity"), second=nb("%(hours)s hours", hours="4")
            ),
            shadowing=nb("%(days)s days of job shadowing", days="2"),
        ),
    )


# What is next -------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_lists_upcoming_activities_that_count_with_a_sign_up_form(
    client: Client, rita: User, history: Person, coming: dict[str, Activity]
) -> None:
    login(client, rita)
    response = client.get(plan_url(history))
    listed = {item.activity.title for item in response.context["facts"].upcoming}
    forms = signup_forms(read(response.content.decode()))

    assert listed == {"Introkurs februar", "Vårsamling 2023", "Fagdag 2023"}
    assert set(forms) == {signup_url(coming["intro"]), signup_url(coming["gathering"])}
    assert forms[signup_url(coming["intro"])]["action"] == "signup"
    assert forms[signup_url(coming["intro"])]["next"] == plan_url(history, 2023)


@time_machine.travel(NOW, tick=False)
def test_it_shows_an_activity_already_signed_up_for_without_a_form(
    client: Client, rita: User, history: Person, coming: dict[str, Activity]
) -> None:
    Registration.objects.create(
        activity=coming["gathering"], person=history, status=RegistrationStatus.WAITING
    )
    login(client, rita)
    response = client.get(plan_url(history))
    html = response.content.decode()

    assert signup_url(coming["fagdag"]) not in signup_forms(read(html))
    assert signup_url(coming["gathering"]) not in signup_forms(read(html))
    assert nb("You are registered.") in html
    assert nb("On the waiting list") in html


@time_machine.travel(NOW, tick=False)
def test_it_leaves_out_activities_of_other_kinds_after_the_deadline_or_closed(
    client: Client, rita: User, history: Person, coming: dict[str, Activity]
) -> None:
    login(client, rita)
    html = client.get(plan_url(history)).content.decode()

    for name in ("intro_late", "webinar", "closed", "past"):
        assert coming[name].title not in html, name


@time_machine.travel(NOW, tick=False)
def test_it_leaves_out_an_activity_whose_audience_excludes_the_person(
    client: Client, network: Network, alice: User
) -> None:
    # A person without an active membership is outside the audience "resource persons".
    person = resource_person(network, "tidligere@example.no", dt.date(2022, 6, 1), end=dt.date(2023, 1, 31))
    activity = upcoming(network, ActivityKind.INTRO_COURSE, dt.date(2023, 3, 1), "Bare for ressurspersoner")
    open_one = upcoming(
        network, ActivityKind.INTRO_COURSE, dt.date(2023, 3, 2), "Åpent kurs", audience=Audience.OPEN
    )
    login(client, alice)
    listed = {item.activity for item in client.get(plan_url(person)).context["facts"].upcoming}
    assert activity not in listed
    assert open_one in listed


@time_machine.travel(NOW, tick=False)
def test_it_shows_no_sign_up_button_to_the_leader(
    client: Client, lena: User, history: Person, coming: dict[str, Activity]
) -> None:
    login(client, lena)
    response = client.get(plan_url(history))
    assert len(response.context["facts"].upcoming) == 3
    assert signup_forms(read(response.content.decode())) == {}


@time_machine.travel(NOW, tick=False)
def test_it_tells_how_to_arrange_job_shadowing_and_whom_to_ask(
    client: Client, alice: User, rita: User, history: Person
) -> None:
    login(client, rita)
    html = client.get(plan_url(history)).content.decode()
    assert (
        nb(
            "Job shadowing is arranged with your coordinator: ask them for a place and dates, and agree on "
            "it with your line manager. The coordinator records the days when they are done."
        )
        in html
    )
    assert "mailto:alice@example.no" in html


@time_machine.travel(NOW, tick=False)
def test_it_shows_what_is_next_only_for_the_current_year(
    client: Client, rita: User, history: Person, coming: dict[str, Activity]
) -> None:
    login(client, rita)
    response = client.get(plan_url(history, 2022))
    assert response.context["facts"].upcoming == ()
    assert nb("What is next is shown for the current year.") in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_one_click_signs_the_person_up_and_returns_to_the_plan(
    client: Client, rita: User, history: Person, coming: dict[str, Activity]
) -> None:
    login(client, rita)
    forms = signup_forms(read(client.get(plan_url(history)).content.decode()))
    action = signup_url(coming["intro"])

    response = client.post(action, forms[action])

    assert response.status_code == 302
    assert response["Location"] == plan_url(history, 2023)
    registration = Registration.objects.get(activity=coming["intro"], person=history)
    assert registration.status == RegistrationStatus.REGISTERED
    after = client.get(response["Location"])
    assert action not in signup_forms(read(after.content.decode()))


# Reminder preference ------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_shows_the_reminder_choice_to_the_person_only(client: Client, rita: User, lena: User) -> None:
    person = rita_person(rita)
    ReminderPreference.objects.create(person=person, enabled=False)
    preference = reverse("competence:reminder_preference", args=["barnepalliasjon", person.pk])
    login(client, rita)
    response = client.get(plan_url(person))
    assert preference in response.content.decode()
    assert response.context["reminders_enabled"] is False
    login(client, lena)
    assert preference not in client.get(plan_url(person)).content.decode()


@time_machine.travel(NOW, tick=False)
def test_reminders_are_on_when_the_person_has_not_chosen(client: Client, rita: User) -> None:
    login(client, rita)
    assert client.get(plan_url(rita_person(rita))).context["reminders_enabled"] is True


# Queries ------------------------------------------------------------------------------------------------


def _grow(person: Person, network: Network, n: int) -> None:
    for i in range(n):
        attend(person, ActivityKind.GATHERING, dt.date(2022, 4, 1) + dt.timedelta(days=i), "3")
        # Half an hour each, so ten of them still leave the study-day requirement due.
        attend(person, ActivityKind.STUDY_DAY, dt.date(2023, 1, 2) + dt.timedelta(days=i), "0.5")
        upcoming(network, ActivityKind.GATHERING, dt.date(2023, 3, 1) + dt.timedelta(days=i), f"Samling {i}")
        upcoming(network, ActivityKind.STUDY_DAY, dt.date(2023, 4, 1) + dt.timedelta(days=i), f"Fagdag {i}")


@time_machine.travel(NOW, tick=False)
def test_its_query_count_does_not_grow_with_the_history(
    client: Client, network: Network, alice: User, rita: User
) -> None:
    person = rita_person(rita)
    login(client, rita)
    _grow(person, network, 1)
    few = count_queries(lambda: client.get(plan_url(person)))
    _grow(person, network, 9)
    response = client.get(plan_url(person))
    many = count_queries(lambda: client.get(plan_url(person)))
    assert len(response.context["facts"].upcoming) == 20
    assert many == few


# Agreement with the CLI on the demo network -------------------------------------------------------------


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> Network:
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    return Network.objects.get(slug=DEMO_SLUG)


def test_the_page_agrees_with_competence_status_on_the_demo_network(client: Client, demo: Network) -> None:
    out = io.StringIO()
    call_command(
        "competence_status", "--network", DEMO_SLUG, "--year", "2024", "--format", "json", stdout=out
    )
    cli = {
        p["email"]: {r["requirement"]: r["status"] for r in p["requirements"]}
        for p in json.loads(out.getvalue())["persons"]
    }
    login(client, User.objects.get(email=DEMO_COORDINATOR_EMAIL))
    persons = {p.email: p for p in Person.objects.filter(network=demo, email__in=list(cli))}
    # A spread of persons: the first few, and the first with each status the CLI reports.
    chosen = list(cli)[:3]
    for status in ("met", "due", "overdue", "not_applicable"):
        chosen += [email for email, row in cli.items() if status in row.values()][:1]
    assert {s for email in chosen for s in cli[email].values()} == {"met", "due", "overdue", "not_applicable"}

    for email in dict.fromkeys(chosen):
        html = client.get(plan_url(persons[email], 2024)).content.decode()
        assert read(html).statuses == cli[email], email
