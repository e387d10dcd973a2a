"""The history imports: activities, attendance and job shadowing (docs/import-activities.md), and their
commands."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from fagnett.activities.imports import (
    ActivityImporter,
    AttendanceImporter,
    ShadowingImporter,
    activity_kind,
    activity_summary,
    attendance_status,
    attendance_summary,
    shadowing_summary,
)
from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Shadowing,
    ShadowingStatus,
    Theme,
)
from fagnett.audit.models import AuditEntry
from fagnett.lib.importing import Importer, Preview
from fagnett.networks.models import LocalChapter, Network, Person, Role, ServiceType, Workplace
from fagnett.places.models import HealthTrust, Municipality
from tests.conftest import add_member
from tests.helpers import count_queries

ACTIVITY_HEADER = [
    "aktivitetstype",
    "tittel",
    "startdato",
    "sluttdato",
    "timer",
    "sted",
    "lokallag",
    "tema",
    "andre_deltakere",
]
ATTENDANCE_HEADER = ["epost", "tittel", "startdato", "timer", "status"]
SHADOWING_HEADER = ["epost", "vertsarbeidssted", "vertskommunenummer", "startdato", "sluttdato", "dager"]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in the source language, whatever the catalogue holds."""
    with translation.override("en"):
        yield


def csv_bytes(header: Sequence[str], rows: list[dict[str, Any]]) -> bytes:
    # Quoted where needed: a tema cell holds semicolons, as Excel writes it.
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[str(r.get(name, "")) for name in header] for r in rows])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def activity_row(**values: Any) -> dict[str, Any]:
    return {
        "aktivitetstype": "nettverkssamling",
        "tittel": "Smertelindring hos barn",
        "startdato": "12.03.2024",
        "sluttdato": "",
        "timer": "6",
        "sted": "Stavanger",
        "lokallag": "",
        "tema": "Smertelindring; Pårørende",
        "andre_deltakere": "",
        **values,
    }


def attendance_row(**values: Any) -> dict[str, Any]:
    return {
        "epost": "rita@example.no",
        "tittel": "Smertelindring hos barn",
        "startdato": "12.03.2024",
        "timer": "",
        "status": "deltatt",
        **values,
    }


def shadowing_row(**values: Any) -> dict[str, Any]:
    return {
        "epost": "rita@example.no",
        "vertsarbeidssted": "Barneavdelingen SUS",
        "vertskommunenummer": "1103",
        "startdato": "04.03.2024",
        "sluttdato": "05.03.2024",
        "dager": "2",
        **values,
    }


HEADERS: dict[type[Importer[Any]], list[str]] = {
    ActivityImporter: ACTIVITY_HEADER,
    AttendanceImporter: ATTENDANCE_HEADER,
    ShadowingImporter: SHADOWING_HEADER,
}


def preview_of(importer: type[Any], network: Network, rows: list[dict[str, Any]]) -> Preview[Any]:
    preview: Preview[Any] = importer(network).preview_file(csv_bytes(HEADERS[importer], rows), "fil.csv")
    return preview


def import_rows(importer: type[Any], network: Network, rows: list[dict[str, Any]]) -> Preview[Any]:
    preview = preview_of(importer, network, rows)
    assert [error.describe() for error in preview.errors] == []
    done: Preview[Any] = importer(network).apply(preview, actor=None)
    return done


def errors_of(preview: Preview[Any]) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.message) for error in preview.errors]


