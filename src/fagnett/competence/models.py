"""A network's competence plan: the requirements its resource persons must meet. A plan is versioned by
validity date; statuses are never stored but computed from attendance and job shadowing (engine.py)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fagnett.networks.models import Network, Person


class CompetencePlan(models.Model):
    """The plan for a year is the one with the latest `valid_from` on or before the evaluation date."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="competence_plans"
    )
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    min_months_for_yearly = models.PositiveSmallIntegerField(
        _("months of membership for yearly requirements"),
        default=6,
        help_text=_(
            "A yearly requirement applies in a year the person was a member for at least this many months."
        ),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("competence plan")
        verbose_name_plural = _("competence plans")
        ordering = ("network", "-valid_from")
        constraints = (
            models.UniqueConstraint(
                fields=("network", "valid_from"), name="competence_plan_valid_from_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d.%m.%Y})"


class RequirementKind(models.TextChoices):
    ONCE = "once", _("Once, within some months of joining")
    YEARLY_COUNT = "yearly_count", _("Every year: a number of activities")
    YEARLY_HOURS = "yearly_hours", _("Every year: a number of credited hours")


class CompetenceStatus(models.TextChoices):
    MET = "met", _("Met")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Requirement(models.Model):
    plan = models.ForeignKey(
        CompetencePlan,
        verbose_name=_("competence plan"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    code = models.SlugField(
        _("code"), max_length=50, help_text=_("A stable name used by exports and the CLI.")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=RequirementKind.choices)
    activity_kinds = models.JSONField(
        _("activity kinds"), default=list, blank=True, help_text=_("The kinds of activity that count.")
    )
    within_months = models.PositiveSmallIntegerField(
        _("within months of joining"), null=True, blank=True, help_text=_("Only for once-requirements.")
    )
    min_count = models.PositiveSmallIntegerField(_("minimum number of activities"), default=1)
    min_hours = models.DecimalField(
        _("minimum credited hours"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    min_shadowing_days = models.DecimalField(
        _("minimum days of job shadowing"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("For a once-requirement met by job shadowing."),
    )
    remind_leader = models.BooleanField(
        _("also remind the line manager"),
        default=False,
        help_text=_("For a once-requirement: reminders also go to the person's line manager."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ("plan", "position", "code")
        constraints = (
            models.UniqueConstraint(fields=("plan", "code"), name="competence_requirement_code_unique"),
        )

    def __str__(self) -> str:
        return self.name


class ReminderPreference(models.Model):
    """A person's choice about competence-plan reminders. No row means the default: reminders on."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="reminder_preference"
    )
    enabled = models.BooleanField(_("send me reminders about my competence plan"), default=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self) -> str:
        return f"{self.person}: {self.enabled}"


class ReminderMoment(models.TextChoices):
    UPCOMING = "upcoming", _("Deadline in 60 days")
    OVERDUE = "overdue", _("Overdue")


class DigestState(models.TextChoices):
    # Claimed and committed before the SMTP conversation: a digest left in SENDING after a crash is never
    # sent again, because nobody can know whether the server accepted it.
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ReminderDigest(models.Model):
    """One e-mail to one person (and, for requirements that say so, a copy to their line manager)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="reminder_digests"
    )
    email = models.EmailField(_("e-mail address"), max_length=254)
    leader_email = models.EmailField(_("line manager's e-mail"), max_length=254, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=DigestState.choices)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"))
    sent = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder e-mail")
        verbose_name_plural = _("reminder e-mails")
        ordering = ("-created",)
        indexes = (models.Index(fields=("person", "created")),)

    def __str__(self) -> str:
        return f"{self.email} {self.created:%d.%m.%Y}"


class Reminder(models.Model):
    """One reminder about one requirement at one moment (60 days before the deadline, or overdue). Unique,
    so the same reminder is never sent twice whatever happens to the process."""

    digest = models.ForeignKey(
        ReminderDigest, verbose_name=_("reminder e-mail"), on_delete=models.CASCADE, related_name="items"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE)
    requirement_code = models.SlugField(_("requirement"), max_length=50)
    moment = models.CharField(_("moment"), max_length=10, choices=ReminderMoment.choices)
    deadline = models.DateField(_("deadline"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = (
            models.UniqueConstraint(
                fields=("person", "requirement_code", "moment", "deadline"), name="competence_reminder_once"
            ),
        )

    def __str__(self) -> str:
        return f"{self.person} {self.requirement_code} {self.moment}"
