"""The annual report (årsrapport, issue 8): one per network and year, generated from the data through one
facts object (reports/facts.py), with the coordinator's narrative per section (reports/sections.py).

A draft always shows today's facts. Publishing freezes the facts and the narratives into `snapshot`; a
published report shows only its snapshot, so later corrections to the data do not change it. `generated` is
the snapshot of the last time the coordinator regenerated the draft, so the editor can show what changed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fagnett.networks.models import Network


class ReportStatus(models.TextChoices):
    DRAFT = "utkast", _("Draft")
    PUBLISHED = "publisert", _("Published")


class AnnualReport(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=(MinValueValidator(1950), MaxValueValidator(2100))
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("When published, show the report on the network's public page."),
    )
    # {"facts": <annual_facts(...)>, "narratives": {section key: text}} frozen when published.
    snapshot = models.JSONField(_("published content"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Free-text evaluation answers (evaluations.Answer ids) the coordinator chose to quote in the report.
    chosen_quotes = models.JSONField(_("chosen quotes"), default=list, blank=True)
    # The facts as they were when the coordinator last regenerated the draft (for "what changed since").
    generated = models.JSONField(_("last generated facts"), null=True, blank=True, editable=False)
    generated_at = models.DateTimeField(_("last generated"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ("-year",)
        constraints = (models.UniqueConstraint(fields=("network", "year"), name="reports_report_unique"),)

    def __str__(self) -> str:
        return f"{self.network} {self.year}"

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class Narrative(models.Model):
    """The coordinator's text for one section of one report. `section` is a key of reports/sections.py
    (a chapter's sections are "chapter:<chapter slug>")."""

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("annual report"), on_delete=models.CASCADE, related_name="narratives"
    )
    section = models.CharField(_("section"), max_length=100)
    text = models.TextField(_("text"), blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")
        constraints = (
            models.UniqueConstraint(fields=("report", "section"), name="reports_narrative_unique"),
        )

    def __str__(self) -> str:
        return f"{self.report} – {self.section}"


def template_path(instance: ReportTemplate, filename: str) -> str:
    return f"reports/templates/{instance.network_id}/{instance.token}.docx"


class ReportTemplate(models.Model):
    """A network's own Word template (docxtpl placeholders, docs/reports.md). Only a template that rendered
    the network's facts without error is `active`; otherwise the default template stays in use."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="report_templates"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    file = models.FileField(_("Word template"), upload_to=template_path)
    original_name = models.CharField(_("file name"), max_length=255)
    active = models.BooleanField(_("in use"), default=False)
    error = models.TextField(_("error"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        ordering = ("-uploaded",)

    def __str__(self) -> str:
        return self.original_name