def snapshot() -> tuple[int, ...]:
    return (
        Activity.objects.count(),
        Theme.objects.count(),
        Activity.themes.through.objects.count(),
        Attendance.objects.count(),
        Shadowing.objects.count(),
        Workplace.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def rita_person(network: Network, rita: Any) -> Person:
    return Person.objects.get(network=network, email="rita@example.no")


@pytest.fixture
def gathering(network: Network) -> Activity:
    return Activity.objects.create(
        network=network,
        kind=ActivityKind.GATHERING,
        title="Smertelindring hos barn",
        starts_on=dt.date(2024, 3, 12),
        ends_on=dt.date(2024, 3, 12),
        hours=Decimal(6),
    )


@pytest.fixture
def unit(network: Network) -> Workplace:
    return Workplace.objects.create(
        network=network,
        name="Barneavdelingen SUS",
        service_type=ServiceType.objects.get(code=ServiceType.HOSPITAL_UNIT, network=None),
        municipality=Municipality.objects.get(number="1103"),
    )


# --- Vocabularies -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("nettverkssamling", ActivityKind.GATHERING),
        ("Nettverkssamling", ActivityKind.GATHERING),
        ("ARBEIDSGRUPPEMOTE", ActivityKind.WORKING_GROUP_MEETING),
        ("Arbeidsgruppemøte", ActivityKind.WORKING_GROUP_MEETING),
        ("webinar / E-læring", ActivityKind.WEBINAR),
        ("Introduksjonskurs", ActivityKind.INTRO_COURSE),
        (" fagdag ", ActivityKind.STUDY_DAY),
        ("Network gathering", ActivityKind.GATHERING),
        ("samling", None),
    ],
)
def test_activity_kinds_are_matched_by_code_or_label(value: str, code: str | None) -> None:
    assert activity_kind(value) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("deltatt", AttendanceStatus.ATTENDED),
        ("Deltatt", AttendanceStatus.ATTENDED),
        ("fravaer", AttendanceStatus.ABSENT),
        ("Fravær", AttendanceStatus.ABSENT),
        ("til stede", None),
    ],
)
def test_attendance_statuses_are_matched_by_code_or_label(value: str, code: str | None) -> None:
    assert attendance_status(value) == code


# --- Activities -------------------------------------------------------------------------------------------


def test_it_imports_activities_with_themes_chapter_and_defaults(
    network: Network, chapter: LocalChapter
) -> None:
    Theme.objects.create(network=network, name="Smertelindring")
    done = import_rows(
        ActivityImporter,
        network,
        [
            activity_row(),
            activity_row(
                aktivitetstype="Fagdag",
                tittel="Fagdag for barnehager og skoler",
                startdato="2024-10-17",
                sluttdato="18.10.2024",
                timer="3,5",
                sted="",
                lokallag="stavanger",
                tema="smertelindring | Skole|Skole",
                andre_deltakere="58",
            ),
        ],
    )
    assert (done.to_create, done.to_update, done.unchanged, done.to_add) == (2, 0, 0, 2)
    assert activity_summary(done) == "Rader: 2. Nye aktiviteter: 2, endrede: 0, uendrede: 0, nye tema: 2."
    gathering = Activity.objects.get(title="Smertelindring hos barn")
    assert (gathering.kind, gathering.ends_on, gathering.hours, gathering.place, gathering.chapter) == (
        ActivityKind.GATHERING,
        dt.date(2024, 3, 12),  # an empty sluttdato: a one-day activity
        Decimal(6),
        "Stavanger",
        None,
    )
    assert gathering.other_participants == 0
    assert sorted(t.name for t in gathering.themes.all()) == ["Pårørende", "Smertelindring"]
    study_day = Activity.objects.get(title="Fagdag for barnehager og skoler")
    assert (study_day.kind, study_day.starts_on, study_day.ends_on, study_day.hours) == (
        ActivityKind.STUDY_DAY,
        dt.date(2024, 10, 17),
        dt.date(2024, 10, 18),
        Decimal("3.5"),
    )
    assert (study_day.chapter, study_day.other_participants) == (chapter, 58)
    assert sorted(t.name for t in study_day.themes.all()) == ["Skole", "Smertelindring"]
    assert sorted(Theme.objects.values_list("name", flat=True)) == ["Pårørende", "Skole", "Smertelindring"]
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == [
        "activities.imported",
        "activity.created",
        "activity.created",
        "theme.created",
        "theme.created",
    ]


def test_it_reads_an_xlsx_file_with_number_and_date_cells(network: Network) -> None:
    data = xlsx_bytes(
        [
            [name.upper() for name in ACTIVITY_HEADER],
            ["Kurs", "ESAS", dt.date(2024, 5, 2), None, 3.5, None, None, None, 4],
        ]
    )
    preview = ActivityImporter(network).preview_file(data, "aktiviteter.xlsx")
    assert preview.errors == []
    ActivityImporter(network).apply(preview, actor=None)
    activity = Activity.objects.get()
    assert (activity.kind, activity.starts_on, activity.hours, activity.other_participants) == (
        ActivityKind.COURSE,
        dt.date(2024, 5, 2),
        Decimal("3.5"),
        4,
    )


