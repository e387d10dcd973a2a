"""What a network set out to do and how far it got (issue 7).

- Dissemination plans (kompetansespredningsplan, seeds 000 and 004): measures with category, target groups,
  means and timeframe, a status per year, and the activities that carry them out.
- Goals (seed 001): a main goal, sub-goals with their actions, and per year whether each sub-goal was met.
- Result indicators (resultatmål): computed from Fagnett's own data or entered as aggregate counts — numbers
  only, never anything about a patient.
- Priority areas per year, economy per year, partner networks and a learning-resource list.

Everything belongs to one network; views fetch it through `fagnett.plans.access`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fagnett.activities.models import Activity
from fagnett.core.years import FIRST_YEAR, LAST_YEAR
from fagnett.networks.models import Network, VocabularyEntry, VocabularyQuerySet

YEAR_VALIDATORS = (MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR))


# --- Dissemination plans ------------------------------------------------------------------------------------


class MeasureCategory(VocabularyEntry):
    """Kind of measure (kompetansespredningstiltak). Built-in codes by migration; networks add their own."""

    objects = VocabularyQuerySet["MeasureCategory"].as_manager()

    class Meta(VocabularyEntry.Meta):
        verbose_name = _("measure category")
        verbose_name_plural = _("measure categories")


class TargetGroup(VocabularyEntry):
    """Who a measure is for: built-ins P, H, B, R (seed 004's letters), and the network's own ("LIS")."""

    objects = VocabularyQuerySet["TargetGroup"].as_manager()

    class Meta(VocabularyEntry.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ("code",)


class DisseminationPlan(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="dissemination_plans"
    )
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("from year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("to year"), validators=YEAR_VALIDATORS)
    introduction = models.TextField(_("introduction"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("dissemination plan")
        verbose_name_plural = _("dissemination plans")
        ordering = ("-start_year", "title")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")), name="plans_plan_years_ordered"
            ),
        )

    def __str__(self) -> str:
        return f"{self.title} {self.start_year}–{self.end_year}"


class MeasureStatus(models.TextChoices):
    PLANNED = "planlagt", _("Planned")
    ONGOING = "pagaende", _("Ongoing")
    DONE = "gjennomfort", _("Done")
    NOT_DONE = "ikke_gjennomfort", _("Not done")


class Measure(models.Model):
    """One row of the plan's table: measure | target group | means | timeframe."""

    plan = models.ForeignKey(
        DisseminationPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="measures"
    )
    category = models.ForeignKey(
        MeasureCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="measures"
    )
    title = models.CharField(_("measure"), max_length=300)
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), related_name="measures", blank=True
    )
    # One means (virkemiddel) per line; `means_list` splits them.
    means = models.TextField(_("means"), blank=True, help_text=_("One per line."))
    from_year = models.PositiveSmallIntegerField(
        _("from year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    to_year = models.PositiveSmallIntegerField(
        _("to year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    ongoing = models.BooleanField(_("ongoing"), default=False, help_text=_("No end: «løpende»."))
    timeframe_note = models.CharField(
        _("note on the timeframe"),
        max_length=200,
        blank=True,
        help_text=_("For example «minst hvert halvår»."),
    )
    priority_area = models.BooleanField(_("priority area"), default=False)
    is_new = models.BooleanField(_("new measure"), default=False, help_text=_("Otherwise continued."))
    # How often the measure should happen, e.g. network meetings 2–4 a year; compared with the linked count.
    per_year_min = models.PositiveSmallIntegerField(_("at least per year"), null=True, blank=True)
    per_year_max = models.PositiveSmallIntegerField(_("at most per year"), null=True, blank=True)
    # What carries the measure out: chosen activities and newsletters, and/or every activity of the given
    # kinds (list of fagnett.activities.models.ActivityKind values).
    activities = models.ManyToManyField(
        Activity, verbose_name=_("activities"), related_name="plan_measures", blank=True
    )
    activity_kinds = models.JSONField(_("activity kinds"), default=list, blank=True)
    newsletters = models.ManyToManyField(
        "newsletters.Newsletter", verbose_name=_("newsletters"), related_name="plan_measures", blank=True
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.title

    @property
    def means_list(self) -> list[str]:
        return [line.strip() for line in self.means.splitlines() if line.strip()]

    def applies_in(self, year: int) -> bool:
        """Whether the measure's timeframe includes `year` (no start = from the plan's start)."""
        start = self.from_year if self.from_year is not None else self.plan.start_year
        if self.ongoing:
            return year >= start
        end = self.to_year if self.to_year is not None else self.plan.end_year
        return start <= year <= end


class MeasureYear(models.Model):
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("status of a measure for a year")
        verbose_name_plural = _("statuses of measures by year")
        ordering = ("year",)
        constraints = (models.UniqueConstraint(fields=("measure", "year"), name="plans_measure_year_unique"),)

    def __str__(self) -> str:
        return f"{self.measure} {self.year}: {self.get_status_display()}"


# --- Goals --------------------------------------------------------------------------------------------------


class MainGoal(models.Model):
    """Hovedmål. A network may have several over time (one per project or strategy period)."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="main_goals"
    )
    text = models.TextField(_("main goal"))
    start_year = models.PositiveSmallIntegerField(
        _("from year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    end_year = models.PositiveSmallIntegerField(
        _("to year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("main goal")
        verbose_name_plural = _("main goals")
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.text[:80]


class SubGoal(models.Model):
    """Delmål. `label` is what the table's first column shows: "1", or "2,3,4" for grouped sub-goals."""

    main_goal = models.ForeignKey(
        MainGoal, verbose_name=_("main goal"), on_delete=models.CASCADE, related_name="sub_goals"
    )
    label = models.CharField(_("number"), max_length=20)
    description = models.TextField(_("description"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("sub-goal")
        verbose_name_plural = _("sub-goals")
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return f"{self.label} {self.description[:60]}"


class GoalAction(models.Model):
    """Tiltak under a sub-goal, lettered A, B, C … in order."""

    sub_goal = models.ForeignKey(
        SubGoal, verbose_name=_("sub-goal"), on_delete=models.CASCADE, related_name="actions"
    )
    text = models.TextField(_("action"))
    new_in_year = models.PositiveSmallIntegerField(
        _("new in year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.text[:80]


class Achievement(models.TextChoices):
    YES = "ja", _("Yes")
    PARTLY = "delvis", _("Partly")
    NO = "nei", _("No")


class SubGoalAssessment(models.Model):
    """Delmål oppnådd? for one year, with the narrative (why or why not)."""

    sub_goal = models.ForeignKey(
        SubGoal, verbose_name=_("sub-goal"), on_delete=models.CASCADE, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    achievement = models.CharField(_("achieved?"), max_length=10, choices=Achievement.choices)
    narrative = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("assessment of a sub-goal")
        verbose_name_plural = _("assessments of sub-goals")
        ordering = ("year",)
        constraints = (
            models.UniqueConstraint(fields=("sub_goal", "year"), name="plans_subgoal_assessment_unique"),
        )

    def __str__(self) -> str:
        return f"{self.sub_goal} {self.year}: {self.get_achievement_display()}"


# --- Result indicators --------------------------------------------------------------------------------------


class IndicatorSource(models.TextChoices):
    """Where an indicator's values come from. All but ENTERED are computed from Fagnett's data."""

    ACTIVITIES = "aktiviteter", _("Number of activities (of the chosen kinds)")
    PARTICIPANTS = "deltakere", _("Participants at activities (of the chosen kinds)")
    GUIDANCE = "veiledninger", _("Guidance sessions held")
    COURSES = "kurs", _("Courses held (introductory courses and courses)")
    NEWSLETTERS = "nyhetsbrev", _("Newsletters sent")
    SHADOWING_DAYS = "hospiteringsdager", _("Job-shadowing days")
    MEMBERS = "medlemmer", _("Active members at the end of the period")
    ENTERED = "registrert", _("Entered as aggregate counts")


class IndicatorPeriod(models.TextChoices):
    YEAR = "aar", _("Year")
    QUARTER = "kvartal", _("Quarter")
    MONTH = "maaned", _("Month")


class Indicator(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, blank=True, help_text=_("For example «barn/unge»."))
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=IndicatorSource.choices)
    # For ACTIVITIES and PARTICIPANTS: which ActivityKind values count (empty = all kinds).
    activity_kinds = models.JSONField(_("activity kinds"), default=list, blank=True)
    # For ENTERED: how often values are entered. Computed indicators are computed per month as needed.
    period = models.CharField(
        _("entered per"), max_length=10, choices=IndicatorPeriod.choices, default=IndicatorPeriod.YEAR
    )
    yearly_target = models.DecimalField(
        _("target per year"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    footnote = models.CharField(_("footnote"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("result indicator")
        verbose_name_plural = _("result indicators")
        ordering = ("position", "name")
        constraints = (
            models.UniqueConstraint(fields=("network", "name"), name="plans_indicator_name_unique"),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def is_computed(self) -> bool:
        return self.source != IndicatorSource.ENTERED


class IndicatorValue(models.Model):
    """An entered aggregate count. `period` is 0 for a whole year, 1–4 for quarters, 1–12 for months, as the
    indicator's `period` says. A number and nothing else: no comment field, so no free text about a
    patient."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    period = models.PositiveSmallIntegerField(_("period"), default=0, validators=(MaxValueValidator(12),))
    value = models.DecimalField(
        _("value"), max_digits=12, decimal_places=2, validators=(MinValueValidator(Decimal(0)),)
    )

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ("year", "period")
        constraints = (
            models.UniqueConstraint(
                fields=("indicator", "year", "period"), name="plans_indicator_value_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}/{self.period}: {self.value}"


# --- Priority areas, economy, partners, learning resources --------------------------------------------------


class PriorityKind(models.TextChoices):
    CONTINUED = "videre", _("Continued")
    NEW = "ny", _("New")


class PriorityArea(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="priority_areas"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("new or continued"), max_length=10, choices=PriorityKind.choices)
    title = models.CharField(_("priority area"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")
        ordering = ("year", "kind", "position", "pk")

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"


class EconomyKind(models.TextChoices):
    GRANT = "tilskudd", _("Grant")
    COURSE_FEES = "kursavgift", _("Course fees")
    OTHER_INCOME = "annen_inntekt", _("Other income")
    COST = "kostnad", _("Cost")


class EconomyLine(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="economy_lines"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("kind"), max_length=20, choices=EconomyKind.choices)
    source = models.CharField(
        _("source or description"), max_length=300, help_text=_("Who gave the grant, or what the line is.")
    )
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    amount = models.DecimalField(
        _("amount (NOK)"), max_digits=12, decimal_places=2, validators=(MinValueValidator(Decimal(0)),)
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("economy line")
        verbose_name_plural = _("economy lines")
        ordering = ("year", "kind", "position", "pk")

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}: {self.source}"


class Partner(models.Model):
    """A network the network collaborates with (samarbeid med andre nettverk)."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    link = models.URLField(_("web address"), blank=True)
    collaboration = models.TextField(_("what we do together"), blank=True)
    since_year = models.PositiveSmallIntegerField(
        _("since"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    until_year = models.PositiveSmallIntegerField(
        _("until"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    # When the partner is itself a network in Fagnett.
    partner_network = models.ForeignKey(
        Network,
        verbose_name=_("network in Fagnett"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_of",
    )

    class Meta:
        verbose_name = _("partner network")
        verbose_name_plural = _("partner networks")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def active_in(self, year: int) -> bool:
        return (self.since_year is None or self.since_year <= year) and (
            self.until_year is None or year <= self.until_year
        )


class ResourceKind(models.TextChoices):
    BOOK = "bok", _("Book")
    GUIDELINE = "retningslinje", _("Guideline")
    ELEARNING = "e-laering", _("E-learning")
    VIDEO = "video", _("Video")
    ARTICLE = "artikkel", _("Article")
    WEB = "nettside", _("Web page")
    OTHER = "annet", _("Other")


class LearningResource(models.Model):
    """An entry of the network's literature and learning-resource list."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="learning_resources"
    )
    title = models.CharField(_("title"), max_length=300)
    author = models.CharField(_("author or publisher"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    link = models.URLField(_("link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    activities = models.ManyToManyField(
        Activity, verbose_name=_("activities"), related_name="learning_resources", blank=True
    )
    requirements = models.ManyToManyField(
        "competence.Requirement",
        verbose_name=_("competence-plan requirements"),
        related_name="learning_resources",
        blank=True,
    )

    class Meta:
        verbose_name = _("learning resource")
        verbose_name_plural = _("learning resources")
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title


def as_json_number(value: Decimal | int | None) -> Any:
    """Decimals as ints when whole, for JSON output and tables ("12", not "12.00")."""
    if value is None:
        return None
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return float(value) if isinstance(value, Decimal) else value
