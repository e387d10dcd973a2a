"""Inviting the line managers of the persons a coordinator adds to an activity for resource persons and
their line managers (Audience.WITH_LEADERS; the introductory course invites each new resource person with
their leader).

- A line manager who is in the roster (the person's `leader`, or a person of the network whose e-mail is the
  person's `leader_email`) is registered like anyone a coordinator adds (registration.register), which sends
  the normal confirmation. Someone with a registration of any status, also a cancelled one, is left alone,
  as add_many leaves them: a bulk action does not sign up again someone who cancelled.
- A line manager known only by e-mail gets one invitation per address (compared without case) per call,
  naming which of their staff were registered, with the activity as an .ics METHOD:REQUEST. They have no
  person to register, so the e-mail asks them to contact the coordinator. Nothing is stored for them, hence
  also no audit entry; the message goes out only after the surrounding transaction commits.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.utils import parseaddr
from typing import TYPE_CHECKING

import icalendar
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone, translation

from fagnett.activities import registration as services
from fagnett.activities.emails import format_hours, format_when, ics_part
from fagnett.activities.ics import activity_event, activity_url, calendar_for
from fagnett.activities.models import Activity, Registration, RegistrationStatus
from fagnett.networks.models import Person

if TYPE_CHECKING:
    from fagnett.accounts.models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LeaderInvites:
    registered_leaders: int
    emailed_leaders: int


@dataclass
class _EmailedLeader:
    address: str
    name: str
    staff: list[Person]


def registered_person_ids(activity: Activity) -> set[int]:
    """Persons with a place or a waiting-list place: a view takes this before adding, so that only the
    newly added persons' line managers are invited (and a second click invites nobody twice)."""
    return set(
        Registration.objects.filter(
            activity=activity,
            status__in=(RegistrationStatus.REGISTERED, RegistrationStatus.WAITING),
        ).values_list("person_id", flat=True)
    )


def leader_invitation(
    activity: Activity, address: str, name: str, *, now: dt.datetime | None = None
) -> bytes:
    """The .ics for a line manager without a registration: the activity's VEVENT with them as an attendee
    who has not answered (PARTSTAT NEEDS-ACTION), as an iTIP REQUEST."""
    moment = now or timezone.now()
    event = activity_event(activity)
    event.pop("dtstamp")
    event.add("dtstamp", moment.astimezone(dt.UTC))
    event.add("sequence", int(moment.timestamp()))
    organizer_name, organizer_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = icalendar.vCalAddress(f"mailto:{organizer_address}")
    organizer.params["cn"] = activity.network.name or organizer_name
    event.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{address}")
    if name:
        attendee.params["cn"] = name
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = "NEEDS-ACTION"
    attendee.params["rsvp"] = "FALSE"
    event.add("attendee", attendee)
    event.add("status", "CONFIRMED")
    return calendar_for([event], method="REQUEST")


def build_leader_message(
    activity: Activity, leader: _EmailedLeader, actor: User | None
) -> EmailMultiAlternatives:
    """Subject, text and HTML in the site's language; replies go to the coordinator who added the staff."""
    coordinator_email = actor.email if actor is not None else ""
    coordinator_name = (actor.name if actor is not None else "") or coordinator_email
    with translation.override(settings.LANGUAGE_CODE):
        context: dict[str, object] = {
            "activity": activity,
            "network": activity.network,
            "leader_name": leader.name,
            "staff": [person.full_name for person in leader.staff],
            "coordinator_name": coordinator_name,
            "coordinator_email": coordinator_email,
            "url": activity_url(activity),
            "when": format_when(activity),
            "hours": format_hours(activity.hours),
        }
        subject = " ".join(
            render_to_string("activities/emails/leader_invitation_subject.txt", context).split()
        )
        context["subject"] = subject
        text = render_to_string("activities/emails/leader_invitation.txt", context)
        html = render_to_string("activities/emails/leader_invitation.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [leader.address],
        reply_to=[coordinator_email] if coordinator_email else None,
    )
    message.attach_alternative(html, "text/html")
    message.attach(ics_part(leader_invitation(activity, leader.address, leader.name), "REQUEST"))
    return message


def _deliver(messages: Sequence[EmailMultiAlternatives]) -> int:
    try:
        with get_connection() as connection:
            return int(connection.send_messages(list(messages)) or 0)
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send %s line-manager invitation(s)", len(messages))
        return 0


def invite_leaders(activity: Activity, persons: Iterable[Person], actor: User | None) -> LeaderInvites:
    """Invite the line managers of `persons` (those with a place or a waiting-list place on `activity`):
    register those in the roster, e-mail the others once per address. Call it for the persons just added."""
    staff_ids = registered_person_ids(activity)
    staff = [p for p in dict((p.pk, p) for p in persons).values() if p.pk in staff_ids]
    # Line managers in the roster, by link first and by e-mail second, in two queries.
    by_pk = Person.objects.filter(
        network_id=activity.network_id, pk__in={p.leader_id for p in staff if p.leader_id is not None}
    ).in_bulk()
    emails = {p.leader_email.lower() for p in staff if p.leader_email}
    by_email = {
        person.email.lower(): person
        for person in Person.objects.annotate(email_lower=Lower("email")).filter(
            network_id=activity.network_id, email_lower__in=emails
        )
    }
    to_register: dict[int, Person] = {}
    to_email: dict[str, _EmailedLeader] = {}
    for person in staff:
        leader = by_pk.get(person.leader_id) if person.leader_id is not None else None
        if leader is None and person.leader_email:
            leader = by_email.get(person.leader_email.lower())
        if leader is not None:
            to_register.setdefault(leader.pk, leader)
        elif person.leader_email:
            key = person.leader_email.lower()
            emailed = to_email.setdefault(key, _EmailedLeader(person.leader_email, person.leader_name, []))
            emailed.name = emailed.name or person.leader_name
            emailed.staff.append(person)
    existing = set(
        Registration.objects.filter(activity=activity, person_id__in=list(to_register)).values_list(
            "person_id", flat=True
        )
    )
    registered = 0
    for leader in to_register.values():
        if leader.pk in existing:
            continue
        services.register(activity, leader, actor, as_coordinator=True)
        registered += 1
    messages = [build_leader_message(activity, leader, actor) for leader in to_email.values()]
    if messages:
        transaction.on_commit(lambda: _deliver(messages))
    return LeaderInvites(registered_leaders=registered, emailed_leaders=len(messages))
