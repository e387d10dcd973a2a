"""Competence-plan reminders: who gets which reminder today, and sending them so that none is sent twice.

`python manage.py send_reminders` runs this once a day from cron (docs/commands.md). The rules:

- Each network is evaluated for the current year with the engine (engine.network_status, one call per
  network), plus a fixed number of queries per network, whatever its size.
- Only persons with a resource-person membership active today who have not turned reminders off
  (ReminderPreference.enabled False; no row means on) are reminded, and only about once-requirements:
  - UPCOMING when the status is due and today lies in the 60 days before the deadline
    (deadline − 60 days <= today < deadline), so a missed cron day still sends it later in the window;
  - OVERDUE when the status is overdue and the deadline passed at most 90 days ago. Older overdue
    requirements are left alone, so installing Fagnett (or importing years of roster history) does not mail
    everyone who has been behind for years. An UPCOMING reminder not sent before the deadline is thereby
    replaced by the OVERDUE one.
- A reminder (person, requirement, moment, deadline) is sent at most once, ever: Reminder rows are unique.
- One digest e-mail per person per run lists all their reminders, and a person gets at most one digest per
  7 days: a digest in state SENDING or SENT created on one of the last 6 days or today blocks (day D blocks
  D to D + 6; a FAILED one does not). Reminders held back by the limit are not recorded and go out in a
  later run, if still due then.
- Requirements with `remind_leader` (the introductory course) also go to the person's line manager (the
  leader Person's e-mail, else `leader_email`) in a separate message about that staff member, sent right
  after the person's and recorded in the digest's `leader_email`.
- Never twice, also after a crash: before talking to the mail server the digest (state SENDING) and its
  Reminder rows are committed in one transaction; a concurrent run that claimed the same reminders first
  makes the insert fail and the person is skipped. Then the messages are sent and the digest marked SENT.
  When the person's message fails (SMTP or network error) the digest is marked FAILED with the reason and
  its Reminder rows are deleted, so a later run tries again. When only the leader's message fails, the
  person has their reminder, so the digest stays SENT with the error noted, and the leader is not retried.
  A digest left in SENDING (the process died between commit and record) is never sent again, since nobody
  knows whether the server accepted it; runs report it as "uncertain" for the 7 days it blocks the person.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from fagnett.competence.engine import RequirementStatus, network_status
from fagnett.competence.models import (
    CompetenceStatus,
    DigestState,
    Reminder,
    ReminderDigest,
    ReminderMoment,
    ReminderPreference,
    Requirement,
    RequirementKind,
)
from fagnett.competence.words import what_is_left
from fagnett.core.links import absolute_url
from fagnett.networks.models import Membership, Network, Role

UPCOMING_DAYS = 60
OVERDUE_DAYS = 90
# A digest on day D blocks the days D .. D + WEEKLY_LIMIT_DAYS - 1.
WEEKLY_LIMIT_DAYS = 7


@dataclass(frozen=True)
class DueReminder:
    requirement: str
    moment: str
    deadline: dt.date
    remind_leader: bool
    status: RequirementStatus

    @property
    def key(self) -> str:
        """How the command's output names it: code:moment:deadline."""
        return f"{self.requirement}:{self.moment}:{self.deadline.isoformat()}"


@dataclass(frozen=True)
class PlannedDigest:
    """The reminders one person would get today."""

    network: Network
    person_id: int
    email: str
    first_name: str
    name: str
    leader_email: str
    leader_name: str
    reminders: tuple[DueReminder, ...]

    @property
    def leader_reminders(self) -> tuple[DueReminder, ...]:
        return tuple(r for r in self.reminders if r.remind_leader) if self.leader_email else ()

    @property
    def keys(self) -> str:
        return ",".join(reminder.key for reminder in self.reminders)

    @property
    def leader_keys(self) -> str:
        return ",".join(reminder.key for reminder in self.leader_reminders)


@dataclass(frozen=True)
class UncertainDigest:
    email: str
    created: dt.datetime


@dataclass(frozen=True)
class NetworkReminders:
    network: Network
    digests: tuple[PlannedDigest, ...]
    # Persons with reminders that wait because they had a digest in the last 7 days.
    held_back: tuple[PlannedDigest, ...]
    uncertain: tuple[UncertainDigest, ...]


