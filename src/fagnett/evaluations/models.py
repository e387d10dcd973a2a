"""Evaluation forms, their use on activities, and the responses.

Anonymity is a property of what is stored, not of what is shown: an anonymous response holds no user, no
IP address, no single-use link and only the day it was given. The single-use links mailed to attendees
(AnswerLink) are created in bulk and stored only as hashes, with no person; using one marks it used, and the
response made with it does not point back to it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fagnett.activities.models import Activity
from fagnett.networks.models import Network

SCALE_MIN = 1
SCALE_MAX = 5


def new_short_code() -> str:
    # 8 characters from a 32-letter alphabet without look-alikes, easy to type from a projector.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class EvaluationForm(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="evaluation_forms"
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Anonymous forms store no name, user, IP address or time of day with a response."),
    )
    is_template = models.BooleanField(
        _("reusable template"), default=False, help_text=_("Offered as a starting point for new forms.")
    )
    min_responses_shown = models.PositiveSmallIntegerField(
        _("fewest responses before results are shown"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("With fewer responses only their number is shown, so nobody can be recognised."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("evaluation form")
        verbose_name_plural = _("evaluation forms")
        ordering = ("network", "title", "pk")

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    form = models.ForeignKey(
        EvaluationForm, verbose_name=_("form"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ("form", "position", "pk")

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale 1–5")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


class Question(models.Model):
    form = models.ForeignKey(
        EvaluationForm, verbose_name=_("form"), on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
    )
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=False)
    scale_min_label = models.CharField(_("label at 1"), max_length=100, blank=True)
    scale_max_label = models.CharField(_("label at 5"), max_length=100, blank=True)
    # The column this question came from in a Nettskjema report ("radio", "checkbox" for checkbox.*),
    # so a second import of the same report maps to the same questions.
    external_key = models.CharField(_("Nettskjema column"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ("form", "position", "pk")

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    text = models.CharField(_("option"), max_length=300)
    # The option's value in a Nettskjema report: the suffix of a checkbox column or a radio value.
    external_key = models.CharField(_("Nettskjema value"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ("question", "position", "pk")

    def __str__(self) -> str:
        return self.text


class Evaluation(models.Model):
    """A form in use on one activity: when it is open, and whether attendees get the link by e-mail."""

    form = models.ForeignKey(
        EvaluationForm, verbose_name=_("form"), on_delete=models.PROTECT, related_name="evaluations"
    )
    activity = models.OneToOneField(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="evaluation"
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    email_attendees = models.BooleanField(
        _("e-mail the link to attendees when the activity ends"), default=False
    )
    emailed_at = models.DateTimeField(_("link e-mailed"), null=True, blank=True)
    short_code = models.CharField(
        _("short link"), max_length=16, unique=True, default=new_short_code, editable=False
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ("-activity__starts_on", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="evaluations_closes_after_opens"
            ),
        )

    def __str__(self) -> str:
        return f"{self.form} – {self.activity}"


class AnswerLink(models.Model):
    """A single-use link mailed to one attendee. Only the token's SHA-256 is stored and no person, so a
    response cannot be traced back to who received the link."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(_("used"), default=False)

    class Meta:
        verbose_name = _("answer link")
        verbose_name_plural = _("answer links")

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {'used' if self.used else 'unused'}"


class ResponseSource(models.TextChoices):
    WEB = "web", _("Answered in Fagnett")
    NETTSKJEMA = "nettskjema", _("Imported from Nettskjema")


class Response(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="responses"
    )
    # The day only: a time of day could be matched against who left the room when.
    submitted_on = models.DateField(_("submitted"))
    source = models.CharField(
        _("source"), max_length=12, choices=ResponseSource.choices, default=ResponseSource.WEB
    )
    # Nettskjema's $submission_id, so importing the same report twice adds nothing.
    external_id = models.CharField(_("Nettskjema submission"), max_length=50, blank=True)
    # Only on a non-anonymous form (shown to the respondent before they answer).
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    respondent_name = models.CharField(_("respondent's name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ("evaluation", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=("evaluation", "external_id"),
                condition=~Q(external_id=""),
                name="evaluations_response_external_id_unique",
            ),
        )

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.submitted_on:%d.%m.%Y}"


class Answer(models.Model):
    """One answer to one question; a multiple-choice answer is one row per chosen option."""

    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    option = models.ForeignKey(
        Option, verbose_name=_("option"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    number = models.PositiveSmallIntegerField(
        _("scale value"),
        null=True,
        blank=True,
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
    )
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = (models.Index(fields=("question", "option")),)

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"
