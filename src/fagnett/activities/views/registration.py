"""Sign-up, participants, attendance and self check-in pages.

- signup: anyone with a person in the network (POST only; back to the activity page with a message).
- participants, attendance, checkin_display: those who manage the activity (activities.access); 404 for
  everyone else, as for a missing activity.
- checkin: the page a participant's phone opens from the room's QR code; the user's own person only.
- checkin_personal: the same without a login, for the person a signed personal link names
  (activities.checkin_links); 404 for a bad link.

Views parse, fetch through the access helpers, call one service in activities.registration and render;
the rows a page shows come from the small query functions below, each a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fagnett.accounts.current import acting_user
from fagnett.activities import registration as services
from fagnett.activities.access import activity_for_user
from fagnett.activities.checkin_links import person_for_token
from fagnett.activities.emails import format_hours, format_when
from fagnett.activities.leaders import LeaderInvites, invite_leaders, registered_person_ids
from fagnett.activities.models import (
    Activity,
    Attendance,
    AttendanceStatus,
    Audience,
    Registration,
    RegistrationStatus,
)
from fagnett.core.links import absolute_url
from fagnett.networks.access import Need, NetworkAccess, network_for_user
from fagnett.networks.forms import PersonChoiceField, add_service_error, date_field
from fagnett.networks.models import LocalChapter, Person

if TYPE_CHECKING:
    from fagnett.accounts.models import User


def _page(request: HttpRequest, template: str, access: NetworkAccess, **context: Any) -> HttpResponse:
    return render(
        request,
        f"activities/{template}",
        {"access": access, "network": access.network, "nav": "activities", **context},
    )


def _own_person(access: NetworkAccess) -> Person:
    """The user's own person in the network; 404 for users without one (leaders, readers)."""
    person = Person.objects.filter(network=access.network, pk__in=access.own_person_ids).first()
    if person is None:
        raise Http404
    return person


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# Sign-up ------------------------------------------------------------------------------------------------


@login_required
@require_POST
def signup(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.ANY)
    activity = activity_for_user(access, pk)
    person = _own_person(access)
    action = request.POST.get("action")
    before = (
        Registration.objects.filter(activity=activity, person=person).values_list("status", flat=True).first()
    )
    signed_up = before in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)
    title = activity.title
    if action == "signup":
        if signed_up:
            messages.info(request, _("You have already signed up for %(title)s.") % {"title": title})
        else:
            try:
                registration = services.register(activity, person, acting_user(request))
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                if registration.status == RegistrationStatus.REGISTERED:
                    text = _("You are registered for %(title)s. A confirmation is on its way to %(email)s.")
                    messages.success(request, text % {"title": title, "email": person.email})
                else:
                    text = _(
                        "%(title)s is full, so you are on the waiting list. You will get an e-mail if a "
                        "place becomes free."
                    )
                    messages.warning(request, text % {"title": title})
    elif action == "cancel":
        own = Registration.objects.filter(activity=activity, person=person).first()
        if own is None or not signed_up:
            messages.info(request, _("You were not registered for %(title)s.") % {"title": title})
        else:
            own.activity = activity
            own.person = person
            services.cancel(own, acting_user(request))
            messages.success(request, _("Your registration for %(title)s is cancelled.") % {"title": title})
    else:
        return HttpResponseBadRequest()
    # A sign-up button on another page (the person's competence plan) brings the person back there.
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("activities:activity_detail", slug, activity.pk)


# Participants -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantFacts:
    registered: list[Registration]
    waiting: list[Registration]
    cancelled: list[Registration]


def participant_facts(activity: Activity) -> ParticipantFacts:
    """The activity's registrations by status, in one query however many there are."""
    rows = list(
        Registration.objects.filter(activity=activity)
        .select_related("person")
        .order_by("registered_at", "pk")
    )
    return ParticipantFacts(
        registered=[r for r in rows if r.status == RegistrationStatus.REGISTERED],
        waiting=[r for r in rows if r.status == RegistrationStatus.WAITING],
        cancelled=[r for r in rows if r.status == RegistrationStatus.CANCELLED],
    )


class AddPersonForm(forms.Form):
    prefix = "person"
    person = PersonChoiceField(
        label=gettext_lazy("Person"),
        queryset=Person.objects.none(),
        empty_label=gettext_lazy("Choose person"),
        error_messages={"required": gettext_lazy("Choose the person to add.")},
    )

    def __init__(self, data: Any = None, *, access: NetworkAccess) -> None:
        super().__init__(data)
        field = cast("PersonChoiceField", self.fields["person"])
        field.queryset = access.editable_persons().order_by("last_name", "first_name", "pk")


