"""Check-in through the personal link from the confirmation e-mail, without logging in."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import signing
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities import registration as services
from fagnett.activities.checkin_links import SALT, personal_checkin_path, personal_token
from fagnett.activities.models import Activity, Attendance, AttendanceStatus
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import Membership, Network, Person, Role
from tests.activities.test_emails import Collector, free_port, parts
from tests.conftest import add_member, login
from tests.helpers import nb

# The activity runs 11.06.2025 09:00–15:00 Oslo time (UTC+2 in June).
DURING = dt.datetime(2025, 6, 11, 8, 0, tzinfo=dt.UTC)
BEFORE_WINDOW = dt.datetime(2025, 6, 10, 12, 0, tzinfo=dt.UTC)
BEFORE_DEADLINE = dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC)

Capture = Callable[..., Any]


@pytest.fixture
def during() -> Iterator[None]:
    with time_machine.travel(DURING, tick=False):
        yield


@pytest.fixture
def nils(network: Network) -> Person:
    """A resource person without a user account."""
    membership = add_member(
        network, None, "nils.nordmann@example.no", Role.RESOURCE_PERSON, dt.date(2024, 1, 1)
    )
    person = membership.person
    person.first_name = "Nils"
    person.last_name = "Nordmann"
    person.phone = "99887766"
    person.save()
    return person


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def post_with_token(client: Client, path: str) -> Any:
    """GET the page and POST its form with the CSRF token it carries, as a browser does."""
    page = client.get(path)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert match is not None
    return client.post(path, {"csrfmiddlewaretoken": match.group(1)}, follow=True)


@pytest.mark.usefixtures("during")
def test_it_shows_only_the_first_name_and_a_confirm_button(activity: Activity, nils: Person) -> None:
    response = Client().get(personal_checkin_path(activity, nils))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nils" in content
    assert activity.title in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert nb("Check in") in content
    for private in ("Nordmann", "nils.nordmann@example.no", "99887766"):
        assert private not in content


@pytest.mark.usefixtures("during")
def test_an_anonymous_participant_checks_in_with_a_valid_link(activity: Activity, nils: Person) -> None:
    response = post_with_token(csrf_client(), personal_checkin_path(activity, nils))

    assert response.status_code == 200
    assert nb("You are checked in to %(title)s. Welcome!", title=activity.title) in response.content.decode()
    attendance = Attendance.objects.get(activity=activity, person=nils)
    assert (attendance.status, attendance.hours, attendance.checked_in_at) == (
        AttendanceStatus.ATTENDED,
        activity.hours,
        DURING,
    )
    entries = AuditEntry.objects.filter(action="attendance.checked_in")
    assert [(e.actor, e.fields) for e in entries] == [(None, ["checked_in_at", "hours", "status"])]


@pytest.mark.usefixtures("during")
def test_a_second_use_says_already_checked_in(activity: Activity, nils: Person) -> None:
    path = personal_checkin_path(activity, nils)
    post_with_token(csrf_client(), path)

    response = post_with_token(csrf_client(), path)

    assert nb("You were already checked in to %(title)s.", title=activity.title) in response.content.decode()
    assert Attendance.objects.filter(activity=activity, person=nils).count() == 1
    assert AuditEntry.objects.filter(action="attendance.checked_in").count() == 1


@pytest.mark.usefixtures("during")
def test_a_post_without_the_csrf_token_is_refused(activity: Activity, nils: Person) -> None:
    response = csrf_client().post(personal_checkin_path(activity, nils))

    assert response.status_code == 403
    assert not Attendance.objects.filter(activity=activity).exists()


@pytest.mark.usefixtures("during")
def test_a_logged_in_user_checks_in_the_person_the_link_names(
    client: Client, network: Network, activity: Activity, rita: User, alice: User
) -> None:
    rita_person = Person.objects.get(network=network, user=rita)
    login(client, alice)

    client.post(personal_checkin_path(activity, rita_person))

    attendance = Attendance.objects.get(activity=activity)
    assert (attendance.person, attendance.recorded_by) == (rita_person, rita)


@pytest.mark.usefixtures("during")
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_or_tampered_link_is_not_found(activity: Activity, nils: Person, method: str) -> None:
    genuine = personal_token(activity, nils)
    tampered = genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB")
    other_salt = signing.dumps({"p": nils.pk, "a": activity.pk}, salt="something.else", compress=True)
    unsigned = signing.b64_encode(b'{"p":1,"a":1}').decode()
    client = Client()

    for signed in (tampered, other_salt, unsigned, "nonsense"):
        path = reverse("activities:checkin_personal", args=[activity.checkin_token, signed])
        assert getattr(client, method)(path).status_code == 404, signed
    assert not Attendance.objects.filter(activity=activity).exists()


@pytest.mark.usefixtures("during")
def test_a_signed_value_of_the_wrong_shape_is_not_found(activity: Activity, nils: Person) -> None:
    for value in ([nils.pk, activity.pk], {"p": str(nils.pk), "a": activity.pk}, {"a": activity.pk}):
        signed = signing.dumps(value, salt=SALT, compress=True)
        path = reverse("activities:checkin_personal", args=[activity.checkin_token, signed])
        assert Client().get(path).status_code == 404


@pytest.mark.usefixtures("during")
def test_a_link_for_one_activity_does_not_work_with_another_activitys_token(
    activity: Activity, chapter_activity: Activity, nils: Person
) -> None:
    signed = personal_token(activity, nils)
    path = reverse("activities:checkin_personal", args=[chapter_activity.checkin_token, signed])

    assert Client().get(path).status_code == 404
    assert Client().post(path).status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.usefixtures("during")
def test_an_unknown_checkin_token_is_not_found(activity: Activity, nils: Person) -> None:
    path = reverse("activities:checkin_personal", args=["unknown", personal_token(activity, nils)])

    assert Client().get(path).status_code == 404


@pytest.mark.usefixtures("during")
def test_a_person_no_longer_in_the_network_is_not_found(activity: Activity, nils: Person) -> None:
    path = personal_checkin_path(activity, nils)
    # Erased from the roster: memberships first (they protect the person row), then the person.
    Membership.objects.filter(person=nils).delete()
    nils.delete()

    assert Client().get(path).status_code == 404
    assert Client().post(path).status_code == 404


@pytest.mark.usefixtures("during")
def test_a_person_of_another_network_is_not_found(
    activity: Activity, other_network: Network, nils: Person
) -> None:
    path = personal_checkin_path(activity, nils)
    Person.objects.filter(pk=nils.pk).update(network=other_network)

    assert Client().get(path).status_code == 404


def test_outside_the_window_it_says_when_check_in_opens(activity: Activity, nils: Person) -> None:
    path = personal_checkin_path(activity, nils)
    expected = nb(
        "Check-in for this activity opens %(date)s at %(time)s and closes at the end of %(end)s.",
        date="11.06.2025",
        time="07:00",
        end="11.06.2025",
    )

    with time_machine.travel(BEFORE_WINDOW, tick=False):
        page = Client().get(path)
        response = post_with_token(csrf_client(), path)

    assert expected in page.content.decode()
    assert 'type="submit">' + nb("Check in") not in page.content.decode()
    assert expected in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.usefixtures("during")
def test_the_display_page_mentions_the_personal_link(client: Client, activity: Activity, alice: User) -> None:
    login(client, alice)

    response = client.get(reverse("activities:checkin_display", args=["barnepalliasjon", activity.pk]))

    assert (
        nb(
            "No Fagnett account, or not logged in on the phone? Participants can also check in with the "
            "personal link in their confirmation e-mail."
        )
        in response.content.decode()
    )


# The e-mail ---------------------------------------------------------------------------------------------


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
    try:
        yield collector
    finally:
        controller.stop()


def test_the_confirmation_e_mail_carries_a_working_personal_link(
    smtp: Collector, activity: Activity, nils: Person, django_capture_on_commit_callbacks: Capture
) -> None:
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.register(activity, nils, None)

    message = smtp.message_to("nils.nordmann@example.no")
    found = parts(message)
    text = found["text/plain"].get_content()
    sentence = nb("Use this link to check in to the activity")
    match = re.search(re.escape(sentence) + r": (http://127\.0\.0\.1:8000(/innsjekk/\S+/))", text)
    assert match is not None
    url, path = match.groups()
    # The signature carries its signing time, so compare what the link names rather than the text.
    token, signed = path.removeprefix("/innsjekk/").removesuffix("/").split("/")
    assert token == activity.checkin_token
    assert signing.loads(signed, salt=SALT) == {"p": nils.pk, "a": activity.pk}
    html = found["text/html"].get_content()
    assert sentence in html
    assert f'<a href="{url}">' in html

    with time_machine.travel(DURING, tick=False):
        response = post_with_token(csrf_client(), path)

    assert nb("You are checked in to %(title)s. Welcome!", title=activity.title) in response.content.decode()
    assert Attendance.objects.get(activity=activity, person=nils).checked_in_at == DURING


def test_waiting_list_and_cancellation_e_mails_have_no_personal_link(
    smtp: Collector, network: Network, activity: Activity, django_capture_on_commit_callbacks: Capture
) -> None:
    persons = [
        add_member(network, None, f"p{n}@example.no", Role.RESOURCE_PERSON, dt.date(2024, 1, 1)).person
        for n in range(3)
    ]
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            registrations = [services.register(activity, p, None) for p in persons]
        with django_capture_on_commit_callbacks(execute=True):
            services.cancel(registrations[0], None)

    sentence = nb("Use this link to check in to the activity")
    has_link: dict[str, list[bool]] = {}
    for message in smtp.messages():
        body = parts(message)["text/plain"].get_content()
        has_link.setdefault(message["To"], []).append(sentence in body and "/innsjekk/" in body)
    # p0 registered then cancelled; p1 registered; p2 waited, then was promoted when p0 cancelled.
    assert has_link == {
        "p0@example.no": [True, False],
        "p1@example.no": [True],
        "p2@example.no": [False, True],
    }