def test_importing_the_same_activities_again_writes_nothing(network: Network, chapter: LocalChapter) -> None:
    rows = [
        activity_row(),
        activity_row(tittel="Arbeidsgruppe", aktivitetstype="arbeidsgruppemote", lokallag="Stavanger"),
    ]
    import_rows(ActivityImporter, network, rows)
    before = snapshot()
    updated = list(Activity.objects.order_by("pk").values_list("updated", flat=True))
    again = import_rows(ActivityImporter, network, [{**row, "tittel": row["tittel"].upper()} for row in rows])
    assert (again.to_create, again.to_update, again.unchanged, again.to_add) == (0, 0, 2, 0)
    assert snapshot() == before
    assert list(Activity.objects.order_by("pk").values_list("updated", flat=True)) == updated


def test_a_changed_row_updates_the_activity_and_names_the_changed_fields(network: Network) -> None:
    import_rows(ActivityImporter, network, [activity_row()])
    done = import_rows(
        ActivityImporter,
        network,
        [activity_row(timer="5,5", tema="Smertelindring", sted="", andre_deltakere="3")],
    )
    assert (done.to_create, done.to_update) == (0, 1)
    activity = Activity.objects.get()
    assert (activity.hours, activity.place, activity.other_participants) == (Decimal("5.5"), "Stavanger", 3)
    assert [t.name for t in activity.themes.all()] == ["Smertelindring"]
    entry = AuditEntry.objects.get(action="activity.updated")
    assert entry.fields == ["hours", "other_participants", "themes"]


def test_an_empty_cell_never_clears_a_stored_activity_value(network: Network) -> None:
    import_rows(ActivityImporter, network, [activity_row(sluttdato="13.03.2024", andre_deltakere="7")])
    done = import_rows(
        ActivityImporter,
        network,
        [activity_row(timer="", sted="", tema="", sluttdato="", andre_deltakere="")],
    )
    assert done.unchanged == 1
    activity = Activity.objects.get()
    assert (activity.ends_on, activity.hours, activity.other_participants) == (
        dt.date(2024, 3, 13),
        Decimal(6),
        7,
    )
    assert activity.themes.count() == 2


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        (
            {"aktivitetstype": "samling"},
            "aktivitetstype",
            "Unknown activity type “samling”. Use one of: introduksjonskurs, nettverkssamling, fagdag, "
            "konferanse, kurs, webinar, arbeidsgruppemote, veiledning, undervisning, refleksjon, workshop, "
            "annet.",
        ),
        ({"tittel": ""}, "tittel", "A value is required."),
        (
            {"startdato": "12/03/2024"},
            "startdato",
            "“12/03/2024” is not a date. Write it as dd.mm.yyyy or yyyy-mm-dd.",
        ),
        (
            {"startdato": "31.02.2024"},
            "startdato",
            "“31.02.2024” is not a date. Write it as dd.mm.yyyy or yyyy-mm-dd.",
        ),
        (
            {"sluttdato": "11.03.2024"},
            "sluttdato",
            "The end date 11.03.2024 is before the start date 12.03.2024.",
        ),
        ({"timer": "seks"}, "timer", "“seks” is not a number. Write for example 6 or 3,5."),
        ({"timer": "-1"}, "timer", "The number cannot be negative."),
        ({"timer": "3,555"}, "timer", "The number of hours can have at most two decimals."),
        ({"timer": "1000"}, "timer", "The number of hours must be less than 1000."),
        ({"andre_deltakere": "1,5"}, "andre_deltakere", "“1,5” is not a whole number of 0 or more."),
        ({"andre_deltakere": "-2"}, "andre_deltakere", "“-2” is not a whole number of 0 or more."),
        (
            {"lokallag": "Bergen"},
            "lokallag",
            "Unknown local chapter “Bergen”. The network has no local chapters.",
        ),
    ],
)
def test_a_bad_activity_row_is_an_error_and_nothing_is_written(
    network: Network, values: dict[str, str], column: str, message: str
) -> None:
    before = snapshot()
    preview = preview_of(ActivityImporter, network, [activity_row(tittel="Først"), activity_row(**values)])
    assert errors_of(preview) == [(3, column, message)]
    with pytest.raises(Exception):  # noqa: B017 - ImportRejected; the point is that nothing is written
        ActivityImporter(network).apply(preview, actor=None)
    assert snapshot() == before


def test_the_same_activity_twice_in_a_file_is_an_error(network: Network) -> None:
    preview = preview_of(
        ActivityImporter, network, [activity_row(), activity_row(tittel="smertelindring HOS barn")]
    )
    assert errors_of(preview) == [
        (3, "tittel", "The activity “smertelindring HOS barn” starting 12.03.2024 is also on row 2.")
    ]