def reminder_moment(status: RequirementStatus, today: dt.date) -> str | None:
    """Which reminder a requirement's status calls for today, if any."""
    if status.kind != RequirementKind.ONCE or status.deadline is None:
        return None
    deadline = status.deadline
    if status.status == CompetenceStatus.DUE:
        if deadline - dt.timedelta(days=UPCOMING_DAYS) <= today < deadline:
            return str(ReminderMoment.UPCOMING)
    elif status.status == CompetenceStatus.OVERDUE:
        if deadline < today <= deadline + dt.timedelta(days=OVERDUE_DAYS):
            return str(ReminderMoment.OVERDUE)
    return None


def reminders_enabled(person_id: int) -> bool:
    """The person's current choice: on unless they turned reminders off (for the person's plan page)."""
    return not ReminderPreference.objects.filter(person_id=person_id, enabled=False).exists()


def limit_start(today: dt.date) -> dt.datetime:
    """The earliest creation time of a digest that still blocks a new one today (local midnight)."""
    first_day = today - dt.timedelta(days=WEEKLY_LIMIT_DAYS - 1)
    return timezone.make_aware(dt.datetime.combine(first_day, dt.time.min))


def network_reminders(network: Network, *, today: dt.date) -> NetworkReminders:
    """The digests to send in `network` today, in a fixed number of queries (the engine's six and five
    more), however many persons the network has. Digests still in SENDING are reported as uncertain: this
    runs before the run claims anything, so they were left by an earlier run (or one running now)."""
    facts = network_status(network, today.year, today=today)
    leader_codes = (
        set(
            Requirement.objects.filter(plan_id=facts.plan.id, remind_leader=True).values_list(
                "code", flat=True
            )
        )
        if facts.plan is not None
        else set()
    )
    active: dict[int, tuple[str, str, str]] = {}
    for person_id, first_name, leader_email, leader_first, leader_last, own_leader_email, leader_name in (
        Membership.objects.active_on(today)
        .filter(network=network, role__code=Role.RESOURCE_PERSON)
        .values_list(
            "person_id",
            "person__first_name",
            "person__leader__email",
            "person__leader__first_name",
            "person__leader__last_name",
            "person__leader_email",
            "person__leader_name",
        )
    ):
        # The leader in the roster wins over an address typed on the person (as on the person's page).
        if leader_email:
            active[person_id] = (first_name, leader_email, f"{leader_first} {leader_last}".strip())
        else:
            active[person_id] = (first_name, own_leader_email or "", leader_name or "")
    turned_off = set(
        ReminderPreference.objects.filter(person__network=network, enabled=False).values_list(
            "person_id", flat=True
        )
    )
    # A reminder that matters today has its deadline at most OVERDUE_DAYS ago (or in the future).
    already = set(
        Reminder.objects.filter(
            person__network=network, deadline__gte=today - dt.timedelta(days=OVERDUE_DAYS)
        ).values_list("person_id", "requirement_code", "moment", "deadline")
    )
    since = limit_start(today)
    recent = list(
        ReminderDigest.objects.filter(
            person__network=network,
            created__gte=since,
            state__in=(DigestState.SENDING, DigestState.SENT),
        ).values_list("person_id", "state", "email", "created")
    )
    blocked = {person_id for person_id, _, _, _ in recent}
    uncertain = tuple(
        UncertainDigest(email, created)
        for _, state, email, created in sorted(recent, key=lambda row: (row[3], row[2]))
        if state == DigestState.SENDING
    )

    digests: list[PlannedDigest] = []
    held_back: list[PlannedDigest] = []
    for person in facts.persons:
        if person.person_id not in active or person.person_id in turned_off:
            continue
        due = []
        for status in person.requirements:
            moment = reminder_moment(status, today)
            if moment is None or status.deadline is None:
                continue
            if (person.person_id, status.requirement, moment, status.deadline) in already:
                continue
            due.append(
                DueReminder(
                    status.requirement,
                    moment,
                    status.deadline,
                    status.requirement in leader_codes,
                    status,
                )
            )
        if not due or not person.email:
            continue
        first_name, leader_email, leader_name = active[person.person_id]
        planned = PlannedDigest(
            network=network,
            person_id=person.person_id,
            email=person.email,
            first_name=first_name,
            name=person.name,
            leader_email=leader_email,
            leader_name=leader_name,
            reminders=tuple(due),
        )
        (held_back if person.person_id in blocked else digests).append(planned)
    return NetworkReminders(network, tuple(digests), tuple(held_back), uncertain)


