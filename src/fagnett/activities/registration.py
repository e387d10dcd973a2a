"""Registration, waiting list, attendance and check-in: every write to Registration and Attendance.

Each function validates, writes inside one transaction and audits with the names of the changed fields only
(fagnett.audit.services). Writes that touch the places of an activity lock the activity row first
(select_for_update), so two cancellations at the same moment cannot promote the same waiting person twice
and two sign-ups cannot both take the last place. E-mails are sent after the commit (activities.emails).

Rules chosen where the issue is silent:
- Sign-up closes after the registration deadline (the deadline day itself is open) and once the activity has
  started (the start day itself is open), as the activity page (activities.queries) shows it. Coordinators
  adding people are not bound by the deadline or the audience.
- A person who cancels and signs up again reuses their row and joins the back of the waiting list (their
  `registered_at` is renewed).
- Check-in is open from 2 hours before the start (00:00 on the first day when no start time is set) to the
  end of the last day, Europe/Oslo time.
- Checking in turns an "absent" record into "attended" (the person is evidently in the room); an existing
  "attended" record is left as it is, whoever recorded it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from fagnett.activities import emails
from fagnett.activities.models import (
    Activity,
    Attendance,
    AttendanceStatus,
    Audience,
    Registration,
    RegistrationStatus,
)
from fagnett.audit.services import audit_entry, log_action, log_entries
from fagnett.networks.models import LocalChapter, Membership, Network, Person, Role

if TYPE_CHECKING:
    from fagnett.accounts.models import User
    from fagnett.audit.models import AuditEntry

CHECKIN_OPENS_BEFORE = dt.timedelta(hours=2)
MAX_HOURS = Decimal("999.99")  # Attendance.hours: 5 digits, 2 decimals

AttendanceRow = tuple[Person, str, Decimal | None]


@dataclass(frozen=True)
class AddResult:
    registered: int
    waiting: int
    skipped: int


@dataclass(frozen=True)
class AttendanceResult:
    created: int
    changed: int
    unchanged: int


@dataclass(frozen=True)
class CheckInResult:
    attendance: Attendance
    already: bool


def _date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _check_network(activity: Activity, person: Person) -> None:
    if person.network_id != activity.network_id:
        raise ValidationError(_("%(person)s is not in this network.") % {"person": person.full_name})


def _lock(activity: Activity) -> Activity:
    """The activity row, locked until the transaction ends (a no-op on SQLite, which locks the database)."""
    return Activity.objects.select_for_update().get(pk=activity.pk)


def _free_places(activity: Activity) -> int | None:
    """Places left, or None for no limit."""
    if activity.capacity is None:
        return None
    taken = Registration.objects.filter(activity=activity, status=RegistrationStatus.REGISTERED).count()
    return max(activity.capacity - taken, 0)


# Who may sign up ----------------------------------------------------------------------------------------


def registration_closed_reason(activity: Activity, today: dt.date) -> str | None:
    """Why a person can no longer sign up themselves, or None while sign-up is open."""
    if today > activity.starts_on:
        return _("Registration is closed: the activity has started.")
    if activity.registration_deadline is not None and today > activity.registration_deadline:
        return _("Registration closed on %(date)s, the registration deadline.") % {
            "date": _date(activity.registration_deadline)
        }
    return None


def audience_includes(activity: Activity, person: Person, day: dt.date) -> bool:
    """Whether the activity's audience includes `person`: open activities everyone in the network; the
    others the network's active members (resource persons, working-group members and coordinators), and
    for "with line managers" also the line managers of active members."""
    if person.network_id != activity.network_id:
        return False
    if activity.audience == Audience.OPEN:
        return True
    active = Membership.objects.active_on(day).filter(network_id=activity.network_id)
    if active.filter(person=person).exists():
        return True
    if activity.audience == Audience.WITH_LEADERS:
        staff = Q(leader=person) | Q(leader_email__iexact=person.email)
        return active.filter(Q(person__in=Person.objects.filter(staff))).exists()
    return False


# Sign-up and cancellation -------------------------------------------------------------------------------


def register(
    activity: Activity, person: Person, actor: User | None, *, as_coordinator: bool = False
) -> Registration:
    """Sign `person` up: a free place makes them registered, a full activity puts them on the waiting list.

    An existing registration or waiting-list place is returned unchanged; a cancelled one is reused. Unless
    `as_coordinator`, the deadline and the audience apply (ValidationError with the reason)."""
    _check_network(activity, person)
    if not as_coordinator:
        today = timezone.localdate()
        reason = registration_closed_reason(activity, today)
        if reason is not None:
            raise ValidationError(reason, code="closed")
        if not audience_includes(activity, person, today):
            raise ValidationError(
                _("This activity is for %(audience)s.") % {"audience": activity.get_audience_display()},
                code="audience",
            )
    with transaction.atomic():
        locked = _lock(activity)
        registration = (
            Registration.objects.select_for_update().filter(activity=activity, person=person).first()
        )
        if registration is not None and registration.status != RegistrationStatus.CANCELLED:
            return registration
        free = _free_places(locked)
        status = RegistrationStatus.REGISTERED if free is None or free > 0 else RegistrationStatus.WAITING
        if registration is None:
            registration = Registration.objects.create(activity=activity, person=person, status=status)
            action = "registration.created"
            fields = ["status"]
        else:
            registration.status = status
            # Signing up again is a new place in the queue, not the old one back.
            registration.registered_at = timezone.now()
            registration.save(update_fields=["status", "registered_at", "changed_at"])
            action = "registration.renewed"
            fields = ["status", "registered_at"]
        registration.activity = activity
        registration.person = person
        log_action(action, actor=actor, target=registration, network=activity.network, fields=fields)
        kind = (
            emails.EmailKind.REGISTERED
            if status == RegistrationStatus.REGISTERED
            else emails.EmailKind.WAITING
        )
        emails.send_registration_emails([registration], kind)
    return registration


def cancel(registration: Registration, actor: User | None) -> list[Registration]:
    """Cancel a registration or waiting-list place. A freed place goes to the first on the waiting list
    (by `registered_at`), in the same transaction; returns the promoted registrations (usually one)."""
    activity = registration.activity
    with transaction.atomic():
        locked = _lock(activity)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED:
            return []
        freed_a_place = current.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status", "changed_at"])
        log_action(
            "registration.cancelled",
            actor=actor,
            target=registration,
            network=activity.network,
            fields=["status"],
        )
        emails.send_registration_emails([registration], emails.EmailKind.CANCELLED)
        # Once the activity is over, nobody is promoted into it.
        if not freed_a_place or timezone.localdate() > locked.ends_on:
            return []
        return fill_free_places(activity, actor)


def fill_free_places(activity: Activity, actor: User | None) -> list[Registration]:
    """Move people from the waiting list into free places, first come first served, and tell them.

    cancel() calls this; call it too after raising an activity's capacity."""
    with transaction.atomic():
        free = _free_places(_lock(activity))
        waiting = (
            Registration.objects.select_for_update()
            .filter(activity=activity, status=RegistrationStatus.WAITING)
            .select_related("person")
            .order_by("registered_at", "pk")
        )
        promoted = list(waiting if free is None else waiting[:free])
        if not promoted:
            return []
        now = timezone.now()
        Registration.objects.filter(pk__in=[r.pk for r in promoted]).update(
            status=RegistrationStatus.REGISTERED, changed_at=now
        )
        for registration in promoted:
            registration.status = RegistrationStatus.REGISTERED
            registration.changed_at = now
            registration.activity = activity
        log_entries(
            audit_entry(
                "registration.promoted", actor=actor, target=r, network=activity.network, fields=["status"]
            )
            for r in promoted
        )
        emails.send_registration_emails(promoted, emails.EmailKind.PROMOTED)
    return promoted