def test_a_missing_required_column_is_an_error_on_the_header(network: Network) -> None:
    data = b"tittel;startdato\r\nSamling;12.03.2024\r\n"
    preview = ActivityImporter(network).preview_file(data, "fil.csv")
    assert errors_of(preview) == [(1, "aktivitetstype", "The required column “aktivitetstype” is missing.")]


def test_activity_validation_runs_a_fixed_number_of_queries(network: Network, chapter: LocalChapter) -> None:
    def queries(n: int) -> int:
        rows = [activity_row(tittel=f"Samling {i}", tema=f"Tema {i}", lokallag="stavanger") for i in range(n)]
        table = ActivityImporter(network).preview_file(csv_bytes(ACTIVITY_HEADER, rows), "f.csv").table
        assert table is not None
        return count_queries(lambda: ActivityImporter(network).validate(table))

    assert queries(20) == queries(5)


# --- Attendance -------------------------------------------------------------------------------------------


def test_it_imports_attendance_with_default_and_partial_hours(
    network: Network, gathering: Activity, rita_person: Person
) -> None:
    ola = add_member(network, None, "ola@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1)).person
    kari = add_member(network, None, "kari@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1)).person
    done = import_rows(
        AttendanceImporter,
        network,
        [
            attendance_row(epost="RITA@example.no"),
            attendance_row(epost="ola@example.no", timer="3,5", status="Deltatt"),
            attendance_row(epost="kari@example.no", status="Fravær"),
        ],
    )
    assert attendance_summary(done) == "Rader: 3. Nye deltakelser: 3, endrede: 0, uendrede: 0."
    stored = {a.person_id: (a.status, a.hours) for a in Attendance.objects.filter(activity=gathering)}
    assert stored == {
        rita_person.pk: (AttendanceStatus.ATTENDED, Decimal(6)),
        ola.pk: (AttendanceStatus.ATTENDED, Decimal("3.5")),
        kari.pk: (AttendanceStatus.ABSENT, Decimal(0)),
    }
    assert AuditEntry.objects.filter(action="attendance.created").count() == 3


def test_importing_the_same_attendance_again_writes_nothing_and_a_change_updates(
    network: Network, gathering: Activity, rita_person: Person
) -> None:
    import_rows(AttendanceImporter, network, [attendance_row()])
    before = snapshot()
    again = import_rows(AttendanceImporter, network, [attendance_row(timer="6")])
    assert (again.to_create, again.to_update, again.unchanged) == (0, 0, 1)
    assert snapshot() == before
    changed = import_rows(AttendanceImporter, network, [attendance_row(status="fravaer")])
    assert changed.to_update == 1
    attendance = Attendance.objects.get()
    assert (attendance.status, attendance.hours) == (AttendanceStatus.ABSENT, Decimal(0))
    assert AuditEntry.objects.get(action="attendance.updated").fields == ["hours", "status"]


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        (
            {"epost": "ukjent@example.no"},
            "epost",
            "No person in the network has the e-mail address ukjent@example.no.",
        ),
        (
            {"tittel": "Samling om noe annet"},
            "tittel",
            "The network has no activity “Samling om noe annet” starting 12.03.2024.",
        ),
        (
            {"startdato": "13.03.2024"},
            "tittel",
            "The network has no activity “Smertelindring hos barn” starting 13.03.2024.",
        ),
        (
            {"startdato": "i fjor"},
            "startdato",
            "“i fjor” is not a date. Write it as dd.mm.yyyy or yyyy-mm-dd.",
        ),
        ({"status": "til stede"}, "status", "Unknown status “til stede”. Use deltatt or fravaer."),
        ({"timer": "mange"}, "timer", "“mange” is not a number. Write for example 6 or 3,5."),
        (
            {"status": "fravaer", "timer": "2"},
            "timer",
            "A person who was absent cannot be credited with hours.",
        ),
        (
            {"timer": "6,5"},
            "timer",
            "6.5 hours is more than the activity's 6. Correct the activity's hours first.",
        ),
    ],
)
def test_a_bad_attendance_row_is_an_error_and_nothing_is_written(
    network: Network,
    gathering: Activity,
    rita_person: Person,
    values: dict[str, str],
    column: str,
    message: str,
) -> None:
    add_member(network, None, "ola@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1))
    before = snapshot()
    preview = preview_of(
        AttendanceImporter, network, [attendance_row(epost="ola@example.no"), attendance_row(**values)]
    )
    assert errors_of(preview) == [(3, column, message)]
    assert snapshot() == before


def test_a_person_of_another_network_is_unknown(
    network: Network, other_network: Network, gathering: Activity, charlie: Any
) -> None:
    preview = preview_of(AttendanceImporter, network, [attendance_row(epost="charlie@example.no")])
    assert errors_of(preview) == [
        (2, "epost", "No person in the network has the e-mail address charlie@example.no.")
    ]


def test_the_same_person_twice_for_an_activity_is_an_error(
    network: Network, gathering: Activity, rita_person: Person
) -> None:
    preview = preview_of(AttendanceImporter, network, [attendance_row(), attendance_row(status="fravaer")])
    assert errors_of(preview) == [(3, "epost", "rita@example.no is also on row 2 for this activity.")]


def test_attendance_validation_runs_a_fixed_number_of_queries(network: Network, gathering: Activity) -> None:
    for i in range(20):
        add_member(network, None, f"p{i}@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1))

    def queries(n: int) -> int:
        rows = [attendance_row(epost=f"p{i}@example.no") for i in range(n)]
        table = AttendanceImporter(network).preview_file(csv_bytes(ATTENDANCE_HEADER, rows), "f.csv").table
        assert table is not None
        return count_queries(lambda: AttendanceImporter(network).validate(table))

    assert queries(20) == queries(3)


# --- Job shadowing ----------------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_it_imports_job_shadowing_and_creates_unknown_hosts_once(
    network: Network, unit: Workplace, rita_person: Person
) -> None:
    add_member(network, None, "ola@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1))
    done = import_rows(
        ShadowingImporter,
        network,
        [
            shadowing_row(vertsarbeidssted="barneavdelingen sus", dager="1,5"),
            shadowing_row(
                vertsarbeidssted="Palliativt team Haugesund",
                vertskommunenummer="1106",
                sluttdato="",
                dager="1",
            ),
            shadowing_row(
                epost="ola@example.no",
                vertsarbeidssted="Palliativt  team haugesund",
                vertskommunenummer=1106,
                startdato="01.09.2024",
                sluttdato="03.09.2024",
                dager="3",
            ),
        ],
    )
    assert shadowing_summary(done) == (
        "Rader: 3. Nye hospiteringer: 3, endrede: 0, uendrede: 0, nye vertsarbeidssteder: 1."
    )
    new_host = Workplace.objects.select_related("service_type").get(name="Palliativt team Haugesund")
    assert (new_host.service_type.code, new_host.municipality, new_host.in_scope) == (
        "annet",
        Municipality.objects.get(number="1106"),
        False,
    )
    stored = {
        (s.person.email, s.host_id): (s.starts_on, s.ends_on, s.days, s.status)
        for s in Shadowing.objects.select_related("person")
    }
    assert stored == {
        ("rita@example.no", unit.pk): (
            dt.date(2024, 3, 4),
            dt.date(2024, 3, 5),
            Decimal("1.5"),
            ShadowingStatus.DONE,
        ),
        ("rita@example.no", new_host.pk): (
            dt.date(2024, 3, 4),
            dt.date(2024, 3, 4),  # an empty sluttdato: the start date
            Decimal(1),
            ShadowingStatus.DONE,
        ),
        ("ola@example.no", new_host.pk): (
            dt.date(2024, 9, 1),
            dt.date(2024, 9, 3),
            Decimal(3),
            ShadowingStatus.PLANNED,  # after the day of the import
        ),
    }
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == [
        "shadowing.created",
        "shadowing.created",
        "shadowing.created",
        "shadowing.imported",
        "workplace.created",
    ]


def test_a_hospital_unit_registered_with_its_health_trust_is_found_by_name(
    network: Network, rita_person: Person
) -> None:
    unit = Workplace.objects.create(
        network=network,
        name="Barneavdelingen SUS",
        service_type=ServiceType.objects.get(code=ServiceType.HOSPITAL_UNIT, network=None),
        health_trust=HealthTrust.objects.order_by("pk").first(),
    )
    import_rows(ShadowingImporter, network, [shadowing_row()])
    assert Shadowing.objects.get().host == unit
    assert Workplace.objects.count() == 1


def test_importing_the_same_shadowing_again_writes_nothing_and_a_change_updates(
    network: Network, unit: Workplace, rita_person: Person
) -> None:
    import_rows(
        ShadowingImporter,
        network,
        [shadowing_row(), shadowing_row(vertsarbeidssted="Ny vert", sluttdato="", dager="1")],
    )
    before = snapshot()
    again = import_rows(
        ShadowingImporter,
        network,
        [shadowing_row(), shadowing_row(vertsarbeidssted="NY VERT", sluttdato="", dager="1")],
    )
    assert (again.to_create, again.to_update, again.unchanged, again.to_add) == (0, 0, 2, 0)
    assert snapshot() == before
    changed = import_rows(ShadowingImporter, network, [shadowing_row(dager="1,5")])
    assert (changed.to_update, changed.unchanged) == (1, 0)
    assert Shadowing.objects.get(host=unit).days == Decimal("1.5")
    assert AuditEntry.objects.get(action="shadowing.updated").fields == ["days"]


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        (
            {"epost": "ukjent@example.no"},
            "epost",
            "No person in the network has the e-mail address ukjent@example.no.",
        ),
        ({"dager": "0,4"}, "dager", "The number of days must be between 0.5 and 10."),
        (
            {"dager": "11", "sluttdato": "30.03.2024"},
            "dager",
            "The number of days must be between 0.5 and 10.",
        ),
        ({"dager": "1,25"}, "dager", "The number of days can have at most one decimal."),
        ({"dager": "to"}, "dager", "“to” is not a number. Write for example 6 or 3,5."),
        ({"dager": "3"}, "dager", "3 days do not fit between 04.03.2024 and 05.03.2024."),
        (
            {"sluttdato": "03.03.2024"},
            "sluttdato",
            "The end date 03.03.2024 is before the start date 04.03.2024.",
        ),
        (
            {"startdato": "2024-13-01"},
            "startdato",
            "“2024-13-01” is not a date. Write it as dd.mm.yyyy or yyyy-mm-dd.",
        ),
        (
            {"vertskommunenummer": "9999"},
            "vertskommunenummer",
            "“9999” is not a Norwegian municipality number.",
        ),
        ({"vertskommunenummer": ""}, "vertskommunenummer", "A value is required."),
    ],
)
def test_a_bad_shadowing_row_is_an_error_and_nothing_is_written(
    network: Network, unit: Workplace, rita_person: Person, values: dict[str, str], column: str, message: str
) -> None:
    before = snapshot()
    preview = preview_of(
        ShadowingImporter, network, [shadowing_row(vertsarbeidssted="Et annet sted"), shadowing_row(**values)]
    )
    assert errors_of(preview) == [(3, column, message)]
    with pytest.raises(Exception):  # noqa: B017 - ImportRejected; the point is that nothing is written
        ShadowingImporter(network).apply(preview, actor=None)
    assert snapshot() == before


