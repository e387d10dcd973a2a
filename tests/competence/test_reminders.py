"""Who gets which competence-plan reminder today (fagnett.competence.reminders), and what the e-mails say.
Sending through a real SMTP server is in test_send_reminders_command.py."""

from __future__ import annotations

import datetime as dt
import email
from decimal import Decimal
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
import time_machine
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from fagnett.activities.models import ActivityKind
from fagnett.competence.engine import RequirementStatus
from fagnett.competence.models import (
    CompetencePlan,
    DigestState,
    Reminder,
    ReminderDigest,
    ReminderMoment,
    ReminderPreference,
    Requirement,
    RequirementKind,
)
from fagnett.competence.reminders import (
    PlannedDigest,
    leader_message,
    limit_start,
    network_reminders,
    person_message,
    reminder_moment,
    reminders_enabled,
    send_digest,
)
from fagnett.competence.words import what_is_left
from fagnett.networks.models import Network, Person
from tests.competence.helpers import attend, resource_person, shadow
from tests.helpers import count_queries, nb

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 10, 1)
NOW = dt.datetime(2025, 10, 1, 7, tzinfo=dt.UTC)
# Joined 15.11.2024: the once-requirements (12 months) are due 15.11.2025, 45 days from TODAY.
JOINED_RECENTLY = dt.date(2024, 11, 15)
DEADLINE = dt.date(2025, 11, 15)


def status(
    state: str,
    deadline: dt.date | None,
    *,
    kind: str = RequirementKind.ONCE,
    count: int = 1,
    hours: str | None = "6",
    days: str | None = None,
    done_hours: str = "0",
    done_days: str = "0",
) -> RequirementStatus:
    return RequirementStatus(
        requirement="introduksjonskurs",
        name="Introduksjonskurs",
        kind=kind,
        status=state,
        hours=Decimal(done_hours),
        days=Decimal(done_days),
        activities=(),
        deadline=deadline,
        activity_kinds=("introduksjonskurs",) if count else (),
        min_count=count,
        min_hours=Decimal(hours) if hours is not None else None,
        min_days=Decimal(days) if days is not None else None,
    )


def planned_for(network: Network, person: Person) -> PlannedDigest:
    facts = network_reminders(network, today=timezone.localdate())
    (planned,) = [p for p in facts.digests if p.person_id == person.pk]
    return planned


def keys(planned: PlannedDigest) -> list[str]:
    return [reminder.key for reminder in planned.reminders]


def parsed(message: EmailMultiAlternatives) -> EmailMessage:
    result = email.message_from_bytes(message.message().as_bytes(), policy=default_policy)
    assert isinstance(result, EmailMessage)
    return result


def bodies(message: EmailMessage) -> tuple[str, str]:
    parts = {p.get_content_type(): p for p in message.walk() if not p.is_multipart()}
    text = parts["text/plain"]
    html = parts["text/html"]
    assert isinstance(text, EmailMessage) and isinstance(html, EmailMessage)
    return str(text.get_content()), str(html.get_content())


# The moments --------------------------------------------------------------------------------------------


def test_an_upcoming_reminder_falls_in_the_60_days_before_the_deadline() -> None:
    deadline = dt.date(2025, 11, 30)
    due = status("due", deadline)
    assert reminder_moment(due, dt.date(2025, 9, 30)) is None  # 61 days before
    assert reminder_moment(due, dt.date(2025, 10, 1)) == ReminderMoment.UPCOMING  # 60 days before
    assert reminder_moment(due, dt.date(2025, 11, 29)) == ReminderMoment.UPCOMING
    # On the deadline itself the requirement can still be met that day; the next day it is overdue.
    assert reminder_moment(due, deadline) is None


def test_an_overdue_reminder_is_sent_only_up_to_90_days_after_the_deadline() -> None:
    deadline = dt.date(2025, 6, 30)
    overdue = status("overdue", deadline)
    assert reminder_moment(overdue, dt.date(2025, 7, 1)) == ReminderMoment.OVERDUE
    assert reminder_moment(overdue, dt.date(2025, 9, 28)) == ReminderMoment.OVERDUE  # 90 days after
    assert reminder_moment(overdue, dt.date(2025, 9, 29)) is None  # 91 days after