# Coordinators adding many -------------------------------------------------------------------------------


def active_members(
    network: Network, day: dt.date, chapter_ids: Iterable[int] | None = None
) -> QuerySet[Person]:
    """Persons with an active membership (any role) on `day`; only those of `chapter_ids` when given."""
    memberships = Membership.objects.active_on(day).filter(network=network)
    if chapter_ids is not None:
        memberships = memberships.filter(chapter_id__in=list(chapter_ids))
    return Person.objects.filter(network=network, pk__in=memberships.values("person_id")).order_by(
        "last_name", "first_name", "pk"
    )


def active_resource_persons(
    chapter: LocalChapter, day: dt.date, *, started_since: dt.date | None = None
) -> QuerySet[Person]:
    """The chapter's active resource persons on `day`; with `started_since`, only those who started on or
    after it (the new ones, for an introductory course)."""
    memberships = Membership.objects.active_on(day).filter(
        network_id=chapter.network_id, chapter=chapter, role__code=Role.RESOURCE_PERSON
    )
    if started_since is not None:
        memberships = memberships.filter(start__gte=started_since)
    return Person.objects.filter(
        network_id=chapter.network_id, pk__in=memberships.values("person_id")
    ).order_by("last_name", "first_name", "pk")


def add_many(activity: Activity, persons: Iterable[Person], actor: User | None) -> AddResult:
    """Register many persons at once (a coordinator's bulk add). Persons who already have a registration
    of any status, also a cancelled one, are skipped: someone who cancelled is not signed up again by a
    bulk action. Places are filled in the given order; the rest go on the waiting list."""
    unique: dict[int, Person] = {}
    for person in persons:
        _check_network(activity, person)
        unique.setdefault(person.pk, person)
    with transaction.atomic():
        locked = _lock(activity)
        # All of the activity's rows rather than an IN list: a list of thousands of ids hits SQLite's limit.
        existing = set(Registration.objects.filter(activity=activity).values_list("person_id", flat=True))
        new = [person for pk, person in unique.items() if pk not in existing]
        free = _free_places(locked)
        rows = [
            Registration(
                activity=activity,
                person=person,
                status=RegistrationStatus.REGISTERED
                if free is None or index < free
                else RegistrationStatus.WAITING,
            )
            for index, person in enumerate(new)
        ]
        created = Registration.objects.bulk_create(rows)
        log_entries(
            audit_entry(
                "registration.created", actor=actor, target=r, network=activity.network, fields=["status"]
            )
            for r in created
        )
        registered = [r for r in created if r.status == RegistrationStatus.REGISTERED]
        waiting = [r for r in created if r.status == RegistrationStatus.WAITING]
        emails.send_registration_emails(registered, emails.EmailKind.REGISTERED)
        emails.send_registration_emails(waiting, emails.EmailKind.WAITING)
    return AddResult(registered=len(registered), waiting=len(waiting), skipped=len(unique) - len(new))