class AddChapterForm(forms.Form):
    prefix = "chapter"
    chapter = forms.ModelChoiceField(
        label=gettext_lazy("Local chapter"),
        queryset=LocalChapter.objects.none(),
        empty_label=gettext_lazy("Choose local chapter"),
        error_messages={"required": gettext_lazy("Choose the local chapter.")},
    )
    started_since = date_field(gettext_lazy("Only those who started on or after"), required=False)

    def __init__(self, data: Any = None, *, access: NetworkAccess) -> None:
        super().__init__(data)
        self.fields["started_since"].help_text = gettext_lazy(
            "Leave empty for all active resource persons; choose a date for the new ones only."
        )
        field = cast("forms.ModelChoiceField[LocalChapter]", self.fields["chapter"])
        field.queryset = access.editable_chapters().order_by("name")


def _added_message(result: services.AddResult) -> str:
    return _(
        "%(registered)s registered, %(waiting)s on the waiting list, %(skipped)s skipped because they had "
        "already signed up or cancelled."
    ) % {"registered": result.registered, "waiting": result.waiting, "skipped": result.skipped}


def _leaders_message(invites: LeaderInvites | None) -> str:
    """The line managers part of a success message; empty when the audience has no line managers."""
    if invites is None:
        return ""
    text = _("Line managers: %(registered)s registered, %(emailed)s invited by e-mail.")
    return " " + text % {"registered": invites.registered_leaders, "emailed": invites.emailed_leaders}


def _add_and_invite(
    activity: Activity, persons: list[Person], actor: User
) -> tuple[services.AddResult, LeaderInvites | None]:
    """add_many, and for an activity with line managers in its audience also invite the line managers of
    those who were not signed up before (so adding the same chapter twice invites nobody twice)."""
    if activity.audience != Audience.WITH_LEADERS:
        return services.add_many(activity, persons, actor), None
    before = registered_person_ids(activity)
    result = services.add_many(activity, persons, actor)
    added = [person for person in persons if person.pk not in before]
    return result, invite_leaders(activity, added, actor)


@login_required
@require_http_methods(["GET", "POST"])
def participants(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.MANAGE)
    activity = activity_for_user(access, pk, manage=True)
    action = request.POST.get("action") if request.method == "POST" else None
    person_form = AddPersonForm(request.POST if action == "add_person" else None, access=access)
    chapter_form = AddChapterForm(request.POST if action == "add_chapter" else None, access=access)
    here = reverse("activities:participants", args=[slug, activity.pk])
    today = timezone.localdate()
    if action == "add_person" and person_form.is_valid():
        person = person_form.cleaned_data["person"]
        with_leaders = activity.audience == Audience.WITH_LEADERS
        was_signed_up = with_leaders and person.pk in registered_person_ids(activity)
        try:
            registration = services.register(activity, person, acting_user(request), as_coordinator=True)
        except ValidationError as error:
            add_service_error(person_form, error)
        else:
            if registration.status == RegistrationStatus.REGISTERED:
                text = _("%(name)s is registered.")
            else:
                text = _("%(name)s is on the waiting list.")
            invites = (
                invite_leaders(activity, [person], acting_user(request))
                if with_leaders and not was_signed_up
                else None
            )
            messages.success(request, text % {"name": person.full_name} + _leaders_message(invites))
            return redirect(here)
    elif action == "add_chapter" and chapter_form.is_valid():
        persons = services.active_resource_persons(
            chapter_form.cleaned_data["chapter"],
            today,
            started_since=chapter_form.cleaned_data["started_since"],
        )
        result, invites = _add_and_invite(activity, list(persons), acting_user(request))
        messages.success(request, _added_message(result) + _leaders_message(invites))
        return redirect(here)
    elif action == "add_members":
        chapter_ids = None if access.is_coordinator else access.chapter_ids
        persons = services.active_members(access.network, today, chapter_ids)
        result = services.add_many(activity, persons, acting_user(request))
        messages.success(request, _added_message(result))
        return redirect(here)
    elif action == "cancel":
        value = request.POST.get("registration", "")
        chosen = (
            Registration.objects.filter(activity=activity, pk=int(value)).select_related("person").first()
            if value.isdigit()
            else None
        )
        if chosen is None:
            raise Http404
        chosen.activity = activity
        promoted = services.cancel(chosen, acting_user(request))
        messages.success(
            request, _("The registration of %(name)s is cancelled.") % {"name": chosen.person.full_name}
        )
        if promoted:
            names = ", ".join(r.person.full_name for r in promoted)
            messages.info(request, _("Moved up from the waiting list: %(names)s.") % {"names": names})
        return redirect(here)
    elif action not in (None, "add_person", "add_chapter"):
        return HttpResponseBadRequest()
    facts = participant_facts(activity)
    return _page(
        request,
        "participants.html",
        access,
        activity=activity,
        when=format_when(activity),
        facts=facts,
        person_form=person_form,
        chapter_form=chapter_form,
        is_coordinator=access.is_coordinator,
    )


