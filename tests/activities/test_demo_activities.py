"""The demo network's activities (seed 001): gatherings, introductory course, study day, working-group
meetings, job shadowing and attendance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from fagnett.activities.demo import GATHERINGS, STUDY_DAY_PARTICIPANTS, load_demo_activities
from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Audience,
    Shadowing,
    ShadowingStatus,
)
from fagnett.networks.demo import DEMO_SLUG
from fagnett.networks.models import Membership, Network, Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _var_dir(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]


@pytest.fixture
def demo() -> Network:
    call_command("load_demo", stdout=StringIO())
    return Network.objects.get(slug=DEMO_SLUG)


def fingerprint(network: Network) -> list[tuple[str, str, str, str, Decimal]]:
    return sorted(
        (a.activity.title, a.activity.starts_on.isoformat(), a.person.email, a.status, a.hours)
        for a in Attendance.objects.filter(activity__network=network).select_related("activity", "person")
    )


def test_the_five_gatherings_of_2022_to_2024_have_the_themes_seed_001_names(demo: Network) -> None:
    gatherings = list(demo.activities.filter(kind=ActivityKind.GATHERING).order_by("starts_on"))
    assert len(gatherings) == 5
    assert [[t.name for t in g.themes.all()] for g in gatherings] == [[name] for _, name in GATHERINGS]
    assert {g.starts_on.year for g in gatherings} == {2022, 2023, 2024}
    assert {
        "Pårørendeperspektivet",
        "Ivaretakelse av hjelperen",
        "Tverrfaglig samarbeid",
        "En god avslutning",
        "Palliasjon i et flerkulturelt perspektiv",
    } == {name for _, name in GATHERINGS}
    assert all(g.programme.count() >= 3 for g in gatherings)


def test_the_study_day_for_kindergartens_and_schools_had_58_participants(demo: Network) -> None:
    study_day = demo.activities.get(kind=ActivityKind.STUDY_DAY)
    assert study_day.starts_on == dt.date(2024, 11, 5)
    assert study_day.audience == Audience.OPEN
    in_roster = study_day.attendances.filter(status=AttendanceStatus.ATTENDED).count()
    assert in_roster > 0
    assert in_roster + study_day.other_participants == STUDY_DAY_PARTICIPANTS == 58


def test_there_is_an_introductory_course_for_new_resource_persons_and_their_leaders(demo: Network) -> None:
    course = demo.activities.get(kind=ActivityKind.INTRO_COURSE)
    assert course.audience == Audience.WITH_LEADERS
    assert course.hours >= 6  # seed 003: at least six hours
    assert course.literature.exists()
    assert course.attendances.filter(status=AttendanceStatus.ATTENDED).exists()


def test_the_working_group_meets_twice_a_year(demo: Network) -> None:
    meetings = demo.activities.filter(kind=ActivityKind.WORKING_GROUP_MEETING)
    years = [m.starts_on.year for m in meetings]
    assert {year: years.count(year) for year in set(years)} == {2022: 2, 2023: 2, 2024: 2}
    assert all(m.other_participants > 0 for m in meetings)


def test_attendance_is_only_for_resource_persons_who_were_members_that_day(demo: Network) -> None:
    attendances = list(Attendance.objects.filter(activity__network=demo).select_related("activity", "person"))
    assert len(attendances) > 50
    for attendance in attendances:
        assert (
            Membership.objects.active_on(attendance.activity.starts_on)
            .filter(person=attendance.person, role__code=Role.RESOURCE_PERSON)
            .exists()
        ), attendance
        if attendance.status == AttendanceStatus.ABSENT:
            assert attendance.hours == 0
        else:
            assert 0 < attendance.hours <= attendance.activity.hours


def test_a_few_completed_shadowing_placements_at_the_hospital_units(demo: Network) -> None:
    placements = list(Shadowing.objects.filter(network=demo).select_related("host", "person__workplace"))
    assert 3 <= len(placements) <= 6
    for placement in placements:
        assert placement.status == ShadowingStatus.DONE
        assert placement.host.in_scope
        assert Decimal(1) <= placement.days <= Decimal(3)
        assert placement.person.workplace is not None
        assert placement.person.workplace.municipality_id is not None
        assert placement.ends_on >= placement.starts_on
    assert len({p.person_id for p in placements}) == len(placements)


def test_loading_the_demo_again_changes_nothing(demo: Network) -> None:
    counts = (Activity.objects.count(), Attendance.objects.count(), Shadowing.objects.count())
    before = fingerprint(demo)
    call_command("load_demo", stdout=StringIO())
    assert (Activity.objects.count(), Attendance.objects.count(), Shadowing.objects.count()) == counts
    assert fingerprint(demo) == before


def test_the_attendance_is_the_same_every_time_it_is_made(demo: Network) -> None:
    before = fingerprint(demo)
    Attendance.objects.filter(activity__network=demo).delete()
    Shadowing.objects.filter(network=demo).delete()
    Activity.objects.filter(network=demo).delete()
    load_demo_activities(demo)
    assert fingerprint(demo) == before