# Attendance ---------------------------------------------------------------------------------------------


def parse_hours(text: str) -> Decimal | None:
    """Hours as typed: "4", "4,5" or "4.5"; empty is None (the default applies). ValueError otherwise."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def default_hours(activity: Activity, status: str) -> Decimal:
    return activity.hours if status == AttendanceStatus.ATTENDED else Decimal(0)


def _validated_rows(
    activity: Activity, rows: Sequence[AttendanceRow]
) -> dict[int, tuple[Person, str, Decimal]]:
    errors: list[ValidationError] = []
    result: dict[int, tuple[Person, str, Decimal]] = {}
    for person, status, hours in rows:
        if person.network_id != activity.network_id:
            errors.append(
                ValidationError(_("%(person)s is not in this network.") % {"person": person.full_name})
            )
            continue
        if status not in AttendanceStatus.values:
            errors.append(
                ValidationError(_("%(person)s: choose attended or absent.") % {"person": person.full_name})
            )
            continue
        if status == AttendanceStatus.ABSENT:
            # An absent person is credited nothing, whatever was typed in the hours field.
            value = Decimal(0)
        elif hours is None:
            value = default_hours(activity, status)
        elif hours < 0 or hours > MAX_HOURS:
            errors.append(
                ValidationError(
                    _("%(person)s: the hours must be between 0 and 999,99.") % {"person": person.full_name}
                )
            )
            continue
        elif hours != hours.quantize(Decimal("0.01")):
            errors.append(
                ValidationError(
                    _("%(person)s: the hours may have at most two decimals.") % {"person": person.full_name}
                )
            )
            continue
        else:
            value = hours
        # A person listed twice: the last row wins, as in a spreadsheet.
        result[person.pk] = (person, status, value.quantize(Decimal("0.01")))
    if errors:
        raise ValidationError(errors)
    return result


UPDATE_CHUNK = 500  # primary keys per UPDATE, well below SQLite's 999 parameters


def _update_grouped(rows: Sequence[Attendance], actor: User | None, now: dt.datetime) -> None:
    """One UPDATE per distinct (status, hours) rather than bulk_update's CASE per row and field, which
    Django builds slowly for hundreds of rows. A form has few distinct values (attended with the default,
    absent, a partial figure or two), so the number of statements stays small however many rows change."""
    groups: dict[tuple[str, Decimal], list[int]] = {}
    for row in rows:
        groups.setdefault((row.status, row.hours), []).append(row.pk)
    for (status, hours), pks in groups.items():
        for start in range(0, len(pks), UPDATE_CHUNK):
            Attendance.objects.filter(pk__in=pks[start : start + UPDATE_CHUNK]).update(
                status=status, hours=hours, recorded_by=actor, updated=now
            )


def record_attendance(
    activity: Activity, rows: Sequence[AttendanceRow], actor: User | None
) -> AttendanceResult:
    """Record attended/absent and credited hours for many persons in one transaction with a number of
    queries that does not grow with the rows: one read of the activity's attendance, a bulk insert, one
    update per distinct (status, hours) and a bulk insert of the audit entries.

    `hours` None means the default: the activity's hours when attended, 0 when absent. Unchanged rows are
    not written or audited."""
    wanted = _validated_rows(activity, rows)
    now = timezone.now()
    with transaction.atomic():
        _lock(activity)
        existing = {a.person_id: a for a in Attendance.objects.filter(activity=activity)}
        to_create: list[Attendance] = []
        to_update: list[Attendance] = []
        entries: list[AuditEntry] = []
        for person_id, (person, status, hours) in wanted.items():
            current = existing.get(person_id)
            if current is None:
                to_create.append(
                    Attendance(
                        activity=activity,
                        person=person,
                        status=status,
                        hours=hours,
                        recorded_by=actor,
                        updated=now,
                    )
                )
                continue
            changed = [
                name
                for name, value in (("status", status), ("hours", hours))
                if getattr(current, name) != value
            ]
            if not changed:
                continue
            current.status = status
            current.hours = hours
            current.recorded_by = actor
            current.updated = now
            current.person = person
            current.activity = activity
            to_update.append(current)
            entries.append(
                audit_entry(
                    "attendance.changed",
                    actor=actor,
                    target=current,
                    network=activity.network,
                    fields=changed,
                )
            )
        created = Attendance.objects.bulk_create(to_create)
        entries.extend(
            audit_entry(
                "attendance.recorded",
                actor=actor,
                target=a,
                network=activity.network,
                fields=["status", "hours"],
            )
            for a in created
        )
        _update_grouped(to_update, actor, now)
        log_entries(entries)
    return AttendanceResult(
        created=len(created), changed=len(to_update), unchanged=len(wanted) - len(created) - len(to_update)
    )


# Check-in -----------------------------------------------------------------------------------------------


def checkin_window(activity: Activity) -> tuple[dt.datetime, dt.datetime]:
    """When self check-in is open: from 2 hours before the start to the end of the last day (exclusive)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(activity.starts_on, activity.start_time or dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(activity.ends_on + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    return start - CHECKIN_OPENS_BEFORE, end


def checkin_closed_reason(activity: Activity, now: dt.datetime) -> str | None:
    opens, closes = checkin_window(activity)
    if opens <= now < closes:
        return None
    local_opens = timezone.localtime(opens)
    return _("Check-in for this activity opens %(date)s at %(time)s and closes at the end of %(end)s.") % {
        "date": _date(local_opens.date()),
        "time": formats.time_format(local_opens.time(), "H:i"),
        "end": _date(activity.ends_on),
    }


def check_in(activity: Activity, person: Person, *, now: dt.datetime | None = None) -> CheckInResult:
    """Mark `person` attended with the activity's hours, recording when they checked in. A second scan
    changes nothing and says so (`already`)."""
    _check_network(activity, person)
    moment = now or timezone.now()
    reason = checkin_closed_reason(activity, moment)
    if reason is not None:
        raise ValidationError(reason, code="closed")
    actor = person.user
    with transaction.atomic():
        _lock(activity)
        current = Attendance.objects.select_for_update().filter(activity=activity, person=person).first()
        if current is not None and current.status == AttendanceStatus.ATTENDED:
            return CheckInResult(attendance=current, already=True)
        if current is None:
            current = Attendance.objects.create(
                activity=activity,
                person=person,
                status=AttendanceStatus.ATTENDED,
                hours=activity.hours,
                checked_in_at=moment,
                recorded_by=actor,
            )
            fields = ["status", "hours", "checked_in_at"]
        else:
            fields = ["status", "checked_in_at"] + (["hours"] if current.hours != activity.hours else [])
            current.status = AttendanceStatus.ATTENDED
            current.hours = activity.hours
            current.checked_in_at = moment
            current.recorded_by = actor
            current.save(update_fields=["status", "hours", "checked_in_at", "recorded_by", "updated"])
        log_action(
            "attendance.checked_in", actor=actor, target=current, network=activity.network, fields=fields
        )
    return CheckInResult(attendance=current, already=False)