# Attendance ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceLine:
    person: Person
    registered: bool
    attendance: Attendance | None


def attendance_lines(activity: Activity) -> list[AttendanceLine]:
    """One line per registered person and per person with an attendance record (walk-ins who checked in,
    imported history), by name. Two queries however many there are."""
    registered = {
        r.person_id: r.person
        for r in Registration.objects.filter(
            activity=activity, status=RegistrationStatus.REGISTERED
        ).select_related("person")
    }
    recorded = {a.person_id: a for a in Attendance.objects.filter(activity=activity).select_related("person")}
    persons = dict(registered)
    for person_id, attendance in recorded.items():
        persons.setdefault(person_id, attendance.person)
    lines = [
        AttendanceLine(person=person, registered=pk in registered, attendance=recorded.get(pk))
        for pk, person in persons.items()
    ]
    lines.sort(
        key=lambda line: (line.person.last_name.lower(), line.person.first_name.lower(), line.person.pk)
    )
    return lines


@dataclass(frozen=True)
class AttendanceFormRow:
    line: AttendanceLine
    name: str
    legend: str
    status_name: str
    status_id: str
    status_value: str
    status_errors: str
    hours_name: str
    hours_id: str
    hours_label: str
    hours_value: str
    hours_errors: str


class HoursField(forms.CharField):
    """Hours with a decimal comma or point; empty means the default."""

    default_error_messages = {
        "invalid": gettext_lazy("Write the hours as a number, for example 4,5."),
        "range": gettext_lazy("The hours must be between 0 and 999,99."),
    }

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        try:
            hours = services.parse_hours(text or "")
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if hours is not None and not Decimal(0) <= hours <= services.MAX_HOURS:
            raise ValidationError(self.error_messages["range"], code="range")
        if hours is not None and hours != hours.quantize(Decimal("0.01")):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return hours


