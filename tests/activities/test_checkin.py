"""Self check-in: the room's QR page (checkin_display) and the participant's page (checkin)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities import registration as services
from fagnett.activities.models import Activity, Attendance, AttendanceStatus
from fagnett.activities.views.registration import qr_svg
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import Network, Person
from tests.conftest import login
from tests.helpers import nb

SLUG = "barnepalliasjon"
# The activity runs 11.06.2025 09:00–15:00 Oslo time (UTC+2 in June).
DURING = dt.datetime(2025, 6, 11, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def during() -> Iterator[None]:
    with time_machine.travel(DURING, tick=False):
        yield


def person_of(network: Network, user: User) -> Person:
    return Person.objects.get(network=network, user=user)


def checkin_url(activity: Activity) -> str:
    return reverse("activities:checkin", args=[activity.checkin_token])


def display_url(activity: Activity) -> str:
    return reverse("activities:checkin_display", args=[SLUG, activity.pk])


# The service --------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("during")
def test_checking_in_marks_attended_once_with_the_activitys_hours(
    network: Network, activity: Activity, rita: User
) -> None:
    person = person_of(network, rita)

    first = services.check_in(activity, person)
    second = services.check_in(activity, person)

    assert (first.already, second.already) == (False, True)
    attendance = Attendance.objects.get(activity=activity, person=person)
    assert (attendance.status, attendance.hours, attendance.checked_in_at) == (
        AttendanceStatus.ATTENDED,
        Decimal(6),
        DURING,
    )
    assert attendance.recorded_by == rita
    entries = AuditEntry.objects.filter(action="attendance.checked_in")
    assert [(e.actor, e.fields) for e in entries] == [(rita, ["checked_in_at", "hours", "status"])]


@pytest.mark.usefixtures("during")
def test_checking_in_keeps_attendance_a_coordinator_already_recorded(
    network: Network, activity: Activity, rita: User, alice: User
) -> None:
    person = person_of(network, rita)
    services.record_attendance(activity, [(person, AttendanceStatus.ATTENDED, Decimal(3))], alice)

    result = services.check_in(activity, person)

    assert result.already
    attendance = Attendance.objects.get(activity=activity, person=person)
    assert (attendance.hours, attendance.checked_in_at, attendance.recorded_by) == (Decimal(3), None, alice)


@pytest.mark.usefixtures("during")
def test_checking_in_turns_absent_into_attended(network: Network, activity: Activity, rita: User) -> None:
    person = person_of(network, rita)
    services.record_attendance(activity, [(person, AttendanceStatus.ABSENT, None)], None)

    result = services.check_in(activity, person)

    assert not result.already
    attendance = Attendance.objects.get(activity=activity, person=person)
    assert (attendance.status, attendance.hours) == (AttendanceStatus.ATTENDED, Decimal(6))


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (dt.datetime(2025, 6, 11, 4, 59, tzinfo=dt.UTC), False),  # 06:59 in Oslo, start 09:00
        (dt.datetime(2025, 6, 11, 5, 0, tzinfo=dt.UTC), True),  # 07:00, two hours before
        (dt.datetime(2025, 6, 11, 21, 59, tzinfo=dt.UTC), True),  # 23:59 on the last day
        (dt.datetime(2025, 6, 11, 22, 0, tzinfo=dt.UTC), False),  # midnight after the last day
    ],
)
def test_check_in_is_open_from_two_hours_before_the_start_to_the_end_of_the_last_day(
    activity: Activity, moment: dt.datetime, open_: bool
) -> None:
    assert (services.checkin_closed_reason(activity, moment) is None) is open_


def test_without_a_start_time_check_in_opens_two_hours_before_the_first_day(activity: Activity) -> None:
    Activity.objects.filter(pk=activity.pk).update(start_time=None, end_time=None)
    activity.refresh_from_db()

    opens, closes = services.checkin_window(activity)

    assert opens == dt.datetime(2025, 6, 10, 20, 0, tzinfo=dt.UTC)  # 22:00 the evening before, Oslo
    assert closes == dt.datetime(2025, 6, 11, 22, 0, tzinfo=dt.UTC)


def test_checking_in_outside_the_window_is_refused_and_saves_nothing(
    network: Network, activity: Activity, rita: User
) -> None:
    with time_machine.travel(dt.datetime(2025, 6, 12, 8, tzinfo=dt.UTC), tick=False):
        with pytest.raises(ValidationError) as error:
            services.check_in(activity, person_of(network, rita))

    assert error.value.messages == [
        nb(
            "Check-in for this activity opens %(date)s at %(time)s and closes at the end of %(end)s.",
            date="11.06.2025",
            time="07:00",
            end="11.06.2025",
        )
    ]
    assert not Attendance.objects.exists()


# The participant's page ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("during")
@pytest.mark.parametrize("persona", ["alice", "carl", "rita"])
def test_a_user_with_a_person_in_the_network_checks_in(
    client: Client, network: Network, activity: Activity, persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    login(client, user)

    page = client.get(checkin_url(activity))
    done = client.post(checkin_url(activity), follow=True)

    assert page.status_code == 200
    assert nb("Check in") in page.content.decode()
    assert [str(m) for m in done.context["messages"]] == [
        nb("You are checked in to %(title)s. Welcome!", title=activity.title)
    ]
    attendance = Attendance.objects.get(activity=activity, person__user=user)
    assert attendance.status == AttendanceStatus.ATTENDED


@pytest.mark.usefixtures("during")
def test_a_second_scan_says_already_checked_in(
    client: Client, network: Network, activity: Activity, rita: User
) -> None:
    login(client, rita)
    client.post(checkin_url(activity), follow=True)

    page = client.get(checkin_url(activity))
    again = client.post(checkin_url(activity), follow=True)

    assert nb(
        "%(name)s, you are checked in (at %(time)s).", name="Rita Ressurs", time="11.06.2025 10:00"
    ) in (page.content.decode())
    assert [str(m) for m in again.context["messages"]] == [
        nb("You were already checked in to %(title)s.", title=activity.title)
    ]
    assert Attendance.objects.count() == 1
    assert AuditEntry.objects.filter(action="attendance.checked_in").count() == 1


@pytest.mark.usefixtures("during")
@pytest.mark.parametrize("persona", ["lena", "rolf", "charlie", "nobody"])
def test_users_without_a_person_in_the_network_get_404_on_check_in(
    client: Client, activity: Activity, persona: str, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))

    assert client.get(checkin_url(activity)).status_code == 404
    assert client.post(checkin_url(activity)).status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.usefixtures("during")
def test_an_unknown_token_is_404(client: Client, activity: Activity, rita: User) -> None:
    login(client, rita)

    assert client.get(reverse("activities:checkin", args=["not-a-token"])).status_code == 404


def test_check_in_sends_anonymous_users_to_the_login_page_and_back(
    client: Client, activity: Activity
) -> None:
    response = client.get(checkin_url(activity))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]


def test_the_page_explains_when_check_in_is_closed(
    client: Client, network: Network, activity: Activity, rita: User
) -> None:
    with time_machine.travel(dt.datetime(2025, 6, 10, 8, tzinfo=dt.UTC), tick=False):
        login(client, rita)
        page = client.get(checkin_url(activity))
        refused = client.post(checkin_url(activity), follow=True)

    closed = nb(
        "Check-in for this activity opens %(date)s at %(time)s and closes at the end of %(end)s.",
        date="11.06.2025",
        time="07:00",
        end="11.06.2025",
    )
    assert closed in page.content.decode()
    assert nb("Check in") + "</button>" not in page.content.decode()
    assert [str(m) for m in refused.context["messages"]] == [closed]
    assert not Attendance.objects.exists()


# The room's page ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "fixture", "expected"),
    [
        ("alice", "activity", 200),
        ("alice", "chapter_activity", 200),
        ("carl", "chapter_activity", 200),
        ("carl", "activity", 404),
        ("rita", "activity", 404),
        ("lena", "activity", 404),
        ("rolf", "activity", 404),
        ("charlie", "activity", 404),
        ("nobody", "activity", 404),
    ],
)
def test_checkin_display_access(
    client: Client, persona: str, fixture: str, expected: int, request: pytest.FixtureRequest
) -> None:
    chosen: Activity = request.getfixturevalue(fixture)
    login(client, request.getfixturevalue(persona))

    assert client.get(display_url(chosen)).status_code == expected


def test_checkin_display_sends_anonymous_users_to_the_login_page(client: Client, activity: Activity) -> None:
    response = client.get(display_url(activity))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_room_page_shows_an_inline_qr_code_and_the_address(
    client: Client, activity: Activity, alice: User
) -> None:
    login(client, alice)

    page = client.get(display_url(activity)).content.decode()

    url = "http://127.0.0.1:8000" + checkin_url(activity)
    assert f">{url}</a>" in page
    assert '<svg role="img" aria-label="' in page
    assert "<path" in page
    # Nothing drawn by another host: no image or script source outside the site.
    assert "<img" not in page
    assert 'src="http' not in page


def test_the_room_page_counts_checked_in_persons_for_htmx(
    client: Client, network: Network, activity: Activity, alice: User, rita: User
) -> None:
    with time_machine.travel(DURING, tick=False):
        services.check_in(activity, person_of(network, rita))
        login(client, alice)
        page = client.get(display_url(activity))
        fragment = client.get(display_url(activity), headers={"HX-Request": "true"})

    assert 'hx-trigger="every 10s"' in page.content.decode()
    assert fragment.content.decode().strip() == nb("Checked in so far: %(count)s", count=1)


def test_the_qr_code_is_one_labelled_inline_svg_without_an_xml_declaration() -> None:
    svg = str(qr_svg("https://fagnett.example/innsjekk/abc/", 'QR "code" <x>'))

    assert svg.startswith('<svg role="img" aria-label="QR &quot;code&quot; &lt;x&gt;" class="fn-qr" ')
    assert "<?xml" not in svg
    assert svg.count("<svg") == 1
