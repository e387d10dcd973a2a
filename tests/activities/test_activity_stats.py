"""Activity numbers for a year (activities/stats.py) and `manage.py activity_stats` (docs/commands.md)."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Shadowing,
    ShadowingStatus,
    Theme,
)
from fagnett.activities.stats import activity_stats, json_number
from fagnett.networks.models import LocalChapter, Network, Person, Role, ServiceType, Workplace
from fagnett.places.models import Municipality
from tests.conftest import add_member
from tests.helpers import count_queries

ZERO = {"count": 0, "hours": 0, "participants": 0, "participant_hours": 0, "other_participants": 0}


def person(network: Network, email: str, chapter: LocalChapter | None = None) -> Person:
    return add_member(network, None, email, Role.RESOURCE_PERSON, dt.date(2023, 1, 1), chapter=chapter).person


def activity(
    network: Network,
    title: str,
    start: dt.date,
    hours: str,
    kind: str = ActivityKind.GATHERING,
    *,
    end: dt.date | None = None,
    chapter: LocalChapter | None = None,
    others: int = 0,
    themes: tuple[str, ...] = (),
) -> Activity:
    created = Activity.objects.create(
        network=network,
        chapter=chapter,
        kind=kind,
        title=title,
        starts_on=start,
        ends_on=end or start,
        hours=Decimal(hours),
        other_participants=others,
    )
    created.themes.set(Theme.objects.get_or_create(network=network, name=name)[0] for name in themes)
    return created


def attend(target: Activity, who: Person, hours: str, status: str = AttendanceStatus.ATTENDED) -> None:
    Attendance.objects.create(activity=target, person=who, status=status, hours=Decimal(hours))


def workplace(network: Network, name: str, code: str, number: str) -> Workplace:
    return Workplace.objects.create(
        network=network,
        name=name,
        service_type=ServiceType.objects.get(code=code, network=None),
        municipality=Municipality.objects.get(number=number),
    )


def shadow(
    who: Person, host: Workplace, start: dt.date, days: str, status: str = ShadowingStatus.DONE
) -> None:
    Shadowing.objects.create(
        network=who.network,
        person=who,
        host=host,
        starts_on=start,
        ends_on=start + dt.timedelta(days=2),
        days=Decimal(days),
        status=status,
    )


@pytest.fixture
def year_of_activities(network: Network, chapter: LocalChapter) -> dict[str, Any]:
    """2025 in a small network: two gatherings (one the Stavanger chapter's), a study day with 58 others,
    an activity of 2024 that runs into 2025, placements of job shadowing in and around the year."""
    rita = person(network, "rita@example.no")
    stina = person(network, "stina@example.no", chapter)
    ola = person(network, "ola@example.no")
    stina.workplace = workplace(network, "Hjemmetjenesten Sandnes", ServiceType.HOME_CARE, "1108")
    stina.save(update_fields=["workplace"])

    spring = activity(
        network, "Smertelindring", dt.date(2025, 6, 11), "6", others=3, themes=("Smertelindring", "pårørende")
    )
    attend(spring, rita, "6")
    attend(spring, stina, "3.5")  # left at lunch
    attend(spring, ola, "0", AttendanceStatus.ABSENT)
    autumn = activity(network, "Lokal samling", dt.date(2025, 9, 17), "3", chapter=chapter, themes=("Sorg",))
    attend(autumn, stina, "3")
    attend(autumn, rita, "3")
    activity(
        network,
        "Fagdag for barnehager og skoler",
        dt.date(2025, 10, 20),
        "6.5",
        ActivityKind.STUDY_DAY,
        others=58,
    )
    new_year = activity(
        network, "Nyttårskurs", dt.date(2024, 12, 30), "12", ActivityKind.COURSE, end=dt.date(2025, 1, 2)
    )
    attend(new_year, rita, "12")

    unit = workplace(network, "Barneavdelingen SUS", ServiceType.HOSPITAL_UNIT, "1103")
    hospice = workplace(network, "Hospice Stavanger", "annet", "1103")
    shadow(stina, unit, dt.date(2025, 3, 4), "1.5")
    shadow(rita, hospice, dt.date(2025, 5, 5), "2", ShadowingStatus.PLANNED)
    shadow(rita, unit, dt.date(2025, 11, 3), "3", ShadowingStatus.CANCELLED)
    shadow(ola, unit, dt.date(2024, 12, 30), "1")
    return {"rita": rita, "stina": stina}


def test_the_numbers_of_a_year(network: Network, year_of_activities: dict[str, Any]) -> None:
    result = activity_stats(network, 2025).as_json()
    assert result["kinds"]["nettverkssamling"] == {
        "count": 2,
        "hours": 9,
        "participants": 2,  # Rita and Stina; Ola was absent
        "participant_hours": 15.5,  # 6 + 3.5 + 3 + 3
        "other_participants": 3,
    }
    assert result["kinds"]["fagdag"] == {
        "count": 1,
        "hours": 6.5,
        "participants": 0,
        "participant_hours": 0,
        "other_participants": 58,
    }
    # The course started in 2024: it belongs to 2024, even though it ended in 2025.
    assert result["kinds"]["kurs"] == ZERO
    assert list(result["kinds"]) == list(ActivityKind.values)
    assert result["activities"] == [
        {
            "start": "2025-06-11",
            "kind": "nettverkssamling",
            "title": "Smertelindring",
            "themes": ["pårørende", "Smertelindring"],
            "hours": 6,
            "participants": 2,
            "other_participants": 3,
        },
        {
            "start": "2025-09-17",
            "kind": "nettverkssamling",
            "title": "Lokal samling",
            "themes": ["Sorg"],
            "hours": 3,
            "participants": 2,
            "other_participants": 0,
        },
        {
            "start": "2025-10-20",
            "kind": "fagdag",
            "title": "Fagdag for barnehager og skoler",
            "themes": [],
            "hours": 6.5,
            "participants": 0,
            "other_participants": 58,
        },
    ]
    assert result["shadowing"] == {
        "count": 2,  # the cancelled placement and the one of 2024 are left out
        "days": 3.5,
        "persons": 2,
        "placements": [
            {
                "email": "stina@example.no",
                "from_municipality": "Sandnes",
                "host": "Barneavdelingen SUS",
                "days": 1.5,
            },
            {"email": "rita@example.no", "from_municipality": None, "host": "Hospice Stavanger", "days": 2},
        ],
    }


def test_the_previous_year_has_its_own_activities(
    network: Network, year_of_activities: dict[str, Any]
) -> None:
    result = activity_stats(network, 2024).as_json()
    assert result["kinds"]["kurs"] == {
        "count": 1,
        "hours": 12,
        "participants": 1,
        "participant_hours": 12,
        "other_participants": 0,
    }
    assert [line["title"] for line in result["activities"]] == ["Nyttårskurs"]
    assert result["shadowing"]["count"] == 1


def test_a_chapter_counts_its_activities_and_its_members_shadowing(
    network: Network, chapter: LocalChapter, year_of_activities: dict[str, Any]
) -> None:
    result = activity_stats(network, 2025, chapter).as_json()
    assert result["kinds"]["nettverkssamling"] == {
        "count": 1,
        "hours": 3,
        "participants": 2,
        "participant_hours": 6,
        "other_participants": 0,
    }
    assert result["kinds"]["fagdag"] == ZERO
    assert [line["title"] for line in result["activities"]] == ["Lokal samling"]
    assert result["shadowing"] == {
        "count": 1,
        "days": 1.5,
        "persons": 1,
        "placements": [
            {
                "email": "stina@example.no",
                "from_municipality": "Sandnes",
                "host": "Barneavdelingen SUS",
                "days": 1.5,
            }
        ],
    }


def test_a_person_is_counted_once_per_kind_but_in_every_activity(network: Network) -> None:
    rita = person(network, "rita@example.no")
    for day in (3, 10):
        attend(
            activity(network, f"Webinar {day}", dt.date(2025, 2, day), "1.25", ActivityKind.WEBINAR),
            rita,
            "1.25",
        )
    result = activity_stats(network, 2025).as_json()
    assert result["kinds"]["webinar"] == {
        "count": 2,
        "hours": 2.5,
        "participants": 1,
        "participant_hours": 2.5,
        "other_participants": 0,
    }
    assert [line["participants"] for line in result["activities"]] == [1, 1]


def test_an_empty_year_has_zeros_for_every_kind(network: Network) -> None:
    result = activity_stats(network, 2025).as_json()
    assert result == {
        "kinds": {code: ZERO for code in ActivityKind.values},
        "activities": [],
        "shadowing": {"count": 0, "days": 0, "persons": 0, "placements": []},
    }


def test_nothing_of_another_network_is_counted(
    network: Network, other_network: Network, year_of_activities: dict[str, Any]
) -> None:
    theirs = activity(other_network, "Bergen", dt.date(2025, 6, 11), "6")
    attend(theirs, person(other_network, "kari@example.no"), "6")
    assert activity_stats(network, 2025).as_json()["kinds"]["nettverkssamling"]["count"] == 2
    assert activity_stats(other_network, 2025).as_json()["kinds"]["nettverkssamling"]["participants"] == 1


def test_the_numbers_take_a_fixed_number_of_queries(network: Network, chapter: LocalChapter) -> None:
    def queries() -> int:
        return count_queries(lambda: activity_stats(network, 2025, chapter).as_json())

    host = workplace(network, "Vert", "annet", "1103")
    few = queries()
    for number in range(5):
        member = person(network, f"p{number}@example.no", chapter)
        held = activity(
            network,
            f"Samling {number}",
            dt.date(2025, 3, number + 1),
            "2",
            chapter=chapter,
            themes=(f"T{number}",),
        )
        attend(held, member, "2")
        shadow(member, host, dt.date(2025, 4, number + 1), "1")
    assert queries() == few == 4


def test_whole_numbers_are_json_integers_and_others_have_a_fraction() -> None:
    assert (json_number(Decimal("6.00")), json_number(Decimal("3.50")), json_number(Decimal(0))) == (
        6,
        3.5,
        0,
    )
    assert isinstance(json_number(Decimal("6.00")), int)


# --- The command ------------------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("activity_stats", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_numbers_as_json(network: Network, year_of_activities: dict[str, Any]) -> None:
    out = run("--network", "barnepalliasjon", "--year", "2025", "--format", "json")
    assert json.loads(out) == activity_stats(network, 2025).as_json()
    assert '"hours": 9,' in out and '"participant_hours": 15.5,' in out
    chapter_out = run("--network", "barnepalliasjon", "--year", "2025", "--chapter", "stavanger")
    assert json.loads(chapter_out)["shadowing"]["count"] == 1


def test_the_command_prints_text_for_people(network: Network, year_of_activities: dict[str, Any]) -> None:
    lines = run("--network", "barnepalliasjon", "--year", "2025", "--format", "text").splitlines()
    assert lines == [
        "nettverkssamling: 2 activities, 9 hours, 2 participants, 15.5 participant hours, 3 others",
        "fagdag: 1 activities, 6.5 hours, 0 participants, 0 participant hours, 58 others",
        "Job shadowing: 2 placements, 3.5 days, 2 persons",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--network", "finnes-ikke", "--year", "2025"], "No network with the short name 'finnes-ikke'."),
        (
            ["--network", "barnepalliasjon", "--year", "2025", "--chapter", "bergen"],
            "The network 'barnepalliasjon' has no local chapter 'bergen'.",
        ),
        (
            ["--network", "barnepalliasjon", "--year", "20250"],
            "--year must be between 1901 and 9998, not 20250.",
        ),
    ],
)
def test_the_command_exits_1_on_bad_input(network: Network, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message) as caught:
        run(*args)
    assert caught.value.returncode == 1