def test_the_same_placement_twice_in_a_file_is_an_error(
    network: Network, unit: Workplace, rita_person: Person
) -> None:
    preview = preview_of(ShadowingImporter, network, [shadowing_row(), shadowing_row(dager="1")])
    assert errors_of(preview) == [
        (
            3,
            "startdato",
            "The job shadowing of rita@example.no at this host from 04.03.2024 is also on row 2.",
        )
    ]


# --- The commands -----------------------------------------------------------------------------------------


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_commands_import_and_print_their_summaries(
    network: Network, rita_person: Person, unit: Workplace, tmp_path: Path
) -> None:
    activities = tmp_path / "aktiviteter.csv"
    activities.write_bytes(csv_bytes(ACTIVITY_HEADER, [activity_row()]))
    attendance = tmp_path / "deltakelse.csv"
    attendance.write_bytes(csv_bytes(ATTENDANCE_HEADER, [attendance_row()]))
    shadowing = tmp_path / "hospitering.csv"
    shadowing.write_bytes(csv_bytes(SHADOWING_HEADER, [shadowing_row()]))

    out, err = run("import_activities", str(activities), "--network", "barnepalliasjon")
    assert (out.strip(), err) == ("Rader: 1. Nye aktiviteter: 1, endrede: 0, uendrede: 0, nye tema: 2.", "")
    out, _ = run("import_attendance", str(attendance), "--network", "barnepalliasjon")
    assert out.strip() == "Rader: 1. Nye deltakelser: 1, endrede: 0, uendrede: 0."
    out, _ = run("import_shadowing", str(shadowing), "--network", "barnepalliasjon")
    assert (
        out.strip() == "Rader: 1. Nye hospiteringer: 1, endrede: 0, uendrede: 0, nye vertsarbeidssteder: 0."
    )
    summary = AuditEntry.objects.get(action="activities.imported")
    assert (summary.actor, summary.data["file"]) == (None, "aktiviteter.csv")

    out, _ = run("import_activities", str(activities), "--network", "barnepalliasjon")
    assert "uendrede: 1" in out
    out, _ = run("import_attendance", str(attendance), "--network", "barnepalliasjon")
    assert "uendrede: 1" in out
    out, _ = run("import_shadowing", str(shadowing), "--network", "barnepalliasjon")
    assert "uendrede: 1" in out