def test_met_and_yearly_requirements_get_no_reminder() -> None:
    assert reminder_moment(status("met", DEADLINE), TODAY) is None
    yearly = status("due", dt.date(2025, 12, 31), kind=RequirementKind.YEARLY_COUNT)
    assert reminder_moment(yearly, dt.date(2025, 12, 1)) is None
    assert reminder_moment(status("due", None), TODAY) is None


def test_the_weekly_limit_starts_at_local_midnight_six_days_back() -> None:
    start = limit_start(dt.date(2025, 10, 8))
    assert timezone.localtime(start).date() == dt.date(2025, 10, 2)
    assert (timezone.localtime(start).hour, timezone.localtime(start).minute) == (0, 0)


# What is left -------------------------------------------------------------------------------------------


def test_what_is_left_names_activities_hours_and_days() -> None:
    assert what_is_left(status("due", DEADLINE)) == nb("%(first)s and %(second)s") % {
        "first": nb("1 activity"),
        "second": nb("%(hours)s hours") % {"hours": "6"},
    }
    partly = status("due", DEADLINE, done_hours="4.5")
    assert what_is_left(partly) == nb("%(first)s and %(second)s") % {
        "first": nb("1 activity"),
        "second": nb("%(hours)s hours") % {"hours": "1,5"},
    }
    shadowing = status("due", DEADLINE, count=0, hours=None, days="1")
    assert what_is_left(shadowing) == nb("1 day of job shadowing")
    both = status("due", DEADLINE, count=2, hours=None, days="2")
    assert what_is_left(both) == nb("%(activities)s, or %(days)s") % {
        "activities": nb("%(count)s activities") % {"count": "2"},
        "days": nb("%(days)s days of job shadowing") % {"days": "2"},
    }


# Who is reminded ----------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_reminds_of_both_once_requirements_60_days_before_their_deadline(network: Network) -> None:
    kari = resource_person(network, "kari@example.no", JOINED_RECENTLY)

    planned = planned_for(network, kari)

    assert keys(planned) == [
        "introduksjonskurs:upcoming:2025-11-15",
        "hospitering:upcoming:2025-11-15",
    ]
    assert [r.remind_leader for r in planned.reminders] == [True, False]


@time_machine.travel(NOW, tick=False)
def test_it_leaves_out_what_is_met_and_the_yearly_requirements(network: Network) -> None:
    kari = resource_person(network, "kari@example.no", JOINED_RECENTLY)
    attend(kari, ActivityKind.INTRO_COURSE, dt.date(2025, 1, 10), "6")
    # Yearly requirements are due this year too, but are never reminded of.
    assert keys(planned_for(network, kari)) == ["hospitering:upcoming:2025-11-15"]
    shadow(kari, dt.date(2025, 2, 1), "1")
    assert network_reminders(network, today=TODAY).digests == ()


@time_machine.travel(NOW, tick=False)
def test_it_reminds_of_an_overdue_requirement_for_90_days_after_its_deadline(network: Network) -> None:
    recent = resource_person(network, "recent@example.no", dt.date(2024, 8, 1))  # overdue since 02.08
    old = resource_person(network, "old@example.no", dt.date(2024, 6, 1))  # 122 days overdue
    shadow(recent, dt.date(2024, 9, 1), "1")

    facts = network_reminders(network, today=TODAY)

    assert [p.email for p in facts.digests] == ["recent@example.no"]
    assert keys(facts.digests[0]) == ["introduksjonskurs:overdue:2025-08-01"]
    assert old.pk not in {p.person_id for p in facts.digests}


@time_machine.travel(NOW, tick=False)
def test_it_does_not_remind_persons_whose_membership_ended(network: Network) -> None:
    resource_person(network, "left@example.no", JOINED_RECENTLY, end=dt.date(2025, 9, 30))
    stays = resource_person(network, "stays@example.no", JOINED_RECENTLY)

    facts = network_reminders(network, today=TODAY)

    assert [p.person_id for p in facts.digests] == [stays.pk]


@time_machine.travel(NOW, tick=False)
def test_it_does_not_remind_persons_who_turned_reminders_off(network: Network) -> None:
    off = resource_person(network, "off@example.no", JOINED_RECENTLY)
    on = resource_person(network, "on@example.no", JOINED_RECENTLY)
    ReminderPreference.objects.create(person=off, enabled=False)
    ReminderPreference.objects.create(person=on, enabled=True)

    facts = network_reminders(network, today=TODAY)

    assert [p.person_id for p in facts.digests] == [on.pk]
    assert reminders_enabled(on.pk) is True
    assert reminders_enabled(off.pk) is False


