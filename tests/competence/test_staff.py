"""The leader's view of their staff: only line managers see it, only their own staff who are resource persons
in the year are listed, overdue first, in a fixed number of queries, agreeing with `competence_status`."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities.models import ActivityKind
from fagnett.networks.demo import DEMO_SLUG
from fagnett.networks.models import Network, Person, Role
from tests.competence.helpers import attend, resource_person, shadow
from tests.conftest import add_member, login, make_user
from tests.helpers import count_queries, nb

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2023, 2, 1, 12, tzinfo=dt.UTC)


class _Table(HTMLParser):
    """The staff table's rows: the link in the row header and the status codes of the row's tags."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, list[str]]] = []
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append(("", []))
        elif self._in_body and tag == "a" and self.rows and not self.rows[-1][0]:
            self.rows[-1] = (a["href"], self.rows[-1][1])
        elif self._in_body and tag == "span" and "data-status" in a:
            self.rows[-1][1].append(a["data-status"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False


def table(html: str) -> list[tuple[str, list[str]]]:
    parser = _Table()
    parser.feed(html)
    return parser.rows


def staff_url(slug: str = "barnepalliasjon", year: int | None = None) -> str:
    url = reverse("competence:staff", args=[slug])
    return f"{url}?aar={year}" if year is not None else url


def plan_url(person: Person, year: int) -> str:
    return reverse("competence:person_plan", args=[person.network.slug, person.pk]) + f"?aar={year}"


def staff_member(
    network: Network, email: str, start: dt.date, leader_email: str = "lena@example.no"
) -> Person:
    person = resource_person(network, email, start)
    Person.objects.filter(pk=person.pk).update(leader_email=leader_email)
    return person


@pytest.fixture
def team(network: Network, rita: User, lena: User) -> dict[str, Person]:
    """Lena leads Rita and Kari; Ola has another leader; Siri left before 2023; Tor is Lena's staff but a
    coordinator, not a resource person."""
    rita_person = Person.objects.get(user=rita)
    # Rita: the introductory course and job shadowing done, so nothing is overdue in 2023.
    attend(rita_person, ActivityKind.INTRO_COURSE, dt.date(2022, 4, 5), "6")
    shadow(rita_person, dt.date(2022, 5, 1), "1")
    # Kari joined in January 2022: her introductory course was due by January 2023 and is overdue.
    kari = staff_member(network, "kari@example.no", dt.date(2022, 1, 10))
    ola = staff_member(network, "ola@example.no", dt.date(2022, 1, 10), leader_email="annen@example.no")
    siri = staff_member(network, "siri@example.no", dt.date(2021, 1, 1))
    siri.memberships.update(end=dt.date(2022, 6, 30))
    tor = add_member(network, None, "tor@example.no", Role.COORDINATOR, dt.date(2022, 1, 1)).person
    Person.objects.filter(pk=tor.pk).update(leader_email="lena@example.no")
    return {"rita": rita_person, "kari": kari, "ola": ola, "siri": siri, "tor": tor}


# Who may open it ----------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("lena", 200),
        ("alice", 404),
        ("carl", 404),
        ("rita", 404),
        ("rolf", 404),
        ("charlie", 404),
        ("nobody", 404),
    ],
)
def test_only_a_line_manager_sees_the_staff_page(
    client: Client, request: pytest.FixtureRequest, lena: User, persona: str, expected: int
) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(staff_url()).status_code == expected


@time_machine.travel(NOW, tick=False)
def test_it_sends_an_anonymous_visitor_to_the_login_page(client: Client, lena: User) -> None:
    response = client.get(staff_url())
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@time_machine.travel(NOW, tick=False)
def test_a_coordinator_who_also_leads_someone_sees_their_staff(
    client: Client, network: Network, alice: User
) -> None:
    staff_member(network, "ansatt@example.no", dt.date(2022, 1, 10), leader_email="alice@example.no")
    login(client, alice)
    response = client.get(staff_url())
    assert response.status_code == 200
    assert [row.competence.email for row in response.context["facts"].rows] == ["ansatt@example.no"]


@time_machine.travel(NOW, tick=False)
def test_it_marks_my_staff_in_the_menu(client: Client, lena: User) -> None:
    login(client, lena)
    response = client.get(staff_url())
    assert response.context["nav"] == "staff"
    assert 'aria-current="page">' + nb("My staff") in response.content.decode()


# What it lists ------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_lists_only_the_leaders_staff_who_are_resource_persons_in_the_year(
    client: Client, lena: User, team: dict[str, Person]
) -> None:
    login(client, lena)
    rows = table(client.get(staff_url()).content.decode())
    assert [href for href, _ in rows] == [plan_url(team["kari"], 2023), plan_url(team["rita"], 2023)]