def test_a_command_prints_every_error_writes_nothing_and_exits_1(
    network: Network, rita_person: Person, gathering: Activity, tmp_path: Path
) -> None:
    path = tmp_path / "deltakelse.csv"
    path.write_bytes(
        csv_bytes(
            ATTENDANCE_HEADER,
            [attendance_row(), attendance_row(epost="ukjent@example.no"), attendance_row(status="kanskje")],
        )
    )
    before = snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_attendance", str(path), "--network", "barnepalliasjon", stderr=err)
    assert caught.value.returncode == 1
    assert "2 feil i filen. Ingenting er lagret." in str(caught.value)
    assert err.getvalue().splitlines() == [
        "Rad 3, kolonne epost: No person in the network has the e-mail address ukjent@example.no.",
        "Rad 4, kolonne status: Unknown status “kanskje”. Use deltatt or fravaer.",
    ]
    assert snapshot() == before


@pytest.mark.parametrize("command", ["import_activities", "import_shadowing"])
def test_a_command_rejects_bad_rows_with_exit_status_1(
    network: Network, tmp_path: Path, command: str
) -> None:
    path = tmp_path / "fil.csv"
    if command == "import_activities":
        path.write_bytes(csv_bytes(ACTIVITY_HEADER, [activity_row(aktivitetstype="møte")]))
    else:
        path.write_bytes(csv_bytes(SHADOWING_HEADER, [shadowing_row(dager="12")]))
    before = snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(command, str(path), "--network", "barnepalliasjon", stderr=err)
    assert caught.value.returncode == 1
    assert err.getvalue().startswith("Rad 2, kolonne ")
    assert snapshot() == before


