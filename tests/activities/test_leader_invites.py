"""Line managers invited with their staff to an activity for resource persons and their line managers
(activities.leaders), through a real SMTP server on 127.0.0.1 (aiosmtpd) and the participants page."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities import registration as services
from fagnett.activities.leaders import LeaderInvites, invite_leaders
from fagnett.activities.models import Activity, ActivityKind, Audience, Registration, RegistrationStatus
from fagnett.networks.models import LocalChapter, Network, Person, Role
from tests.activities.test_emails import Capture, Collector, before_deadline, parts, smtp
from tests.conftest import add_member, login
from tests.helpers import nb

__all__ = ["before_deadline", "smtp"]  # fixtures used by name below

LEADERS_TEXT = "Line managers: %(registered)s registered, %(emailed)s invited by e-mail."


@pytest.fixture
def intro_course(network: Network, chapter: LocalChapter) -> Activity:
    return Activity.objects.create(
        network=network,
        chapter=chapter,
        kind=ActivityKind.INTRO_COURSE,
        title="Introduksjonskurs for nye ressurspersoner",
        starts_on=dt.date(2025, 9, 17),
        ends_on=dt.date(2025, 9, 17),
        start_time=dt.time(9, 0),
        end_time=dt.time(15, 0),
        place="Stavanger kommune, Olav Kyrres gate 19",
        audience=Audience.WITH_LEADERS,
    )


def member(
    network: Network,
    email_address: str,
    chapter: LocalChapter | None = None,
    *,
    start: dt.date = dt.date(2025, 3, 1),
    role: str = Role.RESOURCE_PERSON,
    **fields: object,
) -> Person:
    person = add_member(network, None, email_address, role, start, chapter).person
    Person.objects.filter(pk=person.pk).update(**fields)
    person.refresh_from_db()
    return person


def recipients(collector: Collector) -> list[str]:
    return sorted(address for _, rcpt, _ in collector.received for address in rcpt)


def participants_url(activity: Activity) -> str:
    return reverse("activities:participants", args=[activity.network.slug, activity.pk])


def leader_calendar(message: EmailMessage) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(parts(message)["text/calendar"].get_content())


@pytest.mark.usefixtures("before_deadline")
def test_it_registers_a_leader_in_the_roster_and_sends_them_the_confirmation(
    smtp: Collector,
    network: Network,
    chapter: LocalChapter,
    intro_course: Activity,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    boss = member(network, "boss@example.no", role=Role.RESOURCE_PERSON, start=dt.date(2019, 1, 1))
    new = member(network, "new@example.no", chapter, leader=boss)

    with django_capture_on_commit_callbacks(execute=True):
        services.add_many(intro_course, [new], None)
        invites = invite_leaders(intro_course, [new], None)

    assert invites == LeaderInvites(registered_leaders=1, emailed_leaders=0)
    assert (
        Registration.objects.get(activity=intro_course, person=boss).status == RegistrationStatus.REGISTERED
    )
    assert recipients(smtp) == ["boss@example.no", "new@example.no"]
    subject = smtp.message_to("boss@example.no")["Subject"].strip()
    assert subject == nb("You are registered: %(title)s", title=intro_course.title)


@pytest.mark.usefixtures("before_deadline")
def test_it_sends_one_invitation_to_a_leader_known_by_email_for_two_of_their_staff(
    smtp: Collector,
    network: Network,
    chapter: LocalChapter,
    intro_course: Activity,
    alice: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    first = member(
        network, "anne@example.no", chapter, leader_email="Lena@Example.no", leader_name="Lena Leder"
    )
    second = member(network, "bjorn@example.no", chapter, leader_email="lena@example.no")
    Person.objects.filter(pk=first.pk).update(first_name="Anne", last_name="Ny")
    Person.objects.filter(pk=second.pk).update(first_name="Bjørn", last_name="Ny")
    persons = [Person.objects.get(pk=first.pk), Person.objects.get(pk=second.pk)]

    with django_capture_on_commit_callbacks(execute=True):
        services.add_many(intro_course, persons, alice)
        invites = invite_leaders(intro_course, persons, alice)

    assert invites == LeaderInvites(registered_leaders=0, emailed_leaders=1)
    assert recipients(smtp) == ["Lena@Example.no", "anne@example.no", "bjorn@example.no"]
    assert not Person.objects.filter(email__iexact="lena@example.no").exists()
    message = smtp.message_to("Lena@Example.no")
    assert message["Subject"].strip() == nb("Invitation: %(title)s", title=intro_course.title)
    assert message["Reply-To"] == "alice@example.no"
    found = parts(message)
    text = found["text/plain"].get_content()
    assert nb("Hello %(name)s,", name="Lena Leder") in text
    assert "- Anne Ny" in text
    assert "- Bjørn Ny" in text
    assert "alice@example.no" in text
    html = found["text/html"].get_content()
    assert "<li>Anne Ny</li>" in html
    assert "<li>Bjørn Ny</li>" in html
    calendar = leader_calendar(message)
    assert found["text/calendar"].get_param("method") == "REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == intro_course.title
    assert str(event["ATTENDEE"]) == "mailto:Lena@Example.no"
    assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
    assert event.decoded("DTSTART") == dt.datetime(2025, 9, 17, 9, 0, tzinfo=event.decoded("DTSTART").tzinfo)


@pytest.mark.usefixtures("before_deadline")
def test_the_chapter_form_invites_the_leaders_of_the_new_resource_persons_once(
    client: Client,
    smtp: Collector,
    network: Network,
    chapter: LocalChapter,
    intro_course: Activity,
    carl: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    boss = member(network, "boss@example.no", start=dt.date(2019, 1, 1))
    member(network, "new1@example.no", chapter, leader=boss)
    member(network, "new2@example.no", chapter, leader_email="lena@example.no")
    member(network, "old@example.no", chapter, start=dt.date(2020, 1, 1), leader_email="old-boss@example.no")
    login(client, carl)
    data = {"action": "add_chapter", "chapter-chapter": chapter.pk, "chapter-started_since": "2025-01-01"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(participants_url(intro_course), data, follow=True)

    text = [str(m) for m in response.context["messages"]]
    assert len(text) == 1
    assert text[0].endswith(" " + nb(LEADERS_TEXT, registered=1, emailed=1))
    assert recipients(smtp) == ["boss@example.no", "lena@example.no", "new1@example.no", "new2@example.no"]

    smtp.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(participants_url(intro_course), data, follow=True)

    assert smtp.received == []
    assert [str(m) for m in again.context["messages"]][0].endswith(nb(LEADERS_TEXT, registered=0, emailed=0))


@pytest.mark.usefixtures("before_deadline")
def test_the_add_person_form_invites_the_persons_leader(
    client: Client,
    smtp: Collector,
    network: Network,
    chapter: LocalChapter,
    intro_course: Activity,
    alice: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    new = member(network, "new@example.no", chapter, leader_email="lena@example.no")
    login(client, alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            participants_url(intro_course), {"action": "add_person", "person-person": new.pk}, follow=True
        )

    assert [str(m) for m in response.context["messages"]] == [
        nb("%(name)s is registered.", name=new.full_name) + " " + nb(LEADERS_TEXT, registered=0, emailed=1)
    ]
    assert recipients(smtp) == ["lena@example.no", "new@example.no"]


@pytest.mark.usefixtures("before_deadline")
def test_an_activity_for_resource_persons_only_sends_nothing_to_leaders(
    client: Client,
    smtp: Collector,
    network: Network,
    chapter: LocalChapter,
    intro_course: Activity,
    alice: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    Activity.objects.filter(pk=intro_course.pk).update(audience=Audience.RESOURCE_PERSONS)
    boss = member(network, "boss@example.no", start=dt.date(2019, 1, 1))
    member(network, "new1@example.no", chapter, leader=boss)
    member(network, "new2@example.no", chapter, leader_email="lena@example.no")
    login(client, alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            participants_url(intro_course),
            {"action": "add_chapter", "chapter-chapter": chapter.pk},
            follow=True,
        )

    assert recipients(smtp) == ["new1@example.no", "new2@example.no"]
    assert not Registration.objects.filter(person=boss).exists()
    assert nb(LEADERS_TEXT, registered=0, emailed=0) not in str(list(response.context["messages"])[0])


@pytest.mark.usefixtures("before_deadline")
def test_a_leader_who_cancelled_is_not_signed_up_again(
    smtp: Collector,
    network: Network,
    chapter: LocalChapter,
    intro_course: Activity,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    boss = member(network, "boss@example.no", start=dt.date(2019, 1, 1))
    new = member(network, "new@example.no", chapter, leader=boss)
    services.cancel(services.register(intro_course, boss, None, as_coordinator=True), None)
    services.add_many(intro_course, [new], None)
    smtp.received.clear()

    with django_capture_on_commit_callbacks(execute=True):
        invites = invite_leaders(intro_course, [new], None)

    assert invites == LeaderInvites(registered_leaders=0, emailed_leaders=0)
    assert Registration.objects.get(person=boss).status == RegistrationStatus.CANCELLED
    assert smtp.received == []