# The messages ---------------------------------------------------------------------------------------------


def _items(reminders: Iterable[DueReminder]) -> list[dict[str, str]]:
    return [
        {
            "name": reminder.status.name,
            "deadline": reminder.deadline.strftime("%d.%m.%Y"),
            "left": what_is_left(reminder.status),
        }
        for reminder in reminders
    ]


def plan_url(planned: PlannedDigest) -> str:
    path = reverse("competence:person_plan", args=[planned.network.slug, planned.person_id])
    return absolute_url(path)


def staff_url(network: Network) -> str:
    return absolute_url(reverse("competence:staff", args=[network.slug]))


def _render(prefix: str, context: dict[str, object]) -> tuple[str, str, str]:
    subject = " ".join(render_to_string(f"competence/emails/{prefix}_subject.txt", context).split())
    context["subject"] = subject
    text = render_to_string(f"competence/emails/{prefix}.txt", context)
    html = render_to_string(f"competence/emails/{prefix}.html", context)
    return subject, text, html


def person_message(planned: PlannedDigest) -> EmailMultiAlternatives:
    """The person's digest: every reminder of this run, in Norwegian, as text and HTML."""
    with translation.override(settings.LANGUAGE_CODE):
        upcoming = [r for r in planned.reminders if r.moment == ReminderMoment.UPCOMING]
        overdue = [r for r in planned.reminders if r.moment == ReminderMoment.OVERDUE]
        context: dict[str, object] = {
            "network": planned.network,
            "first_name": planned.first_name,
            "upcoming": _items(upcoming),
            "overdue": _items(overdue),
            "url": plan_url(planned),
        }
        subject, text, html = _render("reminder", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [planned.email])
    message.attach_alternative(html, "text/html")
    return message


def leader_message(planned: PlannedDigest) -> EmailMultiAlternatives:
    """The line manager's message about one member of their staff: only the requirements that ask for the
    leader (not a Cc, since the person's digest may list other requirements)."""
    with translation.override(settings.LANGUAGE_CODE):
        reminders = planned.leader_reminders
        context: dict[str, object] = {
            "network": planned.network,
            "leader_name": planned.leader_name,
            "staff_name": planned.name or planned.email,
            "upcoming": _items(r for r in reminders if r.moment == ReminderMoment.UPCOMING),
            "overdue": _items(r for r in reminders if r.moment == ReminderMoment.OVERDUE),
            "url": staff_url(planned.network),
        }
        subject, text, html = _render("leader_reminder", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [planned.leader_email])
    message.attach_alternative(html, "text/html")
    return message


# Sending --------------------------------------------------------------------------------------------------


@dataclass
class Totals:
    persons: int = 0
    leaders: int = 0
    failed: int = 0


@dataclass
class Outcome:
    claimed: bool
    person_error: str = ""
    leader_sent: bool = False
    leader_error: str = ""


def _deliver(connection: BaseEmailBackend, message: EmailMultiAlternatives) -> None:
    """Hand one message to the mail server; raises when it is not accepted. (Tests replace it to simulate
    a crash right after the server took a message.)"""
    # One connection for the whole run: opened here the first time (again after an error closed it), so
    # send_messages neither opens nor closes it per message.
    connection.open()
    if connection.send_messages([message]) != 1:
        raise smtplib.SMTPException("The mail server did not accept the message.")


def _reason(error: BaseException) -> str:
    return " ".join(f"{type(error).__name__}: {error}".split())[:500]