def test_the_dry_run_writes_nothing(network: Network, tmp_path: Path) -> None:
    path = tmp_path / "aktiviteter.xlsx"
    path.write_bytes(
        xlsx_bytes([ACTIVITY_HEADER, [activity_row()[name] or None for name in ACTIVITY_HEADER]])
    )
    before = snapshot()
    out, _ = run("import_activities", str(path), "--network", "barnepalliasjon", "--dry-run")
    assert out.splitlines() == [
        "Rader: 1. Nye aktiviteter: 1, endrede: 0, uendrede: 0, nye tema: 2.",
        "Prøvekjøring (--dry-run): ingenting er lagret.",
    ]
    assert snapshot() == before


def test_a_command_rejects_an_unknown_network_and_an_unreadable_file(
    network: Network, tmp_path: Path
) -> None:
    path = tmp_path / "fil.csv"
    path.write_bytes(csv_bytes(SHADOWING_HEADER, [shadowing_row()]))
    with pytest.raises(CommandError, match="Fant ikke nettverket «finnes-ikke»") as caught:
        run("import_shadowing", str(path), "--network", "finnes-ikke")
    assert caught.value.returncode == 1
    with pytest.raises(CommandError, match="mangler.csv: Kan ikke lese filen."):
        run("import_activities", str(tmp_path / "mangler.csv"), "--network", "barnepalliasjon")


def test_an_unused_column_is_a_warning(network: Network, tmp_path: Path) -> None:
    path = tmp_path / "fil.csv"
    path.write_bytes(csv_bytes([*ACTIVITY_HEADER, "merknad"], [{**activity_row(), "merknad": "x"}]))
    out, err = run("import_activities", str(path), "--network", "barnepalliasjon", "--dry-run")
    assert err.strip() == "Advarsel: The column “merknad” is not used and will be ignored."
    assert "Nye aktiviteter: 1" in out