@time_machine.travel(NOW, tick=False)
def test_it_does_not_plan_a_reminder_that_was_already_sent(network: Network) -> None:
    kari = resource_person(network, "kari@example.no", JOINED_RECENTLY)
    long_ago = timezone.now() - dt.timedelta(days=30)
    digest = ReminderDigest.objects.create(
        person=kari, email=kari.email, state=DigestState.SENT, created=long_ago, sent=long_ago
    )
    Reminder.objects.create(
        digest=digest,
        person=kari,
        requirement_code="introduksjonskurs",
        moment=ReminderMoment.UPCOMING,
        deadline=DEADLINE,
    )

    assert keys(planned_for(network, kari)) == ["hospitering:upcoming:2025-11-15"]


@time_machine.travel(NOW, tick=False)
def test_a_recent_digest_holds_back_new_reminders_but_a_failed_one_does_not(network: Network) -> None:
    sent = resource_person(network, "sent@example.no", JOINED_RECENTLY)
    failed = resource_person(network, "failed@example.no", JOINED_RECENTLY)
    six_days_ago = timezone.now() - dt.timedelta(days=6)
    ReminderDigest.objects.create(person=sent, email=sent.email, state=DigestState.SENT, created=six_days_ago)
    ReminderDigest.objects.create(
        person=failed, email=failed.email, state=DigestState.FAILED, created=six_days_ago
    )

    facts = network_reminders(network, today=TODAY)

    assert [p.email for p in facts.held_back] == ["sent@example.no"]
    assert [p.email for p in facts.digests] == ["failed@example.no"]
    assert facts.uncertain == ()


@time_machine.travel(NOW, tick=False)
def test_a_digest_left_sending_is_reported_as_uncertain(network: Network) -> None:
    kari = resource_person(network, "kari@example.no", JOINED_RECENTLY)
    created = timezone.now() - dt.timedelta(days=1)
    ReminderDigest.objects.create(person=kari, email=kari.email, state=DigestState.SENDING, created=created)

    facts = network_reminders(network, today=TODAY)

    assert [(u.email, u.created) for u in facts.uncertain] == [("kari@example.no", created)]
    assert [p.email for p in facts.held_back] == ["kari@example.no"]


@time_machine.travel(NOW, tick=False)
def test_the_line_manager_is_the_leader_in_the_roster_else_the_typed_address(network: Network) -> None:
    boss = resource_person(network, "boss@example.no", dt.date(2020, 1, 1))
    linked = resource_person(network, "linked@example.no", JOINED_RECENTLY)
    typed = resource_person(network, "typed@example.no", JOINED_RECENTLY)
    Person.objects.filter(pk=linked.pk).update(leader=boss, leader_email="ignored@example.no")
    Person.objects.filter(pk=typed.pk).update(leader_email="leder@example.no", leader_name="Lise Leder")

    facts = {p.email: p for p in network_reminders(network, today=TODAY).digests}

    assert facts["linked@example.no"].leader_email == "boss@example.no"
    assert facts["linked@example.no"].leader_name == boss.full_name
    assert (facts["typed@example.no"].leader_email, facts["typed@example.no"].leader_name) == (
        "leder@example.no",
        "Lise Leder",
    )
    assert [r.requirement for r in facts["typed@example.no"].leader_reminders] == ["introduksjonskurs"]


@time_machine.travel(NOW, tick=False)
def test_a_plan_without_leader_requirements_sends_nothing_to_leaders(network: Network) -> None:
    Requirement.objects.filter(plan__network=network).update(remind_leader=False)
    kari = resource_person(network, "kari@example.no", JOINED_RECENTLY)
    Person.objects.filter(pk=kari.pk).update(leader_email="leder@example.no")

    assert planned_for(network, kari).leader_reminders == ()


@time_machine.travel(NOW, tick=False)
def test_it_plans_in_a_fixed_number_of_queries_however_many_persons(network: Network) -> None:
    def add(count: int, offset: int) -> None:
        for i in range(offset, offset + count):
            person = resource_person(network, f"p{i}@example.no", JOINED_RECENTLY)
            Person.objects.filter(pk=person.pk).update(leader_email=f"leder{i}@example.no")
            ReminderPreference.objects.create(person=person, enabled=i % 3 != 0)
            attend(person, ActivityKind.GATHERING, dt.date(2025, 3, 1), "6")

    add(3, 0)
    few = count_queries(lambda: network_reminders(network, today=TODAY))
    add(12, 3)
    many = count_queries(lambda: network_reminders(network, today=TODAY))

    assert few == many
    assert len(network_reminders(network, today=TODAY).digests) == 10