def _claim(planned: PlannedDigest) -> ReminderDigest | None:
    """Record the digest as SENDING with its reminders, committed before any SMTP conversation; None when
    another run claimed one of these reminders first."""
    try:
        with transaction.atomic():
            digest = ReminderDigest.objects.create(
                person_id=planned.person_id,
                email=planned.email,
                leader_email=planned.leader_email if planned.leader_reminders else "",
                state=DigestState.SENDING,
                created=timezone.now(),
            )
            Reminder.objects.bulk_create(
                Reminder(
                    digest=digest,
                    person_id=planned.person_id,
                    requirement_code=reminder.requirement,
                    moment=reminder.moment,
                    deadline=reminder.deadline,
                )
                for reminder in planned.reminders
            )
    except IntegrityError:
        return None
    return digest


def send_digest(planned: PlannedDigest, connection: BaseEmailBackend) -> Outcome:
    """Claim, send and record one person's digest (and their leader's message)."""
    messages = [person_message(planned)]
    if planned.leader_reminders:
        messages.append(leader_message(planned))
    # Built before the claim, so a broken template cannot leave a digest in SENDING.
    digest = _claim(planned)
    if digest is None:
        return Outcome(claimed=False)
    try:
        _deliver(connection, messages[0])
    except (smtplib.SMTPException, OSError) as error:
        connection.close()
        reason = _reason(error)
        with transaction.atomic():
            ReminderDigest.objects.filter(pk=digest.pk).update(state=DigestState.FAILED, error=reason)
            Reminder.objects.filter(digest_id=digest.pk).delete()
        return Outcome(claimed=True, person_error=reason)
    outcome = Outcome(claimed=True)
    if len(messages) > 1:
        try:
            _deliver(connection, messages[1])
        except (smtplib.SMTPException, OSError) as error:
            connection.close()
            outcome.leader_error = _reason(error)
        else:
            outcome.leader_sent = True
    error_note = f"leader: {outcome.leader_error}"[:500] if outcome.leader_error else ""
    ReminderDigest.objects.filter(pk=digest.pk).update(
        state=DigestState.SENT, sent=timezone.now(), error=error_note
    )
    return outcome


def summary_line(totals: Totals, *, dry_run: bool) -> str:
    line = f"{totals.persons} e-mails to persons, {totals.leaders} to leaders, {totals.failed} failed"
    return f"{line} (dry run: nothing sent)" if dry_run else line


@dataclass
class Run:
    """One run over some networks; `write` gets each output line (see docs/commands.md)."""

    write: Callable[[str], None]
    dry_run: bool = False
    totals: Totals = field(default_factory=Totals)

    def networks(self, networks: Iterable[Network]) -> Totals:
        today = timezone.localdate()
        connection = None if self.dry_run else get_connection()
        try:
            for network in networks:
                facts = network_reminders(network, today=today)
                self._network(facts, connection)
        finally:
            if connection is not None:
                connection.close()
        return self.totals

    def _network(self, facts: NetworkReminders, connection: BaseEmailBackend | None) -> None:
        slug = facts.network.slug
        for uncertain in facts.uncertain:
            created = timezone.localtime(uncertain.created).isoformat(timespec="seconds")
            self.write(f"uncertain {uncertain.email} {created}")
        for planned in facts.held_back:
            self.write(f"skipped {planned.email} weekly limit")
        for planned in facts.digests:
            leader = planned.leader_reminders
            if connection is None:
                self.write(f"would send {planned.email} {slug} {planned.keys}")
                self.totals.persons += 1
                if leader:
                    self.write(
                        f"would send leader {planned.leader_email} {slug} {planned.email} "
                        f"{planned.leader_keys}"
                    )
                    self.totals.leaders += 1
                continue
            outcome = send_digest(planned, connection)
            if not outcome.claimed:
                self.write(f"skipped {planned.email} already claimed")
            elif outcome.person_error:
                self.write(f"failed {planned.email} {outcome.person_error}")
                self.totals.failed += 1
            else:
                self.write(f"sent {planned.email} {slug} {planned.keys}")
                self.totals.persons += 1
                if outcome.leader_sent:
                    self.write(f"leader {planned.leader_email} {slug} {planned.email} {planned.leader_keys}")
                    self.totals.leaders += 1
                elif outcome.leader_error:
                    self.write(f"failed {planned.leader_email} {outcome.leader_error}")
                    self.totals.failed += 1
