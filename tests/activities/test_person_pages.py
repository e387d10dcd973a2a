"""The person's own pages: "My activities" and the calendar-address page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    CalendarFeed,
    Registration,
    RegistrationStatus,
    Shadowing,
    ShadowingStatus,
)
from fagnett.activities.person import my_activities
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import Network, Person, ServiceType, Workplace
from fagnett.places.models import HealthTrust
from tests.conftest import login
from tests.helpers import count_queries, nb

SLUG = "barnepalliasjon"
MY_URL = reverse("activities:my_activities", args=[SLUG])
FEED_SETTINGS_URL = reverse("activities:feed_settings", args=[SLUG])
TODAY = dt.date(2025, 5, 20)

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 5, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


def person_of(user: User, network: Network) -> Person:
    return Person.objects.get(network=network, user=user)


def make_activity(network: Network, title: str, day: dt.date, hours: int = 3) -> Activity:
    return Activity.objects.create(
        network=network,
        kind=ActivityKind.COURSE,
        title=title,
        starts_on=day,
        ends_on=day,
        hours=Decimal(hours),
    )


@pytest.fixture
def unit(network: Network) -> Workplace:
    return Workplace.objects.create(
        network=network,
        name="Barneavdelingen",
        service_type=ServiceType.objects.get(code=ServiceType.HOSPITAL_UNIT, network=None),
        health_trust=HealthTrust.objects.first(),
        in_scope=True,
    )


@pytest.fixture
def ritas_history(network: Network, rita: User, activity: Activity, unit: Workplace) -> Person:
    """Rita is registered for the gathering on 11.06.2025 and waiting for a course on 02.06.2025; she
    cancelled another; she attended 4 h in 2025 and 5 h in 2024, missed one, and shadowed 2 + 1 days."""
    person = person_of(rita, network)
    Registration.objects.create(activity=activity, person=person, status=RegistrationStatus.REGISTERED)
    waiting = make_activity(network, "Kurs i symptomlindring", dt.date(2025, 6, 2))
    Registration.objects.create(activity=waiting, person=person, status=RegistrationStatus.WAITING)
    cancelled = make_activity(network, "Webinar vi ikke skal på", dt.date(2025, 7, 1))
    Registration.objects.create(activity=cancelled, person=person, status=RegistrationStatus.CANCELLED)
    this_year = make_activity(network, "Fagdag om sorg", dt.date(2025, 3, 4), hours=4)
    Attendance.objects.create(
        activity=this_year, person=person, status=AttendanceStatus.ATTENDED, hours=Decimal("3.5")
    )
    last_year = make_activity(network, "Samling om pårørende", dt.date(2024, 10, 1), hours=5)
    Attendance.objects.create(activity=last_year, person=person, status=AttendanceStatus.ATTENDED, hours=5)
    missed = make_activity(network, "Samling vi gikk glipp av", dt.date(2025, 2, 2), hours=6)
    Attendance.objects.create(activity=missed, person=person, status=AttendanceStatus.ABSENT)
    for start, days, status in (
        (dt.date(2025, 1, 15), Decimal(2), ShadowingStatus.DONE),
        (dt.date(2024, 11, 5), Decimal(1), ShadowingStatus.DONE),
        (dt.date(2025, 8, 1), Decimal(3), ShadowingStatus.PLANNED),
    ):
        Shadowing.objects.create(
            network=network,
            person=person,
            host=unit,
            starts_on=start,
            ends_on=start,
            days=days,
            status=status,
        )
    return person


# --- My activities ---------------------------------------------------------------------------------------


def test_the_facts_count_hours_this_year_and_in_total_and_completed_shadowing_days(
    network: Network, ritas_history: Person
) -> None:
    facts = my_activities(network, ritas_history, TODAY)
    assert [line.activity.title for line in facts.upcoming] == [
        "Kurs i symptomlindring",
        "Nettverkssamling: smertelindring",
    ]
    assert [line.is_waiting for line in facts.upcoming] == [True, False]
    assert [a.activity.title for a in facts.past] == [
        "Fagdag om sorg",
        "Samling vi gikk glipp av",
        "Samling om pårørende",
    ]
    assert facts.hours_this_year == Decimal("3.5")
    assert facts.hours_total == Decimal("8.5")
    assert facts.shadowing_days_this_year == Decimal(2)
    assert facts.shadowing_days_total == Decimal(3)
    assert [line.supervision_hours for line in facts.shadowing] == [Decimal(12), Decimal(8), Decimal(4)]
    assert facts.statement_years == [2025, 2024]


def test_rita_sees_her_upcoming_and_past_activities_with_hours_and_certificate_links(
    client: Client, network: Network, rita: User, ritas_history: Person
) -> None:
    response = login(client, rita).get(MY_URL)
    assert response.status_code == 200
    page = response.content.decode()
    for expected in (
        "Nettverkssamling: smertelindring",
        "Kurs i symptomlindring",
        nb("On the waiting list"),
        "Fagdag om sorg",
        "04.03.2025",
        "3,50",  # hours this year and on the row, with a decimal comma
        "8,50",  # in total
        "Barneavdelingen",
    ):
        assert expected in page
    assert "Webinar vi ikke skal på" not in page
    attended = Attendance.objects.get(activity__title="Fagdag om sorg")
    absent = Attendance.objects.get(activity__title="Samling vi gikk glipp av")
    assert reverse("activities:certificate", args=[SLUG, attended.pk]) in page
    assert reverse("activities:certificate", args=[SLUG, absent.pk]) not in page
    assert reverse("activities:yearly_statement", args=[SLUG, ritas_history.pk, 2024]) in page
    assert reverse("activities:feed_settings", args=[SLUG]) in page


def test_a_person_without_history_sees_empty_states(client: Client, network: Network, rita: User) -> None:
    page = login(client, rita).get(MY_URL).content.decode()
    assert nb("You are not signed up for anything coming up.") in page
    assert nb("No attendance has been recorded for you yet.") in page
    assert reverse("activities:yearly_statement", args=[SLUG, person_of(rita, network).pk, 2025]) in page


def test_the_page_shows_only_the_signed_in_users_own_activities(
    client: Client, network: Network, alice: User, rita: User, ritas_history: Person
) -> None:
    response = login(client, alice).get(MY_URL)
    assert response.status_code == 200
    assert "Fagdag om sorg" not in response.content.decode()


@pytest.mark.parametrize("persona", ["lena", "rolf", "charlie", "nobody"])
def test_users_without_a_person_in_the_network_get_404(
    client: Client, network: Network, rita: User, persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    login(client, user)
    assert client.get(MY_URL).status_code == 404
    assert client.get(FEED_SETTINGS_URL).status_code == 404


def test_anonymous_is_sent_to_log_in(client: Client, network: Network) -> None:
    for url in (MY_URL, FEED_SETTINGS_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_my_activities_reads_a_fixed_number_of_queries(
    network: Network, rita: User, ritas_history: Person, unit: Workplace
) -> None:
    few = count_queries(lambda: my_activities(network, ritas_history, TODAY))
    for i in range(10):
        later = make_activity(network, f"Kurs {i}", dt.date(2025, 9, 1 + i))
        Registration.objects.create(
            activity=later, person=ritas_history, status=RegistrationStatus.REGISTERED
        )
        earlier = make_activity(network, f"Samling {i}", dt.date(2024, 2, 1 + i))
        Attendance.objects.create(activity=earlier, person=ritas_history, status=AttendanceStatus.ATTENDED)
        Shadowing.objects.create(
            network=network,
            person=ritas_history,
            host=unit,
            starts_on=dt.date(2023, 3, 1 + i),
            ends_on=dt.date(2023, 3, 1 + i),
            days=Decimal(1),
            status=ShadowingStatus.DONE,
        )
    assert count_queries(lambda: my_activities(network, ritas_history, TODAY)) == few


# --- The calendar-address page ---------------------------------------------------------------------------


def test_the_first_visit_makes_the_private_address_and_shows_both_addresses(
    client: Client, network: Network, rita: User, settings: object
) -> None:
    settings.FAGNETT_BASE_URL = "https://fagnett.example"  # type: ignore[attr-defined]
    response = login(client, rita).get(FEED_SETTINGS_URL)
    assert response.status_code == 200
    feed = CalendarFeed.objects.get(person=person_of(rita, network))
    page = response.content.decode()
    assert f"https://fagnett.example/kalender/{feed.token}.ics" in page
    assert f"webcal://fagnett.example/kalender/{feed.token}.ics" in page
    assert "https://fagnett.example/nettverk/barnepalliasjon/kalender.ics" in page
    assert AuditEntry.objects.filter(action="activities.calendar_feed.created").count() == 1


def test_a_second_visit_keeps_the_address(client: Client, network: Network, rita: User) -> None:
    login(client, rita)
    client.get(FEED_SETTINGS_URL)
    token = CalendarFeed.objects.get().token
    client.get(FEED_SETTINGS_URL)
    assert CalendarFeed.objects.get().token == token
    assert AuditEntry.objects.filter(action="activities.calendar_feed.created").count() == 1


def test_making_a_new_address_stops_the_old_one_and_is_audited(
    client: Client, network: Network, rita: User
) -> None:
    login(client, rita)
    client.get(FEED_SETTINGS_URL)
    old = CalendarFeed.objects.get().token
    response = client.post(FEED_SETTINGS_URL, {"revoke": "1"})
    assert response.status_code == 302
    assert response["Location"] == FEED_SETTINGS_URL
    new = CalendarFeed.objects.get().token
    assert new != old
    assert client.get(reverse("activities:private_feed", args=[old])).status_code == 404
    assert client.get(reverse("activities:private_feed", args=[new])).status_code == 200
    entry = AuditEntry.objects.get(action="activities.calendar_feed.revoked")
    assert (entry.actor, entry.fields) == (rita, ["token"])
    assert nb("You have a new calendar address. The old one no longer works.") in (
        client.get(FEED_SETTINGS_URL).content.decode()
    )


def test_a_post_without_revoke_changes_nothing(client: Client, network: Network, rita: User) -> None:
    login(client, rita)
    client.get(FEED_SETTINGS_URL)
    token = CalendarFeed.objects.get().token
    assert client.post(FEED_SETTINGS_URL, {}).status_code == 302
    assert CalendarFeed.objects.get().token == token
