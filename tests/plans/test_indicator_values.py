"""Values of result indicators: every computed source on known data, entered values, the facts the CLI and
the annual report read, and fixed query counts (plans/indicator_values.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Shadowing,
    ShadowingStatus,
)
from fagnett.networks.models import Membership, Network, Person, Role, ServiceType, Workplace
from fagnett.newsletters.models import Newsletter, NewsletterStatus
from fagnett.places.models import Municipality
from fagnett.plans.indicator_values import (
    computed_value,
    indicator_history,
    indicator_years,
    indicators_year_facts,
    number_text,
    year_rows,
)
from fagnett.plans.models import Indicator, IndicatorPeriod, IndicatorSource, IndicatorValue
from tests.conftest import add_member
from tests.helpers import count_queries


def indicator(network: Network, name: str, source: str, **extra: object) -> Indicator:
    return Indicator.objects.create(network=network, name=name, source=source, **extra)


def person(network: Network, email: str, start: dt.date = dt.date(2020, 1, 1)) -> Person:
    return add_member(network, None, email, Role.RESOURCE_PERSON, start).person


def activity(network: Network, day: dt.date, kind: str = ActivityKind.GATHERING, others: int = 0) -> Activity:
    return Activity.objects.create(
        network=network,
        kind=kind,
        title=f"{kind} {day}",
        starts_on=day,
        ends_on=day,
        other_participants=others,
    )


def attend(target: Activity, persons: list[Person], status: str = AttendanceStatus.ATTENDED) -> None:
    for who in persons:
        Attendance.objects.create(activity=target, person=who, status=status)


def host(network: Network) -> Workplace:
    return Workplace.objects.create(
        network=network,
        name="Sandnes sykehjem",
        service_type=ServiceType.objects.get(code=ServiceType.NURSING_HOME, network=None),
        municipality=Municipality.objects.get(number="1108"),
    )


def shadow(who: Person, where: Workplace, day: dt.date, days: str, status: str) -> None:
    Shadowing.objects.create(
        network=who.network,
        person=who,
        host=where,
        starts_on=day,
        ends_on=day,
        days=Decimal(days),
        status=status,
    )


def value_of(network: Network, target: Indicator, year: int) -> Decimal | None:
    return indicator_years(network, [target], year, year)[target.pk][year].total


@pytest.fixture
def persons(network: Network) -> list[Person]:
    return [person(network, f"p{number}@example.no") for number in range(7)]


def test_it_counts_participants_as_attended_persons_summed_over_activities(
    network: Network, persons: list[Person]
) -> None:
    # Three gatherings with 5, 7 and 0 attendees: 12 participants.
    attend(activity(network, dt.date(2024, 2, 1)), persons[:5])
    attend(activity(network, dt.date(2024, 5, 1)), persons[:7])
    activity(network, dt.date(2024, 9, 1))
    target = indicator(network, "Deltakere", IndicatorSource.PARTICIPANTS)
    assert value_of(network, target, 2024) == 12


def test_it_counts_other_participants_and_leaves_out_the_absent(
    network: Network, persons: list[Person]
) -> None:
    day = activity(network, dt.date(2024, 3, 1), others=4)
    attend(day, persons[:2])
    attend(day, persons[2:5], AttendanceStatus.ABSENT)
    target = indicator(network, "Deltakere", IndicatorSource.PARTICIPANTS)
    assert value_of(network, target, 2024) == 6


def test_it_counts_participants_only_at_activities_of_the_chosen_kinds(
    network: Network, persons: list[Person]
) -> None:
    attend(activity(network, dt.date(2024, 3, 1), ActivityKind.GATHERING), persons[:3])
    attend(activity(network, dt.date(2024, 3, 2), ActivityKind.STUDY_DAY), persons[:4])
    target = indicator(
        network, "Deltakere fagdag", IndicatorSource.PARTICIPANTS, activity_kinds=[ActivityKind.STUDY_DAY]
    )
    assert value_of(network, target, 2024) == 4


def test_it_counts_activities_of_the_chosen_kinds_or_of_every_kind(network: Network) -> None:
    activity(network, dt.date(2024, 1, 10), ActivityKind.GATHERING)
    activity(network, dt.date(2024, 6, 10), ActivityKind.GATHERING)
    activity(network, dt.date(2024, 6, 11), ActivityKind.STUDY_DAY)
    activity(network, dt.date(2023, 12, 31), ActivityKind.GATHERING)
    gatherings = indicator(
        network, "Samlinger", IndicatorSource.ACTIVITIES, activity_kinds=[ActivityKind.GATHERING]
    )
    everything = indicator(network, "Aktiviteter", IndicatorSource.ACTIVITIES)
    assert value_of(network, gatherings, 2024) == 2
    assert value_of(network, everything, 2024) == 3
    assert value_of(network, everything, 2023) == 1


def test_it_counts_guidance_sessions_and_courses(network: Network) -> None:
    activity(network, dt.date(2024, 2, 1), ActivityKind.GUIDANCE)
    activity(network, dt.date(2024, 2, 2), ActivityKind.GUIDANCE)
    activity(network, dt.date(2024, 2, 3), ActivityKind.INTRO_COURSE)
    activity(network, dt.date(2024, 2, 4), ActivityKind.COURSE)
    activity(network, dt.date(2024, 2, 5), ActivityKind.GATHERING)
    guidance = indicator(network, "Veiledninger", IndicatorSource.GUIDANCE)
    courses = indicator(network, "Kurs", IndicatorSource.COURSES)
    assert value_of(network, guidance, 2024) == 2
    assert value_of(network, courses, 2024) == 2


def test_it_puts_an_activity_in_the_quarter_and_month_of_its_start(network: Network) -> None:
    activity(network, dt.date(2024, 3, 31))
    activity(network, dt.date(2024, 4, 1))
    activity(network, dt.date(2024, 4, 30))
    activity(network, dt.date(2024, 12, 31))
    target = indicator(network, "Aktiviteter", IndicatorSource.ACTIVITIES)
    item = indicator_years(network, [target], 2024, 2024)[target.pk][2024]
    assert computed_value(target, item, IndicatorPeriod.QUARTER, 1) == 1
    assert computed_value(target, item, IndicatorPeriod.QUARTER, 2) == 2
    assert computed_value(target, item, IndicatorPeriod.QUARTER, 4) == 1
    assert computed_value(target, item, IndicatorPeriod.MONTH, 3) == 1
    assert computed_value(target, item, IndicatorPeriod.MONTH, 4) == 2
    assert computed_value(target, item, IndicatorPeriod.MONTH, 5) == 0
    assert computed_value(target, item, IndicatorPeriod.YEAR, 0) == 4


def test_it_sums_completed_shadowing_days_and_leaves_out_planned_and_cancelled(
    network: Network, persons: list[Person]
) -> None:
    where = host(network)
    shadow(persons[0], where, dt.date(2024, 3, 1), "2", ShadowingStatus.DONE)
    shadow(persons[1], where, dt.date(2024, 10, 1), "1.5", ShadowingStatus.DONE)
    shadow(persons[2], where, dt.date(2024, 5, 1), "3", ShadowingStatus.CANCELLED)
    shadow(persons[3], where, dt.date(2024, 6, 1), "3", ShadowingStatus.PLANNED)
    shadow(persons[4], where, dt.date(2025, 1, 1), "1", ShadowingStatus.DONE)
    target = indicator(network, "Hospiteringsdager", IndicatorSource.SHADOWING_DAYS)
    item = indicator_years(network, [target], 2024, 2024)[target.pk][2024]
    assert item.total == Decimal("3.5")
    assert computed_value(target, item, IndicatorPeriod.QUARTER, 4) == Decimal("1.5")


def test_it_counts_members_on_the_last_day_of_the_period(network: Network) -> None:
    person(network, "a@example.no", dt.date(2023, 5, 1))
    person(network, "b@example.no", dt.date(2024, 4, 1))  # joins in the second quarter of 2024
    ended = person(network, "c@example.no", dt.date(2022, 1, 1))
    Membership.objects.filter(person=ended).update(end=dt.date(2024, 12, 31))  # a member on 31.12 too
    left = person(network, "d@example.no", dt.date(2022, 1, 1))
    Membership.objects.filter(person=left).update(end=dt.date(2024, 6, 30))
    add_member(network, None, "k@example.no", Role.COORDINATOR, dt.date(2020, 1, 1))  # not a resource person
    target = indicator(network, "Medlemmer", IndicatorSource.MEMBERS)
    item = indicator_years(network, [target], 2024, 2024)[target.pk][2024]
    assert item.total == 3
    assert computed_value(target, item, IndicatorPeriod.QUARTER, 1) == 3  # a, c, d
    assert computed_value(target, item, IndicatorPeriod.QUARTER, 2) == 4  # d's last day is 30.06
    assert computed_value(target, item, IndicatorPeriod.MONTH, 7) == 3
    assert value_of(network, target, 2022) == 2


def test_it_keeps_other_networks_out(network: Network, other_network: Network, persons: list[Person]) -> None:
    attend(activity(other_network, dt.date(2024, 2, 1)), persons[:3])
    person(other_network, "x@example.no")
    participants = indicator(network, "Deltakere", IndicatorSource.PARTICIPANTS)
    members = indicator(network, "Medlemmer", IndicatorSource.MEMBERS)
    assert value_of(network, participants, 2024) == 0
    assert value_of(network, members, 2024) == 7


def test_it_counts_the_newsletters_whose_sending_finished_in_the_period(
    network: Network, other_network: Network
) -> None:
    def sent(on: Network, day: dt.datetime, status: str = NewsletterStatus.SENT) -> None:
        Newsletter.objects.create(network=on, subject="Brev", status=status, queued_at=day, finished_at=day)

    sent(network, dt.datetime(2024, 3, 10, 12, tzinfo=dt.UTC))
    sent(network, dt.datetime(2024, 9, 1, 12, tzinfo=dt.UTC))
    sent(network, dt.datetime(2023, 12, 31, 12, tzinfo=dt.UTC))
    sent(network, dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC), NewsletterStatus.SENDING)  # not finished
    sent(other_network, dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC))
    target = indicator(network, "Nyhetsbrev", IndicatorSource.NEWSLETTERS)
    assert value_of(network, target, 2024) == 2
    year = indicator_years(network, [target], 2024, 2024)[target.pk][2024]
    assert computed_value(target, year, IndicatorPeriod.QUARTER, 1) == 1
    assert computed_value(target, year, IndicatorPeriod.QUARTER, 2) == 0


def test_it_sums_entered_quarters_and_leaves_a_year_without_values_empty(network: Network) -> None:
    target = indicator(network, "Henvisninger", IndicatorSource.ENTERED, period=IndicatorPeriod.QUARTER)
    IndicatorValue.objects.create(indicator=target, year=2024, period=1, value=Decimal(5))
    IndicatorValue.objects.create(indicator=target, year=2024, period=3, value=Decimal("7.5"))
    years = indicator_years(network, [target], 2023, 2024)[target.pk]
    assert years[2024].total == Decimal("12.5")
    assert [item.value for item in years[2024].periods] == [Decimal(5), None, Decimal("7.5"), None]
    assert years[2023].total is None


def test_the_facts_give_every_indicator_in_order_with_the_year_value(network: Network) -> None:
    referrals = indicator(
        network,
        "Henvisninger barnepalliasjon",
        IndicatorSource.ENTERED,
        unit="barn/unge",
        yearly_target=Decimal(10),
        position=1,
    )
    IndicatorValue.objects.create(indicator=referrals, year=2024, period=0, value=Decimal(12))
    calls = indicator(
        network, "Telefoniske kontakter", IndicatorSource.ENTERED, period=IndicatorPeriod.MONTH, position=2
    )
    IndicatorValue.objects.create(indicator=calls, year=2024, period=3, value=Decimal("150.5"))
    IndicatorValue.objects.create(indicator=calls, year=2024, period=4, value=Decimal(2))
    indicator(network, "Overgang til voksen", IndicatorSource.ENTERED, footnote="KPT følger opp.", position=3)
    indicator(network, "Veiledninger", IndicatorSource.GUIDANCE, position=4)
    indicator(network, "Nyhetsbrev", IndicatorSource.NEWSLETTERS, position=5)
    activity(network, dt.date(2024, 5, 5), ActivityKind.GUIDANCE)

    facts = indicators_year_facts(network, 2024)

    assert facts[0] == {
        "name": "Henvisninger barnepalliasjon",
        "unit": "barn/unge",
        "source": "registrert",
        "computed": False,
        "value": 12,
        "target": 10,
        "periods": [],
        "footnote": "",
    }
    assert facts[1]["value"] == 152.5
    assert facts[1]["periods"] == [{"period": "2024-03", "value": 150.5}, {"period": "2024-04", "value": 2}]
    assert facts[2]["value"] is None
    assert facts[2]["footnote"] == "KPT følger opp."
    assert facts[3] == {
        "name": "Veiledninger",
        "unit": "",
        "source": "veiledninger",
        "computed": True,
        "value": 1,
        "target": None,
        "periods": [],
        "footnote": "",
    }
    assert facts[4]["value"] == 0  # no newsletter sent in 2024


def test_the_table_marks_footnotes_and_whether_the_target_was_reached(network: Network) -> None:
    low = indicator(network, "A", IndicatorSource.ENTERED, yearly_target=Decimal(20), footnote="Første.")
    IndicatorValue.objects.create(indicator=low, year=2024, period=0, value=Decimal(12))
    high = indicator(network, "B", IndicatorSource.ENTERED, yearly_target=Decimal(5), footnote="Andre.")
    IndicatorValue.objects.create(indicator=high, year=2024, period=0, value=Decimal(5))
    indicator(network, "C", IndicatorSource.ENTERED)
    rows = year_rows(network, 2024)
    assert [(row.footnote_mark, row.reached) for row in rows] == [("*", False), ("**", True), ("", None)]


def _many_indicators(network: Network, count: int) -> None:
    sources = [
        IndicatorSource.ACTIVITIES,
        IndicatorSource.PARTICIPANTS,
        IndicatorSource.GUIDANCE,
        IndicatorSource.COURSES,
        IndicatorSource.SHADOWING_DAYS,
        IndicatorSource.MEMBERS,
        IndicatorSource.ENTERED,
        IndicatorSource.NEWSLETTERS,
    ]
    for number in range(count):
        created = indicator(network, f"Indikator {number}", sources[number % len(sources)], position=number)
        if not created.is_computed:
            IndicatorValue.objects.create(indicator=created, year=2024, period=0, value=Decimal(number))


def test_the_facts_take_the_same_number_of_queries_for_2_and_12_indicators(
    network: Network, persons: list[Person]
) -> None:
    attend(activity(network, dt.date(2024, 2, 1)), persons[:3])
    shadow(persons[0], host(network), dt.date(2024, 3, 1), "2", ShadowingStatus.DONE)
    _many_indicators(network, 8)
    # Every source present: the most queries the facts ever take.
    full = count_queries(lambda: indicators_year_facts(network, 2024))
    Indicator.objects.all().delete()
    _many_indicators(network, 12)
    assert count_queries(lambda: indicators_year_facts(network, 2024)) == full
    Indicator.objects.all().delete()
    _many_indicators(network, 2)
    assert count_queries(lambda: indicators_year_facts(network, 2024)) <= full
    assert full <= 7  # the indicators, then one query per kind of source


def test_the_history_takes_the_same_number_of_queries_for_one_year_and_ten(network: Network) -> None:
    target = indicator(network, "Aktiviteter", IndicatorSource.ACTIVITIES)
    activity(network, dt.date(2024, 2, 1))
    one = count_queries(lambda: indicator_history(network, target, 2024))
    for year in range(2015, 2024):
        activity(network, dt.date(year, 2, 1))
    assert count_queries(lambda: indicator_history(network, target, 2024)) == one


def test_the_history_starts_at_the_first_year_with_a_value_and_spans_at_most_ten_years(
    network: Network,
) -> None:
    target = indicator(network, "Aktiviteter", IndicatorSource.ACTIVITIES)
    activity(network, dt.date(2021, 2, 1))
    assert [item.year for item in indicator_history(network, target, 2024).years] == [2021, 2022, 2023, 2024]
    activity(network, dt.date(2001, 2, 1))
    assert [item.year for item in indicator_history(network, target, 2024).years] == list(range(2015, 2025))
    assert [item.year for item in indicator_history(network, target, 2000).years] == [2000]


def test_numbers_are_shown_the_norwegian_way() -> None:
    from django.utils import translation

    with translation.override("nb"):
        assert number_text(Decimal("12.50")) == "12,5"
        assert number_text(Decimal("12.00")) == "12"
        assert number_text(Decimal(1234)) == "1\xa0234"
    assert number_text(None) == "–"
