"""Calendar feeds: the person's private feed (by secret token) and the network's public feed of open
activities, both read back with the icalendar parser."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities.feeds import public_activities, revoke_calendar_feed
from fagnett.activities.ics import activity_uid
from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Audience,
    CalendarFeed,
    Registration,
    RegistrationStatus,
)
from fagnett.networks.models import Network, Person, Role
from tests.conftest import add_member
from tests.helpers import count_queries

OSLO = ZoneInfo("Europe/Oslo")
TODAY = dt.date(2025, 5, 20)

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 5, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


def person_of(user: User, network: Network) -> Person:
    return Person.objects.get(network=network, user=user)


def events_of(body: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return [c for c in calendar.walk("VEVENT") if isinstance(c, icalendar.Event)]


def make_activity(
    network: Network, title: str, day: dt.date, *, audience: str = Audience.RESOURCE_PERSONS, days: int = 1
) -> Activity:
    return Activity.objects.create(
        network=network,
        kind=ActivityKind.STUDY_DAY,
        title=title,
        starts_on=day,
        ends_on=day + dt.timedelta(days=days - 1),
        hours=Decimal(6),
        audience=audience,
    )


def private_url(feed: CalendarFeed) -> str:
    return reverse("activities:private_feed", args=[feed.token])


# --- The private feed ------------------------------------------------------------------------------------


@pytest.fixture
def ritas_feed(network: Network, rita: User, activity: Activity) -> CalendarFeed:
    """Rita is registered for the gathering (11.06.2025 09:00–15:00), waiting for a two-day course, and has
    cancelled a third; Ola is registered for something else."""
    person = person_of(rita, network)
    Registration.objects.create(activity=activity, person=person, status=RegistrationStatus.REGISTERED)
    course = make_activity(network, "Todagerskurs", dt.date(2025, 9, 1), days=2)
    Registration.objects.create(activity=course, person=person, status=RegistrationStatus.WAITING)
    cancelled = make_activity(network, "Avmeldt fagdag", dt.date(2025, 10, 1))
    Registration.objects.create(activity=cancelled, person=person, status=RegistrationStatus.CANCELLED)
    ola = add_member(network, None, "ola@example.no", Role.RESOURCE_PERSON, dt.date(2024, 1, 1)).person
    someone_elses = make_activity(network, "Olas kurs", dt.date(2025, 8, 1))
    Registration.objects.create(activity=someone_elses, person=ola, status=RegistrationStatus.REGISTERED)
    return CalendarFeed.objects.create(person=person)


def test_the_private_feed_holds_the_persons_registrations_without_a_login(
    client: Client, network: Network, ritas_feed: CalendarFeed, activity: Activity
) -> None:
    response = client.get(private_url(ritas_feed))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    events = events_of(response.content)
    assert len(events) == 2
    gathering, course = events
    assert str(gathering["summary"]) == "Nettverkssamling: smertelindring"
    assert str(gathering["uid"]) == activity_uid(activity)
    assert str(gathering["status"]) == "CONFIRMED"
    assert gathering.decoded("dtstart") == dt.datetime(2025, 6, 11, 9, 0, tzinfo=OSLO)
    assert gathering.decoded("dtend") == dt.datetime(2025, 6, 11, 15, 0, tzinfo=OSLO)
    assert str(course["status"]) == "TENTATIVE"
    assert str(course["summary"]).startswith("Todagerskurs (")
    # An all-day event ends (exclusively) the day after its last day.
    assert course.decoded("dtstart") == dt.date(2025, 9, 1)
    assert course.decoded("dtend") == dt.date(2025, 9, 3)
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids)


def test_the_private_feed_is_a_valid_calendar(client: Client, ritas_feed: CalendarFeed) -> None:
    calendar = icalendar.Calendar.from_ical(client.get(private_url(ritas_feed)).content)
    assert str(calendar["version"]) == "2.0"
    assert calendar.get("prodid")
    assert "method" not in calendar  # a feed, not an invitation
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    for event in calendar.walk("VEVENT"):
        for required in ("uid", "dtstamp", "dtstart"):
            assert event.get(required) is not None


def test_an_unknown_token_is_404(client: Client, db: None) -> None:
    assert client.get(reverse("activities:private_feed", args=["ikke-en-token"])).status_code == 404


def test_after_revoking_the_old_token_is_404_and_the_new_one_works(
    client: Client, network: Network, rita: User, ritas_feed: CalendarFeed
) -> None:
    old = private_url(ritas_feed)
    feed = revoke_calendar_feed(person_of(rita, network), actor=rita)
    assert client.get(old).status_code == 404
    assert len(events_of(client.get(private_url(feed)).content)) == 2


def test_the_private_feed_reads_a_fixed_number_of_queries(
    client: Client, network: Network, rita: User, ritas_feed: CalendarFeed
) -> None:
    url = private_url(ritas_feed)
    few = count_queries(lambda: client.get(url))
    for i in range(10):
        more = make_activity(network, f"Kurs {i}", dt.date(2025, 11, 1 + i))
        Registration.objects.create(
            activity=more, person=ritas_feed.person, status=RegistrationStatus.REGISTERED
        )
    assert count_queries(lambda: client.get(url)) == few


# --- The public feed -------------------------------------------------------------------------------------


@pytest.fixture
def open_activities(network: Network, other_network: Network) -> dict[str, Activity]:
    return {
        "upcoming": make_activity(network, "Åpen fagdag", dt.date(2025, 11, 5), audience=Audience.OPEN),
        "recent": make_activity(network, "Åpen samling i fjor", dt.date(2024, 6, 25), audience=Audience.OPEN),
        "old": make_activity(network, "Gammel åpen dag", dt.date(2024, 5, 1), audience=Audience.OPEN),
        "closed": make_activity(network, "Bare for ressurspersoner", dt.date(2025, 9, 9)),
        "foreign": make_activity(
            other_network, "Bergens åpne dag", dt.date(2025, 9, 9), audience=Audience.OPEN
        ),
    }


def test_the_public_feed_lists_open_activities_from_the_last_twelve_months_on(
    client: Client, network: Network, open_activities: dict[str, Activity]
) -> None:
    response = client.get(reverse("activities:public_feed", args=["barnepalliasjon"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = events_of(response.content)
    assert [str(e["summary"]) for e in events] == ["Åpen samling i fjor", "Åpen fagdag"]
    assert [str(e["uid"]) for e in events] == [
        activity_uid(open_activities["recent"]),
        activity_uid(open_activities["upcoming"]),
    ]
    assert events[1].decoded("dtstart") == dt.date(2025, 11, 5)
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]) == network.name


def test_the_public_feed_of_an_unknown_network_is_404(client: Client, db: None) -> None:
    assert client.get(reverse("activities:public_feed", args=["finnes-ikke"])).status_code == 404


def test_the_public_activities_read_one_query(network: Network, open_activities: dict[str, Activity]) -> None:
    assert count_queries(lambda: public_activities(network, TODAY)) == 1


def test_calendar_programs_may_ask_with_head_first(
    client: Client, network: Network, ritas_feed: CalendarFeed
) -> None:
    assert client.head(private_url(ritas_feed)).status_code == 200
    assert client.head(reverse("activities:public_feed", args=["barnepalliasjon"])).status_code == 200
    assert client.post(reverse("activities:public_feed", args=["barnepalliasjon"])).status_code == 405
