"""Activities of a network (courses, gatherings, study days, …), who registered, who attended, and job
shadowing. Every row is reached from its network (ARCHITECTURE.md §3)."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fagnett.networks.models import LocalChapter, Network, Person, Workplace


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_verification_code() -> str:
    # Ten characters from an alphabet without look-alikes (0/O, 1/I/L), easy to read off a printed page.
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class ActivityKind(models.TextChoices):
    INTRO_COURSE = "introduksjonskurs", _("Introductory course")
    GATHERING = "nettverkssamling", _("Network gathering")
    STUDY_DAY = "fagdag", _("Study day")
    CONFERENCE = "konferanse", _("Conference")
    COURSE = "kurs", _("Course")
    WEBINAR = "webinar", _("Webinar / e-learning")
    WORKING_GROUP_MEETING = "arbeidsgruppemote", _("Working-group meeting")
    GUIDANCE = "veiledning", _("Guidance")
    TEACHING = "undervisning", _("Teaching")
    REFLECTION = "refleksjon", _("Reflection")
    WORKSHOP = "workshop", _("Workshop")
    OTHER = "annet", _("Other")


class Audience(models.TextChoices):
    RESOURCE_PERSONS = "ressurspersoner", _("Resource persons")
    WITH_LEADERS = "med_ledere", _("Resource persons and their line managers")
    OPEN = "aapen", _("Open to others")


class Theme(models.Model):
    """A theme (tag) reused across a network's activities."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="themes"
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ("name",)
        constraints = (models.UniqueConstraint("network", Lower("name"), name="activities_theme_unique"),)

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="activities"
    )
    chapter = models.ForeignKey(
        LocalChapter,
        verbose_name=_("organised by local chapter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        help_text=_("Empty when the network itself organises the activity."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="activities", blank=True)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    hours = models.DecimalField(
        _("credited hours"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("The hours an attendee is credited with, for example towards a competence plan."),
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("digital link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.RESOURCE_PERSONS
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    registration_deadline = models.DateField(_("registration deadline"), null=True, blank=True)
    other_participants = models.PositiveIntegerField(
        _("other participants"), default=0, help_text=_("Participants who are not in the network's roster.")
    )
    checkin_token = models.CharField(max_length=64, default=new_token, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ("starts_on", "start_time", "title")
        indexes = (models.Index(fields=("network", "starts_on")),)
        constraints = (
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="activities_end_after_start"
            ),
        )

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on:%d.%m.%Y})"

    @property
    def is_open(self) -> bool:
        return self.audience == Audience.OPEN


class ProgrammeItem(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="programme"
    )
    day = models.DateField(_("day"), null=True, blank=True)
    time = models.TimeField(_("time"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    speaker_organisation = models.CharField(_("speaker's organisation"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ("position", "day", "time")

    def __str__(self) -> str:
        return self.title


class LiteratureItem(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="literature"
    )
    title = models.CharField(_("title"), max_length=300)
    link = models.URLField(_("link"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("recommended literature")
        verbose_name_plural = _("recommended literature")
        ordering = ("position", "title")

    def __str__(self) -> str:
        return self.title


class RegistrationStatus(models.TextChoices):
    REGISTERED = "paameldt", _("Registered")
    WAITING = "venteliste", _("On the waiting list")
    CANCELLED = "avmeldt", pgettext_lazy("registration status", "Cancelled")


class Registration(models.Model):
    """A person's sign-up. The waiting list is ordered by `registered_at`; cancelling a registered place
    promotes the first on the list (activities.services)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="registrations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ("registered_at", "pk")
        constraints = (
            models.UniqueConstraint(fields=("activity", "person"), name="activities_registration_unique"),
        )

    def __str__(self) -> str:
        return f"{self.person} – {self.activity}"


class AttendanceStatus(models.TextChoices):
    ATTENDED = "deltatt", _("Attended")
    ABSENT = "fravaer", _("Absent")


class Attendance(models.Model):
    """Whether a person attended, and the hours they are credited with (partial attendance allowed)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(_("status"), max_length=10, choices=AttendanceStatus.choices)
    hours = models.DecimalField(
        _("credited hours"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    verification_code = models.CharField(
        _("verification code"), max_length=10, default=new_verification_code, unique=True, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = (
            models.UniqueConstraint(fields=("activity", "person"), name="activities_attendance_unique"),
        )

    def __str__(self) -> str:
        return f"{self.person} – {self.activity}: {self.get_status_display()}"


class ShadowingStatus(models.TextChoices):
    PLANNED = "planlagt", _("Planned")
    DONE = "gjennomfort", _("Completed")
    CANCELLED = "avlyst", pgettext_lazy("job shadowing status", "Cancelled")


class Shadowing(models.Model):
    """Job shadowing (hospitering): a person spends days at a host workplace. Seed 003: 1–3 days in the first
    year; each day counts as 4 hours of clinical supervision (Network.shadowing_hours_per_day)."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="shadowings"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="shadowings"
    )
    host = models.ForeignKey(
        Workplace,
        verbose_name=_("host workplace"),
        on_delete=models.PROTECT,
        related_name="hosted_shadowings",
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    days = models.DecimalField(
        _("days"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(10))],
        help_text=_("0.5 to 10; the competence plan recommends 1 to 3."),
    )
    goals = models.TextField(_("goals"), blank=True)
    reflection = models.TextField(_("reflection note"), blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=ShadowingStatus.choices, default=ShadowingStatus.PLANNED
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("job shadowing")
        verbose_name_plural = _("job shadowing")
        ordering = ("-starts_on",)
        constraints = (
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="activities_shadowing_dates"
            ),
            models.CheckConstraint(
                condition=Q(days__gte=Decimal("0.5"), days__lte=10), name="activities_shadowing_days"
            ),
        )

    def __str__(self) -> str:
        return f"{self.person} → {self.host} ({self.starts_on:%d.%m.%Y})"

    def supervision_hours(self, hours_per_day: Decimal) -> Decimal:
        return self.days * hours_per_day


class CalendarFeed(models.Model):
    """A person's private calendar feed. The token is the only secret; revoking makes a new one."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, default=new_token, unique=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.person}"


def activity_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """An activity belongs to the year of its start date."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