@time_machine.travel(NOW, tick=False)
def test_each_network_is_evaluated_with_its_own_plan(network: Network, other_network: Network) -> None:
    # The other network's plan asks for the introductory course within 11 months only.
    plan = CompetencePlan.objects.get(network=other_network)
    plan.requirements.exclude(code="introduksjonskurs").delete()
    plan.requirements.filter(code="introduksjonskurs").update(within_months=11)
    here = resource_person(network, "kari@example.no", JOINED_RECENTLY)
    there = resource_person(other_network, "kari@example.no", JOINED_RECENTLY)

    assert keys(planned_for(network, here))[0] == "introduksjonskurs:upcoming:2025-11-15"
    assert keys(planned_for(other_network, there)) == ["introduksjonskurs:upcoming:2025-10-15"]


# A concurrent run ---------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_a_reminder_claimed_by_another_run_is_skipped_and_not_sent(network: Network) -> None:
    kari = resource_person(network, "kari@example.no", JOINED_RECENTLY)
    planned = planned_for(network, kari)
    # Another run claims the same reminder between this run's planning and its claim.
    other = ReminderDigest.objects.create(
        person=kari, email=kari.email, state=DigestState.SENDING, created=timezone.now()
    )
    Reminder.objects.create(
        digest=other,
        person=kari,
        requirement_code="hospitering",
        moment=ReminderMoment.UPCOMING,
        deadline=DEADLINE,
    )
    backend = EmailBackend()

    outcome = send_digest(planned, backend)

    assert outcome.claimed is False
    assert ReminderDigest.objects.filter(person=kari).count() == 1
    assert Reminder.objects.filter(person=kari).count() == 1


# The messages -------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_digest_has_a_norwegian_subject_text_and_html_with_deadlines_and_the_plan_link(
    network: Network, settings: Any
) -> None:
    kari = resource_person(network, "kari@example.no", JOINED_RECENTLY)
    Person.objects.filter(pk=kari.pk).update(first_name="Kari")
    attend(kari, ActivityKind.INTRO_COURSE, dt.date(2025, 1, 10), "6", credited="4")
    settings.FAGNETT_BASE_URL = "https://fagnett.example.no/"

    message = parsed(person_message(planned_for(network, kari)))
    text, html = bodies(message)

    assert message["Subject"].strip() == nb(
        "Reminder: your competence plan in %(network)s", network=network.name
    )
    assert message["To"] == "kari@example.no"
    url = f"https://fagnett.example.no/n/barnepalliasjon/personer/{kari.pk}/kompetanseplan/"
    for body in (text, html):
        assert nb("Hello %(name)s,", name="Kari") in body
        assert "Introduksjonskurs (minst 6 timer, første år)" in body
        assert "Hospitering (1–3 dager, første år)" in body
        assert "15.11.2025" in body
        assert nb("%(hours)s hours") % {"hours": "2"} in body
        assert nb("1 day of job shadowing") in body
        assert nb("The deadline is less than 60 days away for:") in body
        assert nb("The deadline has passed for:") not in body
        assert nb("You can turn these reminders off on the same page.") in body
        assert url in body
    assert f'<a href="{url}">' in html


@time_machine.travel(NOW, tick=False)
def test_the_leader_gets_a_separate_message_about_the_intro_course_only(network: Network) -> None:
    kari = resource_person(network, "kari@example.no", JOINED_RECENTLY)
    Person.objects.filter(pk=kari.pk).update(
        first_name="Kari", last_name="Nordmann", leader_email="leder@example.no", leader_name="Lise"
    )

    message = parsed(leader_message(planned_for(network, kari)))
    text, html = bodies(message)

    assert message["To"] == "leder@example.no"
    assert message["Subject"].strip() == nb(
        "Reminder: the competence plan of %(name)s in %(network)s",
        name="Kari Nordmann",
        network=network.name,
    )
    for body in (text, html):
        assert nb("Hello %(name)s,", name="Lise") in body
        assert "Introduksjonskurs (minst 6 timer, første år)" in body
        assert "Hospitering" not in body
        assert "15.11.2025" in body