@time_machine.travel(NOW, tick=False)
def test_it_lists_staff_through_the_leader_person_too(
    client: Client, network: Network, lena: User, team: dict[str, Person]
) -> None:
    # Lena as a person of the network (no membership) set as Ola's line manager.
    lena_person = Person.objects.create(network=network, first_name="Lena", last_name="Leder", user=lena)
    Person.objects.filter(pk=team["ola"].pk).update(leader=lena_person, leader_email="")
    login(client, lena)
    emails = [row.competence.email for row in client.get(staff_url()).context["facts"].rows]
    assert "ola@example.no" in emails


@time_machine.travel(NOW, tick=False)
def test_it_puts_persons_with_overdue_requirements_first_and_counts_them(
    client: Client, lena: User, team: dict[str, Person]
) -> None:
    login(client, lena)
    html = client.get(staff_url()).content.decode()
    rows = table(html)

    assert rows[0] == (plan_url(team["kari"], 2023), ["overdue", "overdue", "due", "due", "due"])
    assert rows[1] == (plan_url(team["rita"], 2023), ["met", "met", "due", "due", "due"])
    assert nb("%(overdue)s of %(total)s have overdue requirements.", overdue=1, total=2) in html
    assert nb("%(due)s of %(total)s have requirements due.", due=2, total=2) in html


@time_machine.travel(NOW, tick=False)
def test_it_shows_an_earlier_year_and_offers_the_staffs_years(
    client: Client, lena: User, team: dict[str, Person]
) -> None:
    login(client, lena)
    response = client.get(staff_url(year=2022))
    facts = response.context["facts"]
    # Siri (2021–2022) is Lena's staff, so her first year opens the list.
    assert facts.years == (2021, 2022, 2023)
    assert facts.year == 2022
    emails = {row.competence.email for row in facts.rows}
    assert emails == {"kari@example.no", "rita@example.no", "siri@example.no"}
    assert f'href="{staff_url(year=2021)}"' in response.content.decode()
    assert client.get(staff_url(year=2030)).context["facts"].year == 2023


@time_machine.travel(NOW, tick=False)
def test_it_says_so_when_no_staff_are_resource_persons(client: Client, network: Network, lena: User) -> None:
    Person.objects.filter(leader_email__iexact="lena@example.no").update(leader_email="")
    staff = add_member(network, None, "kontor@example.no", Role.COORDINATOR, dt.date(2022, 1, 1)).person
    Person.objects.filter(pk=staff.pk).update(leader_email="lena@example.no")
    login(client, lena)
    response = client.get(staff_url())
    assert response.status_code == 200
    assert (
        nb("None of your staff were resource persons in %(year)s.", year="2023") in response.content.decode()
    )


# Queries ------------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_its_query_count_does_not_grow_with_the_staff(client: Client, network: Network, lena: User) -> None:
    def hire(first: int, last: int) -> None:
        for i in range(first, last):
            person = staff_member(network, f"ansatt{i}@example.no", dt.date(2022, 1, 10))
            attend(person, ActivityKind.GATHERING, dt.date(2022, 3, 1) + dt.timedelta(days=i), "6")

    login(client, lena)
    hire(0, 1)
    few = count_queries(lambda: client.get(staff_url()))
    hire(1, 10)
    many = count_queries(lambda: client.get(staff_url()))
    assert len(client.get(staff_url()).context["facts"].rows) == 11  # Rita too
    assert many == few


# Agreement with the CLI on the demo network -------------------------------------------------------------


def test_the_staff_view_agrees_with_competence_status_on_the_demo_network(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    demo = Network.objects.get(slug=DEMO_SLUG)
    out = io.StringIO()
    call_command(
        "competence_status", "--network", DEMO_SLUG, "--year", "2024", "--format", "json", stdout=out
    )
    cli = {
        p["email"]: [r["status"] for r in p["requirements"]] for p in json.loads(out.getvalue())["persons"]
    }
    # The line manager with the most staff in the demo gets an account.
    leaders = Counter(
        Person.objects.filter(network=demo, email__in=list(cli))
        .exclude(leader_email="")
        .values_list("leader_email", flat=True)
    )
    leader_email = max(sorted(leaders), key=lambda email: leaders[email])
    staff = {
        p.pk: p.email
        for p in Person.objects.filter(network=demo, leader_email__iexact=leader_email, email__in=list(cli))
    }
    assert len(staff) >= 2
    login(client, make_user(leader_email))

    rows = table(client.get(staff_url(DEMO_SLUG, 2024)).content.decode())

    assert len(rows) == len(staff)
    for href, statuses in rows:
        pk = int(href.split("/personer/")[1].split("/")[0])
        assert statuses == cli[staff[pk]], staff[pk]
