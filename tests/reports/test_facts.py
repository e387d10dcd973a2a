"""The annual report's facts (reports/facts.py): every number as of 31 December, on data where the answer is
known, and a number of queries that does not grow with the data."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import translation

from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Shadowing,
    ShadowingStatus,
    Theme,
)
from fagnett.competence.engine import network_status
from fagnett.competence.queries import Share
from fagnett.evaluations.models import Answer, QuestionKind
from fagnett.evaluations.results import evaluation_in_network, evaluation_results
from fagnett.networks.models import (
    Group,
    GroupKind,
    GroupMember,
    LocalChapter,
    Membership,
    Network,
    Person,
    Role,
    ServiceType,
    Workplace,
)
from fagnett.networks.stats import membership_stats
from fagnett.places.models import Municipality
from fagnett.plans.annual_queries import economy_year_facts, priorities_year_facts
from fagnett.plans.dissemination_queries import dissemination_year_facts
from fagnett.plans.goal_queries import goals_year_facts
from fagnett.plans.hub_queries import partners_year_facts
from fagnett.plans.indicator_values import indicators_year_facts
from fagnett.reports.facts import SCHEMA_VERSION, annual_facts
from tests.evaluations.test_results import attach, attend, make_activity, make_form, respond
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

YEAR = 2024
D = dt.date


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 2, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


# Builders ------------------------------------------------------------------------------------------------


def municipality(number: str) -> Municipality:
    return Municipality.objects.get(number=number)


def workplace(network: Network, service_type: str, number: str, name: str = "") -> Workplace:
    place = municipality(number)
    found, _ = Workplace.objects.get_or_create(
        network=network,
        name=name or f"{service_type} {place.name}",
        service_type=ServiceType.objects.get(code=service_type, network=None),
        municipality=place,
    )
    return found


def person(network: Network, email: str, place: Workplace | None = None) -> Person:
    found, _ = Person.objects.get_or_create(
        network=network,
        email=email,
        defaults={"first_name": email.split("@")[0], "last_name": "Test", "workplace": place},
    )
    return found


def member(
    network: Network,
    email: str,
    start: dt.date,
    end: dt.date | None = None,
    *,
    chapter: LocalChapter | None = None,
    role: str = Role.RESOURCE_PERSON,
    place: Workplace | None = None,
) -> Membership:
    return Membership.objects.create(
        person=person(network, email, place),
        network=network,
        role=Role.objects.get(code=role, network=None),
        start=start,
        end=end,
        chapter=chapter,
    )


def activity(
    network: Network,
    kind: str,
    day: dt.date,
    hours: str = "6",
    *,
    title: str = "",
    others: int = 0,
    themes: tuple[str, ...] = (),
    chapter: LocalChapter | None = None,
) -> Activity:
    created = Activity.objects.create(
        network=network,
        chapter=chapter,
        kind=kind,
        title=title or f"{kind} {day.isoformat()}",
        starts_on=day,
        ends_on=day,
        hours=Decimal(hours),
        other_participants=others,
    )
    for name in themes:
        created.themes.add(Theme.objects.get_or_create(network=network, name=name)[0])
    return created


def present(an_activity: Activity, *persons: Person, status: str = AttendanceStatus.ATTENDED) -> None:
    for one in persons:
        Attendance.objects.create(activity=an_activity, person=one, status=status, hours=an_activity.hours)


def shadow(
    network: Network,
    who: Person,
    host: Workplace,
    day: dt.date,
    days: str,
    status: str = ShadowingStatus.DONE,
) -> Shadowing:
    return Shadowing.objects.create(
        network=network, person=who, host=host, starts_on=day, ends_on=day, days=Decimal(days), status=status
    )


def nb_sentence(singular: str, plural: str, n: int, **params: object) -> str:
    with translation.override("nb"):
        return translation.ngettext(singular, plural, n) % params


def nb_text(message: str, **params: object) -> str:
    with translation.override("nb"):
        return translation.gettext(message) % params


# Members -------------------------------------------------------------------------------------------------


@pytest.fixture
def roster(network: Network) -> LocalChapter:
    """Memberships whose 2024 numbers are known (see the comments)."""
    north = LocalChapter.objects.create(network=network, name="Nord", slug="nord")
    member(network, "a@example.no", D(2022, 5, 1))  # a member all along
    member(network, "b@example.no", D(2024, 3, 1))  # joined 2024
    member(network, "c@example.no", D(2021, 1, 1), D(2024, 6, 30))  # left mid-2024
    member(network, "d@example.no", D(2021, 1, 1), D(2024, 12, 31))  # a member at year end, and left
    member(network, "e@example.no", D(2021, 1, 1), D(2023, 12, 31))  # left in 2023, not 2024
    # f moved into the chapter: neither a leaving nor a joining of the network.
    member(network, "f@example.no", D(2021, 1, 1), D(2024, 4, 30))
    member(network, "f@example.no", D(2024, 5, 1), chapter=north)
    member(network, "g@example.no", D(2020, 1, 1), role=Role.COORDINATOR)  # not a resource person
    member(network, "h@example.no", D(2025, 1, 1))  # joins after the year
    return north


def test_members_are_resource_persons_at_31_december_with_joined_and_left_as_membership_stats_counts(
    network: Network, roster: LocalChapter
) -> None:
    members = annual_facts(network, YEAR)["members"]

    assert members["at_year_end"] == 4  # a, b, d, f
    assert members["at_previous_year_end"] == 5  # a, c, d, e, f
    assert members["change"] == -1
    assert (members["joined"], members["left"]) == (1, 2)  # b; c and d — f's move is neither
    stats = membership_stats(network, YEAR)
    assert (members["at_year_end"], members["at_previous_year_end"], members["joined"], members["left"]) == (
        stats.members_at_year_end,
        stats.members_at_previous_year_end,
        stats.joined,
        stats.left,
    )


def test_by_year_counts_the_members_at_the_last_five_year_ends_oldest_first(
    network: Network, roster: LocalChapter
) -> None:
    by_year = annual_facts(network, YEAR)["members"]["by_year"]

    assert by_year == [
        {"year": 2020, "members": 0},
        {"year": 2021, "members": 4},  # c, d, e, f
        {"year": 2022, "members": 5},  # + a
        {"year": 2023, "members": 5},
        {"year": 2024, "members": 4},
    ]


# Coverage ------------------------------------------------------------------------------------------------


def test_coverage_states_the_templates_sentence_when_every_municipality_is_covered(network: Network) -> None:
    for number in ("1103", "1108"):
        for code in (ServiceType.HOME_CARE, ServiceType.NURSING_HOME):
            member(
                network, f"{code}.{number}@example.no", D(2023, 1, 1), place=workplace(network, code, number)
            )

    coverage = annual_facts(network, YEAR)["coverage"]

    assert coverage["statement"] == (
        "Alle kommuner i området har minst én ressursperson fra hjemmetjenesten og én fra sykehjemmet."
    )
    assert (coverage["municipalities_covered"], coverage["municipalities_total"]) == (2, 2)
    assert coverage["gaps"] == []
    assert coverage["municipalities"] == [
        {"number": "1108", "name": "Sandnes", "covered": True, "persons": 2},
        {"number": "1103", "name": "Stavanger", "covered": True, "persons": 2},
    ]


def test_coverage_lists_the_gaps_by_name_as_of_31_december(network: Network) -> None:
    home_sandnes = workplace(network, ServiceType.HOME_CARE, "1108")
    nursing_sandnes = workplace(network, ServiceType.NURSING_HOME, "1108")
    for code in (ServiceType.HOME_CARE, ServiceType.NURSING_HOME):
        member(network, f"{code}@example.no", D(2023, 1, 1), place=workplace(network, code, "1103"))
    member(network, "home@example.no", D(2023, 1, 1), place=home_sandnes)
    member(network, "ended@example.no", D(2023, 1, 1), D(2024, 12, 30), place=nursing_sandnes)
    member(network, "later@example.no", D(2025, 1, 1), place=nursing_sandnes)

    coverage = annual_facts(network, YEAR)["coverage"]

    assert (coverage["municipalities_covered"], coverage["municipalities_total"]) == (1, 2)
    assert coverage["gaps"] == ["Sandnes: mangler sykehjem"]
    assert coverage["statement"].startswith("1 av 2 kommuner i området er dekket.")
    assert "Sandnes: mangler sykehjem." in coverage["statement"]


# Activities ----------------------------------------------------------------------------------------------


def test_intro_courses_and_study_days_give_date_title_hours_and_attended_participants(
    network: Network,
) -> None:
    ann, bo, cy = (person(network, f"{name}@example.no") for name in ("ann", "bo", "cy"))
    intro = activity(network, ActivityKind.INTRO_COURSE, D(2024, 2, 1), "6.5", title="Intro", others=1)
    present(intro, ann, bo)
    present(intro, cy, status=AttendanceStatus.ABSENT)
    study = activity(network, ActivityKind.STUDY_DAY, D(2024, 11, 5), title="Fagdag", others=50)
    present(study, ann)
    activity(network, ActivityKind.INTRO_COURSE, D(2023, 12, 31), title="Last year")
    activity(network, ActivityKind.STUDY_DAY, D(2025, 1, 1), title="Next year")

    facts = annual_facts(network, YEAR)

    assert facts["intro_courses"] == [
        {"date": "2024-02-01", "title": "Intro", "hours": 6.5, "participants": 2, "other_participants": 1}
    ]
    assert facts["study_days"] == [
        {"date": "2024-11-05", "title": "Fagdag", "hours": 6, "participants": 1, "other_participants": 50}
    ]


def test_gatherings_of_equal_length_read_as_x_gatherings_of_y_hours_each(network: Network) -> None:
    ann, bo = person(network, "ann@example.no"), person(network, "bo@example.no")
    first = activity(network, ActivityKind.GATHERING, D(2024, 3, 1), themes=("Sorg", "Smerte"))
    second = activity(network, ActivityKind.GATHERING, D(2024, 9, 1), themes=("Smerte",), others=3)
    activity(network, ActivityKind.GATHERING, D(2024, 11, 1), themes=("angst",))
    present(first, ann, bo)
    present(second, ann)

    gatherings = annual_facts(network, YEAR)["gatherings"]

    assert (gatherings["count"], gatherings["hours"]) == (3, 18)
    assert gatherings["participants"] == 3  # 2 + 1 + 0: per gathering, added up
    assert gatherings["other_participants"] == 3
    assert gatherings["themes"] == ["angst", "Smerte", "Sorg"]
    expected = nb_text(
        "%(gatherings)s of %(hours)s each",
        gatherings=nb_sentence("%(count)s gathering", "%(count)s gatherings", 3, count=3),
        hours=nb_sentence("%(hours)s hour", "%(hours)s hours", 6, hours="6"),
    )
    assert gatherings["sentence"] == expected


def test_gatherings_of_different_lengths_give_the_hours_in_all(network: Network) -> None:
    activity(network, ActivityKind.GATHERING, D(2024, 3, 1), "6")
    activity(network, ActivityKind.GATHERING, D(2024, 9, 1), "1.5")

    gatherings = annual_facts(network, YEAR)["gatherings"]

    assert gatherings["hours"] == 7.5
    expected = nb_text(
        "%(gatherings)s, %(hours)s in all",
        gatherings=nb_sentence("%(count)s gathering", "%(count)s gatherings", 2, count=2),
        hours=nb_sentence("%(hours)s hour", "%(hours)s hours", 2, hours="7,5"),
    )
    assert gatherings["sentence"] == expected


def test_hours_by_kind_sums_each_kind_with_activities_in_the_year_and_themes_are_all_the_years(
    network: Network,
) -> None:
    ann, bo = person(network, "ann@example.no"), person(network, "bo@example.no")
    gathering = activity(network, ActivityKind.GATHERING, D(2024, 3, 1), "6", themes=("Sorg",))
    again = activity(network, ActivityKind.GATHERING, D(2024, 9, 1), "4")
    present(gathering, ann, bo)
    present(again, ann)
    activity(network, ActivityKind.GUIDANCE, D(2024, 5, 1), "1.5", themes=("Etikk",), others=2)
    activity(network, ActivityKind.TEACHING, D(2023, 5, 1), "3", themes=("Gammelt",))

    facts = annual_facts(network, YEAR)

    assert facts["hours_by_kind"] == [
        {
            "kind": "nettverkssamling",
            "label": "Nettverkssamling",
            "activities": 2,
            "hours": 10,
            "participants": 2,  # distinct persons
            "other_participants": 0,
        },
        {
            "kind": "veiledning",
            "label": nb_text(str(ActivityKind.GUIDANCE.label)),
            "activities": 1,
            "hours": 1.5,
            "participants": 0,
            "other_participants": 2,
        },
    ]
    assert facts["themes"] == ["Etikk", "Sorg"]


# Job shadowing -------------------------------------------------------------------------------------------


def test_shadowing_groups_completed_placements_by_municipality_and_host(network: Network) -> None:
    host = workplace(network, ServiceType.HOSPITAL_UNIT, "1103", "Barneavdelingen")
    other_host = workplace(network, ServiceType.HOSPITAL_UNIT, "1103", "Nyfødtintensiv")
    stavanger = workplace(network, ServiceType.HOME_CARE, "1103")
    sandnes = workplace(network, ServiceType.HOME_CARE, "1108")
    ann, bo = person(network, "ann@example.no", stavanger), person(network, "bo@example.no", stavanger)
    cy = person(network, "cy@example.no", sandnes)
    shadow(network, ann, host, D(2024, 2, 1), "2")
    shadow(network, bo, host, D(2024, 3, 1), "1")
    shadow(network, ann, other_host, D(2024, 4, 1), "0.5")
    shadow(network, cy, host, D(2024, 5, 1), "1")
    shadow(network, cy, host, D(2024, 6, 1), "3", ShadowingStatus.PLANNED)
    shadow(network, cy, host, D(2024, 7, 1), "3", ShadowingStatus.CANCELLED)
    shadow(network, cy, host, D(2023, 12, 31), "3")

    shadowing = annual_facts(network, YEAR)["shadowing"]

    assert [(s["from_municipality"], s["host"], s["persons"], s["days"]) for s in shadowing] == [
        ("Sandnes", "Barneavdelingen", 1, 1),
        ("Stavanger", "Barneavdelingen", 2, 3),
        ("Stavanger", "Nyfødtintensiv", 1, 0.5),
    ]
    singular = "%(persons)s from %(municipality)s municipality shadowed at %(host)s for %(days)s day"
    plural = "%(persons)s from %(municipality)s municipality shadowed at %(host)s for %(days)s days"
    assert shadowing[0]["sentence"] == nb_sentence(
        singular, plural, 1, persons=1, municipality="Sandnes", host="Barneavdelingen", days="1"
    )
    assert shadowing[1]["sentence"] == nb_sentence(
        singular, plural, 3, persons=2, municipality="Stavanger", host="Barneavdelingen", days="3"
    )
    assert shadowing[2]["sentence"] == nb_sentence(
        singular, plural, 2, persons=1, municipality="Stavanger", host="Nyfødtintensiv", days="0,5"
    )


# Groups, competence, plans, network --------------------------------------------------------------------


def test_groups_list_their_members_in_order_with_mandate_and_meetings(network: Network) -> None:
    group = Group.objects.create(
        network=network, kind=GroupKind.STEERING, name="Styringsgruppen", mandate="Styre", meetings_per_year=4
    )
    GroupMember.objects.create(
        group=group, name="Bo", title="Leder", workplace="SUS", function="Leder", position=2
    )
    GroupMember.objects.create(group=group, name="Ann", title="Rådgiver", workplace="Sandnes", position=1)

    groups = annual_facts(network, YEAR)["groups"]

    assert groups == [
        {
            "kind": "styringsgruppe",
            "kind_label": "Styringsgruppe",
            "name": "Styringsgruppen",
            "mandate": "Styre",
            "meetings_per_year": 4,
            "members": [
                {"name": "Ann", "title": "Rådgiver", "workplace": "Sandnes", "function": ""},
                {"name": "Bo", "title": "Leder", "workplace": "SUS", "function": "Leder"},
            ],
        }
    ]


def test_competence_gives_the_governing_plan_and_each_requirements_share_met(network: Network) -> None:
    ann = member(network, "ann@example.no", D(2024, 1, 1)).person
    bo = member(network, "bo@example.no", D(2024, 1, 1)).person
    present(activity(network, ActivityKind.INTRO_COURSE, D(2024, 2, 1), "6"), ann)
    present(
        activity(network, ActivityKind.INTRO_COURSE, D(2024, 3, 1), "6"), bo, status=AttendanceStatus.ABSENT
    )

    competence = annual_facts(network, YEAR)["competence"]

    status = network_status(network, YEAR, today=D(2024, 12, 31))
    assert status.plan is not None
    assert competence["plan"] == status.plan.name
    intro = next(row for row in competence["requirements"] if row["code"] == "introduksjonskurs")
    assert (intro["applicable"], intro["met"], intro["percent"]) == (2, 1, 50)
    assert competence["requirements"] == [
        {
            "requirement": row.name,
            "code": row.requirement,
            "applicable": row.applicable,
            "met": row.met,
            "percent": Share(row.applicable, row.met).percent,
        }
        for row in status.summary
    ]


def test_goals_indicators_dissemination_priorities_economy_and_partners_are_the_plans_facts(
    network: Network,
) -> None:
    facts = annual_facts(network, YEAR)

    assert facts["goals"] == goals_year_facts(network, YEAR)
    assert facts["indicators"] == indicators_year_facts(network, YEAR)
    assert facts["dissemination"] == dissemination_year_facts(network, YEAR)
    assert facts["priority_areas"] == priorities_year_facts(network, YEAR)
    assert facts["economy"] == economy_year_facts(network, YEAR)
    assert facts["partners"] == partners_year_facts(network, YEAR)


def test_the_network_block_carries_the_networks_fields_and_the_date(network: Network) -> None:
    network.established_year = 2019
    network.initiative = "SUS"
    network.anchoring = "Samarbeidsavtale"
    network.anchoring_reference = "Delavtale 11"
    network.owner_organisation = "Stavanger kommune"
    network.purpose = "Spre kompetanse"
    network.save()

    facts = annual_facts(network, YEAR)

    assert (facts["schema"], facts["year"], facts["as_of"]) == (SCHEMA_VERSION, 2024, "2024-12-31")
    assert facts["network"] == {
        "name": network.name,
        "slug": "barnepalliasjon",
        "established_year": 2019,
        "initiative": "SUS",
        "anchoring": "Samarbeidsavtale",
        "anchoring_reference": "Delavtale 11",
        "owner_organisation": "Stavanger kommune",
        "purpose": "Spre kompetanse",
    }


# Evaluations ---------------------------------------------------------------------------------------------


def evaluated(network: Network, day: dt.date, *, min_shown: int = 3, title: str = "Fagdag") -> Any:
    return attach(make_form(network, min_shown=min_shown), make_activity(network, title=title, day=day))


def test_evaluations_give_responses_attendees_and_the_results_pages_scale_means(network: Network) -> None:
    built = evaluated(network, D(2024, 3, 14))
    for value in (3, 3, 4, 3):  # mean 3.25 → 3.3, half up as on the page
        respond(built, scale=value, day=D(2024, 3, 14))
    attend(built.evaluation.activity, 6)
    attend(built.evaluation.activity, 2, AttendanceStatus.ABSENT)
    evaluated(network, D(2023, 3, 14), title="Last year")

    (evaluation,) = annual_facts(network, YEAR)["evaluations"]

    page = evaluation_results(evaluation_in_network(network, built.evaluation.pk))
    scale = next(question for question in page.questions if question.kind == QuestionKind.SCALE)
    assert evaluation == {
        "activity": "Fagdag",
        "date": "2024-03-14",
        "responses": 4,
        "attendees": 6,
        "suppressed": False,
        "questions": [{"text": "Faglig utbytte", "mean": 3.3, "responses": 4}],
        "quotes": [],
    }
    assert scale.mean == Decimal("3.3") and scale.answered == 4


def test_an_evaluation_below_its_minimum_gives_no_means_and_no_quotes(network: Network) -> None:
    built = evaluated(network, D(2024, 3, 14), min_shown=5)
    chosen = [respond(built, scale=5, text=f"Svar {n}", day=D(2024, 3, 14)) for n in range(4)]
    quote_ids = list(
        Answer.objects.filter(response__in=chosen, question=built.text).values_list("pk", flat=True)
    )

    (evaluation,) = annual_facts(network, YEAR, quote_ids=quote_ids)["evaluations"]

    assert (evaluation["responses"], evaluation["suppressed"]) == (4, True)
    assert evaluation["questions"] == [{"text": "Faglig utbytte", "mean": None, "responses": None}]
    assert evaluation["quotes"] == []


def test_quotes_are_only_the_chosen_free_text_answers_of_the_networks_evaluations_of_the_year(
    network: Network, other_network: Network
) -> None:
    built = evaluated(network, D(2024, 3, 14))
    texts = ["Gode foredrag", "Nyttig", "Vil ha mer"]
    responses = [respond(built, scale=4, text=text, day=D(2024, 3, 14)) for text in texts]
    answers = {a.text: a.pk for a in Answer.objects.filter(response__in=responses, question=built.text)}
    scale_answer = Answer.objects.filter(response=responses[0], question=built.scale).get().pk
    last_year = evaluated(network, D(2023, 3, 14), title="I fjor")
    old = [respond(last_year, scale=4, text="Gammelt", day=D(2023, 3, 14)) for _ in range(3)]
    elsewhere = evaluated(other_network, D(2024, 3, 14), title="Andre")
    foreign = [respond(elsewhere, scale=4, text="Fremmed", day=D(2024, 3, 14)) for _ in range(3)]
    quote_ids = [
        answers["Vil ha mer"],
        answers["Gode foredrag"],
        scale_answer,
        Answer.objects.filter(response=old[0], question=last_year.text).get().pk,
        Answer.objects.filter(response=foreign[0], question=elsewhere.text).get().pk,
    ]

    (evaluation,) = annual_facts(network, YEAR, quote_ids=quote_ids)["evaluations"]

    assert evaluation["quotes"] == ["Vil ha mer", "Gode foredrag"]  # in the order chosen, nothing else


# Chapters ------------------------------------------------------------------------------------------------


def test_each_chapter_has_its_own_members_coverage_gatherings_themes_and_shadowing(
    network: Network, chapter: LocalChapter
) -> None:
    home = workplace(network, ServiceType.HOME_CARE, "1103")
    nursing = workplace(network, ServiceType.NURSING_HOME, "1103")
    host = workplace(network, ServiceType.HOSPITAL_UNIT, "1103", "Barneavdelingen")
    inside = member(network, "in@example.no", D(2023, 1, 1), chapter=chapter, place=home).person
    member(network, "in2@example.no", D(2024, 6, 1), chapter=chapter, place=nursing)
    outside = member(
        network, "out@example.no", D(2023, 1, 1), place=workplace(network, "sykehjem", "1108")
    ).person
    own = activity(network, ActivityKind.GATHERING, D(2024, 3, 1), "3", themes=("Sorg",), chapter=chapter)
    present(own, inside)
    activity(network, ActivityKind.GATHERING, D(2024, 4, 1), "6", themes=("Smerte",))
    shadow(network, inside, host, D(2024, 2, 1), "2")
    shadow(network, outside, host, D(2024, 2, 1), "1")

    facts = annual_facts(network, YEAR)

    (jaeren,) = facts["chapters"]
    assert (jaeren["name"], jaeren["slug"]) == ("Stavanger", "stavanger")
    stats = membership_stats(network, YEAR, chapter)
    members = jaeren["members"]
    assert (members["at_year_end"], members["at_previous_year_end"], members["joined"], members["left"]) == (
        stats.members_at_year_end,
        stats.members_at_previous_year_end,
        stats.joined,
        stats.left,
    )
    assert (members["at_year_end"], members["change"]) == (2, 1)
    assert [row["members"] for row in members["by_year"]] == [0, 0, 0, 1, 2]
    assert jaeren["coverage"]["statement"] == (
        "Alle kommuner i området har minst én ressursperson fra hjemmetjenesten og én fra sykehjemmet."
    )
    assert (jaeren["coverage"]["municipalities_covered"], jaeren["coverage"]["municipalities_total"]) == (
        1,
        1,
    )
    assert (jaeren["gatherings"]["count"], jaeren["gatherings"]["hours"]) == (1, 3)
    assert jaeren["gatherings"]["participants"] == 1
    assert jaeren["themes"] == ["Sorg"]
    assert [(s["from_municipality"], s["days"]) for s in jaeren["shadowing"]] == [("Stavanger", 2)]
    assert jaeren["priority_areas"] == facts["priority_areas"]
    # The network's own numbers include the chapter's.
    assert facts["gatherings"]["count"] == 2
    assert facts["members"]["at_year_end"] == 3


# JSON, language, queries ---------------------------------------------------------------------------------


def test_the_facts_survive_a_json_round_trip_unchanged(network: Network, roster: LocalChapter) -> None:
    activity(network, ActivityKind.GATHERING, D(2024, 3, 1), "1.5", themes=("Sorg",), chapter=roster)

    facts = annual_facts(network, YEAR)

    # A published report is its facts frozen as JSON; the live draft must compare equal to it.
    assert json.loads(json.dumps(facts)) == facts


def test_the_facts_are_written_in_norwegian_whatever_the_active_language(network: Network) -> None:
    activity(network, ActivityKind.GATHERING, D(2024, 3, 1), "6")

    with translation.override("en"):
        facts = annual_facts(network, YEAR)

    assert facts["hours_by_kind"][0]["label"] == "Nettverkssamling"
    assert facts["coverage"]["statement"].startswith("0 av 2 kommuner i området er dekket.")


def build(network: Network, *, persons: int, years: int, chapters: int) -> None:
    """A history of `years` years up to 2024: `persons` resource persons spread over the chapters, each
    attending every activity and shadowing once a year, with an evaluation a year."""
    areas = list(Municipality.objects.filter(number__in=["1103", "1108", "1124"]))
    made = [
        LocalChapter.objects.create(network=network, name=f"Lag {n}", slug=f"lag-{n}")
        for n in range(chapters)
    ]
    for index, chapter in enumerate(made):
        chapter.municipalities.set([areas[index % len(areas)]])
    host = workplace(network, ServiceType.HOSPITAL_UNIT, "1103", "Barneavdelingen")
    home = workplace(network, ServiceType.HOME_CARE, "1108")
    people = []
    for n in range(persons):
        membership = member(
            network, f"p{n}@example.no", D(YEAR - years + 1, 1, 1), chapter=made[n % chapters], place=home
        )
        people.append(membership.person)
    for year in range(YEAR - years + 1, YEAR + 1):
        for kind in (ActivityKind.GATHERING, ActivityKind.STUDY_DAY, ActivityKind.INTRO_COURSE):
            held = activity(network, kind, D(year, 3, 1), themes=(f"Tema {year}",), chapter=made[0])
            present(held, *people)
        for one in people:
            shadow(network, one, host, D(year, 5, 1), "1")
        built = evaluated(network, D(year, 6, 1), title=f"Evaluert {year}")
        for value in (3, 4, 5):
            respond(built, scale=value, text="Bra", day=D(year, 6, 1))


def test_the_number_of_queries_does_not_grow_with_persons_activities_or_years(
    network: Network, other_network: Network
) -> None:
    build(network, persons=5, years=2, chapters=1)
    build(other_network, persons=50, years=10, chapters=1)

    small = count_queries(lambda: annual_facts(network, YEAR, quote_ids=[1, 2]))
    large = count_queries(lambda: annual_facts(other_network, YEAR, quote_ids=[1, 2]))

    assert small == large


def test_each_chapter_adds_the_same_few_queries(network: Network, other_network: Network) -> None:
    build(network, persons=5, years=2, chapters=1)
    build(other_network, persons=5, years=2, chapters=3)
    third = Network.objects.create(name="Tredje", slug="tredje")
    build(third, persons=5, years=2, chapters=2)

    one = count_queries(lambda: annual_facts(network, YEAR))
    two = count_queries(lambda: annual_facts(third, YEAR))
    three = count_queries(lambda: annual_facts(other_network, YEAR))

    per_chapter = two - one
    # compute_coverage for a chapter reads the rules, the area and the counts; networks.stats one more for
    # joined and left (the default coverage rules, when a network has none of its own, cost one more).
    assert per_chapter <= 5
    assert three - one == 2 * per_chapter