class AttendanceForm(forms.Form):
    """A status and an hours field per line: `status_<person pk>`, `hours_<person pk>`. The template draws
    the table itself; the form parses and validates."""

    def __init__(self, data: Any = None, *, lines: list[AttendanceLine]) -> None:
        super().__init__(data)
        self.lines = lines
        for line in lines:
            name = line.person.full_name
            attendance = line.attendance
            self.fields[f"status_{line.person.pk}"] = forms.ChoiceField(
                label=name,
                choices=AttendanceStatus.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=attendance.status if attendance else None,
            )
            self.fields[f"hours_{line.person.pk}"] = HoursField(
                label=_("Hours for %(name)s") % {"name": name},
                required=False,
                initial=format_hours(attendance.hours) if attendance else "",
            )

    def rows(self) -> list[AttendanceFormRow]:
        """Plain values for the template: drawing 300 rows from bound fields in the template language
        takes most of a second, reading them once here a fraction of it."""
        rows = []
        legend = _("Attendance for %(name)s")
        for line in self.lines:
            status = self[f"status_{line.person.pk}"]
            hours = self[f"hours_{line.person.pk}"]
            value = hours.value()
            rows.append(
                AttendanceFormRow(
                    line=line,
                    name=line.person.full_name,
                    legend=legend % {"name": line.person.full_name},
                    status_name=status.html_name,
                    status_id=status.auto_id,
                    status_value=str(status.value() or ""),
                    status_errors=" ".join(str(e) for e in status.errors),
                    hours_name=hours.html_name,
                    hours_id=hours.auto_id,
                    hours_label=str(hours.label),
                    hours_value="" if value is None else str(value),
                    hours_errors=" ".join(str(e) for e in hours.errors),
                )
            )
        return rows

    def attendance_rows(self, *, mark_all: bool) -> list[services.AttendanceRow]:
        """The rows to record: those with a status, and with `mark_all` also those without (as attended)."""
        rows: list[services.AttendanceRow] = []
        for line in self.lines:
            status = self.cleaned_data.get(f"status_{line.person.pk}") or (
                AttendanceStatus.ATTENDED if mark_all else ""
            )
            if status:
                rows.append((line.person, status, self.cleaned_data.get(f"hours_{line.person.pk}")))
        return rows


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.MANAGE)
    activity = activity_for_user(access, pk, manage=True)
    lines = attendance_lines(activity)
    form = AttendanceForm(request.POST if request.method == "POST" else None, lines=lines)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("save", "mark_all"):
            return HttpResponseBadRequest()
        if form.is_valid():
            try:
                result = services.record_attendance(
                    activity, form.attendance_rows(mark_all=action == "mark_all"), acting_user(request)
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                text = _("Attendance saved: %(created)s recorded, %(changed)s changed.")
                messages.success(request, text % {"created": result.created, "changed": result.changed})
                return redirect("activities:attendance", slug, activity.pk)
    attended = sum(
        1 for line in lines if line.attendance and line.attendance.status == AttendanceStatus.ATTENDED
    )
    return _page(
        request,
        "attendance.html",
        access,
        activity=activity,
        when=format_when(activity),
        form=form,
        rows=form.rows(),
        attended=attended,
        default_hours=format_hours(activity.hours),
        attended_value=AttendanceStatus.ATTENDED.value,
        attended_label=AttendanceStatus.ATTENDED.label,
        absent_value=AttendanceStatus.ABSENT.value,
        absent_label=AttendanceStatus.ABSENT.label,
    )


# Check-in -----------------------------------------------------------------------------------------------


def checkin_url(activity: Activity) -> str:
    return absolute_url(reverse("activities:checkin", args=[activity.checkin_token]))


def qr_svg(url: str, label: str) -> SafeString:
    """The URL as an inline SVG QR code (drawn here, nothing fetched), with a text alternative."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg: str = image.to_string(encoding="unicode")
    # The markup is generated from our own URL only; the label is escaped before it goes in.
    opening = format_html('<svg role="img" aria-label="{}" class="fn-qr" ', label)
    return mark_safe(svg.replace("<svg ", opening, 1))  # noqa: S308


def checked_in_count(activity: Activity) -> int:
    return Attendance.objects.filter(activity=activity, checked_in_at__isnull=False).count()


@login_required
@require_GET
def checkin_display(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.MANAGE)
    activity = activity_for_user(access, pk, manage=True)
    count = checked_in_count(activity)
    if request.headers.get("HX-Request") or request.GET.get("del") == "antall":
        return render(request, "activities/checkin_count.html", {"count": count, "activity": activity})
    url = checkin_url(activity)
    opens, closes = services.checkin_window(activity)
    return _page(
        request,
        "checkin_display.html",
        access,
        activity=activity,
        when=format_when(activity),
        url=url,
        qr=qr_svg(url, _("QR code for checking in to %(title)s") % {"title": activity.title}),
        count=count,
        opens=timezone.localtime(opens),
        closes=timezone.localtime(closes - dt.timedelta(minutes=1)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    activity = Activity.objects.select_related("network", "chapter").filter(checkin_token=token).first()
    if activity is None:
        raise Http404
    access = network_for_user(request.user, activity.network.slug, Need.ANY)
    person = _own_person(access)
    now = timezone.now()
    if request.method == "POST":
        try:
            result = services.check_in(activity, person, now=now)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            if result.already:
                messages.info(
                    request, _("You were already checked in to %(title)s.") % {"title": activity.title}
                )
            else:
                text = _("You are checked in to %(title)s. Welcome!")
                messages.success(request, text % {"title": activity.title})
        return redirect("activities:checkin", token)
    attendance_row = Attendance.objects.filter(
        activity=activity, person=person, status=AttendanceStatus.ATTENDED
    ).first()
    return _page(
        request,
        "checkin.html",
        access,
        activity=activity,
        when=format_when(activity),
        person=person,
        attendance=attendance_row,
        hours=format_hours(activity.hours),
        closed_reason=services.checkin_closed_reason(activity, now),
    )


@require_http_methods(["GET", "POST"])
def checkin_personal(request: HttpRequest, token: str, signed: str) -> HttpResponse:
    """Check in through the personal link from the confirmation e-mail. No login: the signed link is the
    proof of who it is for, so the page shows only the first name, never the e-mail or other details.
    CSRF protection stays on (the form carries the token)."""
    activity = Activity.objects.select_related("network").filter(checkin_token=token).first()
    if activity is None:
        raise Http404
    person = person_for_token(activity, signed)
    if person is None:
        raise Http404
    now = timezone.now()
    if request.method == "POST":
        try:
            result = services.check_in(activity, person, now=now)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            if result.already:
                messages.info(
                    request, _("You were already checked in to %(title)s.") % {"title": activity.title}
                )
            else:
                text = _("You are checked in to %(title)s. Welcome!")
                messages.success(request, text % {"title": activity.title})
        return redirect("activities:checkin_personal", token, signed)
    attendance_row = Attendance.objects.filter(
        activity=activity, person=person, status=AttendanceStatus.ATTENDED
    ).first()
    return render(
        request,
        "activities/checkin_personal.html",
        {
            "activity": activity,
            "when": format_when(activity),
            "first_name": person.first_name,
            "attendance": attendance_row,
            "hours": format_hours(activity.hours),
            "closed_reason": services.checkin_closed_reason(activity, now),
        },
    )
