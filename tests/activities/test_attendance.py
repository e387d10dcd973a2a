"""Attendance: record_attendance (bulk, audited) and the attendance page (300 rows in one request)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities import registration as services
from fagnett.activities.models import (
    Activity,
    Attendance,
    AttendanceStatus,
    Registration,
    RegistrationStatus,
)
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import Network, Person
from tests.conftest import login
from tests.helpers import count_queries, nb

SLUG = "barnepalliasjon"
ATTENDED = AttendanceStatus.ATTENDED
ABSENT = AttendanceStatus.ABSENT


def registered_persons(network: Network, activity: Activity, count: int, prefix: str = "p") -> list[Person]:
    """`count` persons registered for `activity`, made in bulk (the roster's rules are not under test)."""
    persons = Person.objects.bulk_create(
        Person(
            network=network,
            first_name=f"{prefix.upper()}{i:03}",
            last_name="Deltaker",
            email=f"{prefix}{i}@example.no",
        )
        for i in range(count)
    )
    Registration.objects.bulk_create(
        Registration(activity=activity, person=p, status=RegistrationStatus.REGISTERED) for p in persons
    )
    return persons


def extra_batches(model: type[Model], rows: int) -> int:
    """How many more INSERT statements than one Django needs to bulk-create `rows` rows of `model` here."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    size = connection.ops.bulk_batch_size(fields, [model()] * rows)
    return -(-rows // size) - 1 if size else 0


def attendance_url(activity: Activity) -> str:
    return reverse("activities:attendance", args=[SLUG, activity.pk])


def recorded(activity: Activity) -> dict[str, tuple[str, Decimal]]:
    return {
        email: (status, hours)
        for email, status, hours in Attendance.objects.filter(activity=activity).values_list(
            "person__email", "status", "hours"
        )
    }


# The service --------------------------------------------------------------------------------------------


def test_attended_gets_the_activitys_hours_and_absent_gets_none(network: Network, activity: Activity) -> None:
    came, stayed_home = registered_persons(network, activity, 2)

    result = services.record_attendance(activity, [(came, ATTENDED, None), (stayed_home, ABSENT, None)], None)

    assert result == services.AttendanceResult(created=2, changed=0, unchanged=0)
    assert recorded(activity) == {
        "p0@example.no": (ATTENDED, Decimal(6)),
        "p1@example.no": (ABSENT, Decimal(0)),
    }


def test_partial_attendance_keeps_the_hours_given(network: Network, activity: Activity) -> None:
    (person,) = registered_persons(network, activity, 1)

    services.record_attendance(activity, [(person, ATTENDED, Decimal("2.5"))], None)

    assert recorded(activity) == {"p0@example.no": (ATTENDED, Decimal("2.5"))}


def test_absent_is_credited_nothing_even_when_hours_are_typed(network: Network, activity: Activity) -> None:
    (person,) = registered_persons(network, activity, 1)

    services.record_attendance(activity, [(person, ABSENT, Decimal(4))], None)

    assert recorded(activity) == {"p0@example.no": (ABSENT, Decimal(0))}


def test_every_attendance_change_is_audited_with_field_names_only(
    network: Network, activity: Activity, alice: User
) -> None:
    first, second, third = registered_persons(network, activity, 3)
    services.record_attendance(
        activity, [(first, ATTENDED, None), (second, ATTENDED, None), (third, ABSENT, None)], alice
    )

    services.record_attendance(
        activity, [(first, ATTENDED, None), (second, ATTENDED, Decimal(3)), (third, ATTENDED, None)], alice
    )

    entries = list(AuditEntry.objects.filter(action__startswith="attendance.").order_by("pk"))
    assert [(e.action, e.fields) for e in entries] == [
        ("attendance.recorded", ["hours", "status"]),
        ("attendance.recorded", ["hours", "status"]),
        ("attendance.recorded", ["hours", "status"]),
        ("attendance.changed", ["hours"]),
        ("attendance.changed", ["hours", "status"]),
    ]
    assert all(e.actor == alice and e.network == network and e.data == {} for e in entries)
    # Names of fields only: no hours, no status values.
    assert not any("6" in " ".join(e.fields) or "deltatt" in " ".join(e.fields) for e in entries)
    assert Attendance.objects.get(person=second).recorded_by == alice


def test_unchanged_rows_are_neither_written_nor_audited(network: Network, activity: Activity) -> None:
    persons = registered_persons(network, activity, 2)
    services.record_attendance(activity, [(p, ATTENDED, None) for p in persons], None)
    before = AuditEntry.objects.count()

    result = services.record_attendance(activity, [(p, ATTENDED, Decimal(6)) for p in persons], None)

    assert result == services.AttendanceResult(created=0, changed=0, unchanged=2)
    assert AuditEntry.objects.count() == before


def test_bad_rows_are_refused_by_name_and_nothing_is_saved(
    network: Network, activity: Activity, other_network: Network
) -> None:
    good, negative = registered_persons(network, activity, 2)
    stranger = Person.objects.create(
        network=other_network, first_name="Sara", last_name="Fremmed", email="s@x.no"
    )

    with pytest.raises(ValidationError) as error:
        services.record_attendance(
            activity,
            [(good, ATTENDED, None), (negative, ATTENDED, Decimal(-1)), (stranger, ATTENDED, None)],
            None,
        )

    assert error.value.messages == [
        nb("%(person)s: the hours must be between 0 and 999,99.", person=negative.full_name),
        nb("%(person)s is not in this network.", person="Sara Fremmed"),
    ]
    assert not Attendance.objects.exists()


def test_it_parses_hours_with_a_decimal_comma_or_point() -> None:
    assert services.parse_hours(" 4,5 ") == Decimal("4.5")
    assert services.parse_hours("4.25") == Decimal("4.25")
    assert services.parse_hours("") is None
    with pytest.raises(ValueError):
        services.parse_hours("fire")


# The page -----------------------------------------------------------------------------------------------


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
def test_attendance_page_access(
    client: Client, persona: str, fixture: str, expected: int, request: pytest.FixtureRequest
) -> None:
    chosen: Activity = request.getfixturevalue(fixture)
    login(client, request.getfixturevalue(persona))

    get = client.get(attendance_url(chosen))
    post = client.post(attendance_url(chosen), {"action": "mark_all"})

    assert get.status_code == expected
    assert post.status_code == (302 if expected == 200 else 404)


def test_attendance_page_sends_anonymous_users_to_the_login_page(client: Client, activity: Activity) -> None:
    response = client.get(attendance_url(activity))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_page_lists_registered_and_checked_in_persons_but_not_the_waiting_list(
    client: Client, network: Network, activity: Activity, alice: User
) -> None:
    (registered,) = registered_persons(network, activity, 1)
    waiting = Person.objects.create(
        network=network, first_name="Wenche", last_name="Venter", email="w@example.no"
    )
    Registration.objects.create(activity=activity, person=waiting, status=RegistrationStatus.WAITING)
    walk_in = Person.objects.create(
        network=network, first_name="Walter", last_name="Inn", email="wi@example.no"
    )
    Attendance.objects.create(activity=activity, person=walk_in, status=ATTENDED, hours=Decimal(6))
    login(client, alice)

    response = client.get(attendance_url(activity))

    assert [line.person for line in response.context["form"].lines] == [registered, walk_in]
    assert nb("Not registered") in response.content.decode()


def test_saving_300_rows_is_one_request_with_a_fixed_number_of_queries(
    client: Client, network: Network, activity: Activity, chapter_activity: Activity, alice: User
) -> None:
    login(client, alice)
    few = registered_persons(network, chapter_activity, 3, prefix="f")
    many = registered_persons(network, activity, 300)
    data: dict[str, str] = {"action": "save"}
    for i, person in enumerate(many):
        data[f"status_{person.pk}"] = ABSENT if i % 10 == 0 else ATTENDED
        data[f"hours_{person.pk}"] = "4,5" if i % 7 == 0 else ""
    few_data = {"action": "save", **{f"status_{p.pk}": ATTENDED for p in few}}

    few_queries = count_queries(lambda: client.post(attendance_url(chapter_activity), few_data))
    many_queries = count_queries(lambda: client.post(attendance_url(activity), data))

    assert Attendance.objects.filter(activity=activity).count() == 300
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 303
    # No query per row: the only difference is that the database may split a bulk insert into batches
    # (SQLite takes at most 999 parameters per statement; PostgreSQL takes all 300 rows in one).
    assert many_queries == few_queries + extra_batches(Attendance, 300) + extra_batches(AuditEntry, 300)
    assert many_queries < 30
    rows = recorded(activity)
    assert rows["p0@example.no"] == (ABSENT, Decimal(0))
    assert rows["p7@example.no"] == (ATTENDED, Decimal("4.5"))
    assert rows["p1@example.no"] == (ATTENDED, Decimal(6))


def test_changing_300_rows_is_one_request_with_a_fixed_number_of_queries(
    client: Client, network: Network, activity: Activity, chapter_activity: Activity, alice: User
) -> None:
    login(client, alice)
    few = registered_persons(network, chapter_activity, 3, prefix="f")
    many = registered_persons(network, activity, 300)
    services.record_attendance(chapter_activity, [(p, ATTENDED, None) for p in few], alice)
    services.record_attendance(activity, [(p, ATTENDED, None) for p in many], alice)

    def change(chosen: Activity, persons: list[Person]) -> int:
        data = {"action": "save"}
        for i, person in enumerate(persons):
            data[f"status_{person.pk}"] = ABSENT if i % 2 else ATTENDED
            data[f"hours_{person.pk}"] = "" if i % 2 else "2,5"
        return count_queries(lambda: client.post(attendance_url(chosen), data))

    few_queries = change(chapter_activity, few)
    many_queries = change(activity, many)

    assert many_queries == few_queries + extra_batches(AuditEntry, 300)
    assert set(recorded(activity).values()) == {(ABSENT, Decimal(0)), (ATTENDED, Decimal("2.5"))}
    assert AuditEntry.objects.filter(action="attendance.changed").count() == 303


def test_the_page_reads_a_fixed_number_of_queries(
    client: Client, network: Network, activity: Activity, alice: User
) -> None:
    login(client, alice)
    registered_persons(network, activity, 2, prefix="a")
    few = count_queries(lambda: client.get(attendance_url(activity)))
    persons = registered_persons(network, activity, 100)
    services.record_attendance(activity, [(p, ATTENDED, None) for p in persons[:50]], alice)

    many = count_queries(lambda: client.get(attendance_url(activity)))

    assert many == few


def test_mark_all_marks_those_without_a_status_attended_and_keeps_the_rest(
    client: Client, network: Network, activity: Activity, alice: User
) -> None:
    unmarked, absent, partial = registered_persons(network, activity, 3)
    login(client, alice)

    response = client.post(
        attendance_url(activity),
        {
            "action": "mark_all",
            f"status_{absent.pk}": ABSENT,
            f"status_{partial.pk}": ATTENDED,
            f"hours_{partial.pk}": "1,5",
        },
    )

    assert response.status_code == 302
    assert recorded(activity) == {
        unmarked.email: (ATTENDED, Decimal(6)),
        absent.email: (ABSENT, Decimal(0)),
        partial.email: (ATTENDED, Decimal("1.5")),
    }


def test_rows_without_a_status_are_left_alone_on_save(
    client: Client, network: Network, activity: Activity, alice: User
) -> None:
    first, _second = registered_persons(network, activity, 2)
    login(client, alice)

    client.post(attendance_url(activity), {"action": "save", f"status_{first.pk}": ATTENDED})

    assert recorded(activity) == {first.email: (ATTENDED, Decimal(6))}


def test_bad_hours_are_shown_at_the_row_and_nothing_is_saved(
    client: Client, network: Network, activity: Activity, alice: User
) -> None:
    good, bad = registered_persons(network, activity, 2)
    login(client, alice)

    response = client.post(
        attendance_url(activity),
        {
            "action": "save",
            f"status_{good.pk}": ATTENDED,
            f"status_{bad.pk}": ATTENDED,
            f"hours_{bad.pk}": "fire",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    label = nb("Hours for %(name)s", name=bad.full_name)
    assert f"{label}: {nb('Write the hours as a number, for example 4,5.')}" in page
    assert f'href="#id_hours_{bad.pk}"' in page
    assert not Attendance.objects.exists()


def test_the_page_shows_recorded_hours_with_a_decimal_comma(
    client: Client, network: Network, activity: Activity, alice: User
) -> None:
    (person,) = registered_persons(network, activity, 1)
    services.record_attendance(activity, [(person, ATTENDED, Decimal("4.5"))], alice)
    login(client, alice)

    response = client.get(attendance_url(activity))

    assert f'name="hours_{person.pk}" id="id_hours_{person.pk}" value="4,5"' in response.content.decode()


def test_an_unknown_action_is_refused(client: Client, activity: Activity, alice: User) -> None:
    login(client, alice)

    assert client.post(attendance_url(activity), {"action": "delete"}).status_code == 400


def test_the_checked_in_time_is_shown(
    client: Client, network: Network, activity: Activity, alice: User
) -> None:
    (person,) = registered_persons(network, activity, 1)
    Attendance.objects.create(
        activity=activity,
        person=person,
        status=ATTENDED,
        hours=Decimal(6),
        checked_in_at=dt.datetime(2025, 6, 11, 7, 5, tzinfo=dt.UTC),
    )
    login(client, alice)

    response = client.get(attendance_url(activity))

    assert nb("Checked in %(time)s", time="11.06.2025 09:05") in response.content.decode()
