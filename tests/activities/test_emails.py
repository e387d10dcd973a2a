"""Confirmation e-mails with .ics invitations, sent through Django's SMTP backend to a real SMTP server
on 127.0.0.1 (aiosmtpd) and read back from what it received; and the iCalendar the invitations and feeds
share."""

from __future__ import annotations

import datetime as dt
import email
import logging
import socket
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.db import transaction

from fagnett.activities import registration as services
from fagnett.activities.ics import activity_event, calendar_for
from fagnett.activities.models import Activity, Registration, RegistrationStatus
from fagnett.networks.models import Network, Person, Role
from tests.conftest import add_member
from tests.helpers import nb

OSLO = ZoneInfo("Europe/Oslo")
BEFORE_DEADLINE = dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC)

Capture = Callable[..., Any]


class Collector:
    """An aiosmtpd handler that keeps every message it is given, and which SMTP session brought it."""

    def __init__(self) -> None:
        self.received: list[tuple[int, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.received.append((id(session), list(envelope.rcpt_tos), bytes(envelope.original_content)))
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        # Django folds a long non-ASCII Subject onto a continuation line ("Subject: \n =?utf-8?…"); the
        # modern parser keeps the folding space, which mail programs drop, hence the .strip() below.
        return [email.message_from_bytes(content, policy=default_policy) for _, _, content in self.received]

    def message_to(self, address: str) -> EmailMessage:
        (message,) = [m for m in self.messages() if m["To"] == address]
        return message


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp(settings: Any) -> Iterator[Collector]:
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "Fagnett <noreply@fagnett.example.no>"
    try:
        yield collector
    finally:
        controller.stop()


@pytest.fixture
def before_deadline() -> Iterator[None]:
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        yield


def resource_person(network: Network, email_address: str, first_name: str = "") -> Person:
    person = add_member(network, None, email_address, Role.RESOURCE_PERSON, dt.date(2024, 1, 1)).person
    if first_name:
        person.first_name = first_name
        person.save()
    return person


def parts(message: EmailMessage) -> dict[str, EmailMessage]:
    return {part.get_content_type(): part for part in message.walk() if not part.is_multipart()}


def invitation(message: EmailMessage) -> tuple[EmailMessage, icalendar.Calendar]:
    part = parts(message)["text/calendar"]
    return part, icalendar.Calendar.from_ical(part.get_content())


def only_event(calendar: icalendar.Calendar) -> icalendar.Event:
    (event,) = calendar.walk("VEVENT")
    assert isinstance(event, icalendar.Event)
    return event


# The e-mails --------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("before_deadline")
def test_a_sign_up_sends_a_confirmation_with_text_html_and_a_calendar_invitation(
    smtp: Collector, network: Network, activity: Activity, django_capture_on_commit_callbacks: Capture
) -> None:
    person = resource_person(network, "rita@example.no", "Rita")

    with django_capture_on_commit_callbacks(execute=True):
        services.register(activity, person, None)

    assert [rcpt for _, rcpt, _ in smtp.received] == [["rita@example.no"]]
    message = smtp.message_to("rita@example.no")
    assert message["Subject"].strip() == nb("You are registered: %(title)s", title=activity.title)
    assert message["From"] == "Fagnett <noreply@fagnett.example.no>"
    found = parts(message)
    url = f"http://127.0.0.1:8000/n/barnepalliasjon/aktiviteter/{activity.pk}/"
    text = found["text/plain"].get_content()
    assert nb("Hello %(name)s,", name="Rita") in text
    assert nb("You are registered for %(title)s.", title=activity.title) in text
    assert nb("%(days)s, %(times)s", days="11.06.2025", times="09:00–15:00") in text
    assert activity.place in text
    assert url in text
    html = found["text/html"].get_content()
    assert f'<a href="{url}">' in html
    assert nb("You are registered for %(title)s.", title=activity.title) in html

    part, calendar = invitation(message)
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invitasjon.ics"
    assert calendar["METHOD"] == "REQUEST"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    event = only_event(calendar)
    assert str(event["UID"]) == f"activity-{activity.pk}@127.0.0.1"
    assert event.decoded("DTSTART") == dt.datetime(2025, 6, 11, 9, 0, tzinfo=OSLO)
    assert event.decoded("DTEND") == dt.datetime(2025, 6, 11, 15, 0, tzinfo=OSLO)
    assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert str(event["SUMMARY"]) == activity.title
    assert str(event["LOCATION"]) == activity.place
    assert str(event["URL"]) == url
    assert url in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ATTENDEE"]) == "mailto:rita@example.no"
    assert str(event["ORGANIZER"]) == "mailto:noreply@fagnett.example.no"


@pytest.mark.usefixtures("before_deadline")
def test_a_sign_up_to_a_full_activity_says_waiting_list_and_holds_the_date_tentatively(
    smtp: Collector, network: Network, activity: Activity, django_capture_on_commit_callbacks: Capture
) -> None:
    for i in range(2):
        services.register(activity, resource_person(network, f"p{i}@example.no"), None)
    third = resource_person(network, "third@example.no")

    with django_capture_on_commit_callbacks(execute=True):
        services.register(activity, third, None)

    message = smtp.message_to("third@example.no")
    assert message["Subject"].strip() == nb("You are on the waiting list: %(title)s", title=activity.title)
    _, calendar = invitation(message)
    assert calendar["METHOD"] == "REQUEST"
    assert str(only_event(calendar)["STATUS"]) == "TENTATIVE"


@pytest.mark.usefixtures("before_deadline")
def test_a_cancellation_removes_the_event_and_the_promoted_person_gets_one_invitation(
    smtp: Collector, network: Network, activity: Activity, django_capture_on_commit_callbacks: Capture
) -> None:
    first = services.register(activity, resource_person(network, "first@example.no"), None)
    services.register(activity, resource_person(network, "second@example.no"), None)
    services.register(activity, resource_person(network, "waiting@example.no"), None)

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(first, None)

    assert sorted(rcpt[0] for _, rcpt, _ in smtp.received) == ["first@example.no", "waiting@example.no"]
    cancelled = smtp.message_to("first@example.no")
    assert cancelled["Subject"].strip() == nb("Registration cancelled: %(title)s", title=activity.title)
    part, calendar = invitation(cancelled)
    assert part.get_param("method") == "CANCEL"
    assert calendar["METHOD"] == "CANCEL"
    event = only_event(calendar)
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"activity-{activity.pk}@127.0.0.1"

    promoted = smtp.message_to("waiting@example.no")
    assert promoted["Subject"].strip() == nb("You have got a place: %(title)s", title=activity.title)
    assert nb(
        "A place became free for %(title)s, and it is yours: you are now registered.", title=activity.title
    ) in (parts(promoted)["text/plain"].get_content())
    _, promoted_calendar = invitation(promoted)
    assert promoted_calendar["METHOD"] == "REQUEST"
    assert str(only_event(promoted_calendar)["STATUS"]) == "CONFIRMED"


def test_a_refused_sign_up_sends_nothing(
    smtp: Collector, network: Network, activity: Activity, django_capture_on_commit_callbacks: Capture
) -> None:
    person = resource_person(network, "late@example.no")

    with (
        time_machine.travel(dt.datetime(2025, 6, 5, 10, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
    ):
        services.register(activity, person, None)

    assert smtp.received == []


@pytest.mark.usefixtures("before_deadline")
def test_a_rolled_back_sign_up_sends_nothing(
    smtp: Collector, network: Network, activity: Activity, django_capture_on_commit_callbacks: Capture
) -> None:
    person = resource_person(network, "undone@example.no")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            services.register(activity, person, None)
            raise RuntimeError("something later in the same request failed")

    assert smtp.received == []
    assert not Registration.objects.exists()


@pytest.mark.usefixtures("before_deadline")
def test_adding_many_sends_one_message_each_over_one_connection(
    smtp: Collector, network: Network, chapter_activity: Activity, django_capture_on_commit_callbacks: Capture
) -> None:
    persons = [resource_person(network, f"p{i}@example.no") for i in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        services.add_many(chapter_activity, persons, None)

    assert sorted(rcpt[0] for _, rcpt, _ in smtp.received) == [p.email for p in persons]
    assert len({session for session, _, _ in smtp.received}) == 1


@pytest.mark.usefixtures("before_deadline")
def test_a_mail_server_that_is_down_does_not_undo_the_sign_up(
    settings: Any,
    network: Network,
    activity: Activity,
    django_capture_on_commit_callbacks: Capture,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens here
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    person = resource_person(network, "patient@example.no")

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        registration = services.register(activity, person, None)

    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.REGISTERED
    assert any("Could not send" in record.getMessage() for record in caplog.records)


# The iCalendar ------------------------------------------------------------------------------------------


def test_an_activity_without_times_is_an_all_day_event_with_an_exclusive_end(activity: Activity) -> None:
    Activity.objects.filter(pk=activity.pk).update(
        ends_on=dt.date(2025, 6, 12), start_time=None, end_time=None
    )
    activity.refresh_from_db()

    calendar = icalendar.Calendar.from_ical(calendar_for([activity_event(activity)]))

    event = only_event(calendar)
    assert event.decoded("DTSTART") == dt.date(2025, 6, 11)
    assert event.decoded("DTEND") == dt.date(2025, 6, 13)
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert calendar.walk("VTIMEZONE") == []


def test_a_feed_calendar_has_no_method_and_is_the_same_on_every_request(activity: Activity) -> None:
    first = calendar_for([activity_event(activity)], name="Barnepalliasjon")
    second = calendar_for([activity_event(activity)], name="Barnepalliasjon")

    calendar = icalendar.Calendar.from_ical(first)
    assert first == second
    assert "METHOD" not in calendar
    assert str(calendar["X-WR-CALNAME"]) == "Barnepalliasjon"
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    event = only_event(calendar)
    assert event.decoded("DTSTAMP") == activity.updated.astimezone(dt.UTC).replace(microsecond=0)


def test_the_uid_is_stable_and_names_the_sites_host(settings: Any, activity: Activity) -> None:
    settings.FAGNETT_BASE_URL = "https://fagnett.example.no:8443"

    first = activity_event(activity)
    Activity.objects.filter(pk=activity.pk).update(title="Ny tittel")
    activity.refresh_from_db()
    second = activity_event(activity)

    assert str(first["UID"]) == str(second["UID"]) == f"activity-{activity.pk}@fagnett.example.no"
    assert (
        str(second["URL"]) == f"https://fagnett.example.no:8443/n/barnepalliasjon/aktiviteter/{activity.pk}/"
    )


def test_the_oslo_timezone_gives_the_right_offsets_in_summer_and_winter(activity: Activity) -> None:
    Activity.objects.filter(pk=activity.pk).update(
        starts_on=dt.date(2025, 1, 15), ends_on=dt.date(2025, 1, 15)
    )
    activity.refresh_from_db()
    winter = only_event(icalendar.Calendar.from_ical(calendar_for([activity_event(activity)])))
    activity.starts_on = activity.ends_on = dt.date(2025, 7, 15)
    summer_calendar = icalendar.Calendar.from_ical(calendar_for([activity_event(activity)]))
    summer = only_event(summer_calendar)

    assert winter.decoded("DTSTART").utcoffset() == dt.timedelta(hours=1)
    assert summer.decoded("DTSTART").utcoffset() == dt.timedelta(hours=2)
    (timezone,) = summer_calendar.walk("VTIMEZONE")
    offsets = {str(c["TZNAME"]): c.decoded("TZOFFSETTO") for c in timezone.subcomponents}
    assert offsets == {"CET": dt.timedelta(hours=1), "CEST": dt.timedelta(hours=2)}


def test_an_end_time_before_the_start_time_falls_back_to_a_whole_day(activity: Activity) -> None:
    activity.end_time = dt.time(8, 0)

    event = activity_event(activity)

    assert event.decoded("DTSTART") == dt.date(2025, 6, 11)
    assert event.decoded("DTEND") == dt.date(2025, 6, 12)
