"""Reference data about Norwegian places and the specialist health service.

The rows are loaded by data migrations from the CSV files in ``fagnett/places/data`` (see
docs/reference-data.md) and are not meant to be edited by hand. Official numbers are stored as strings so
that leading zeros survive ("0301" is Oslo).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HealthRegion(models.Model):
    """A regional health authority (regionalt helseforetak, RHF), e.g. "Helse Vest RHF"."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("health region")
        verbose_name_plural = _("health regions")

    def __str__(self) -> str:
        return self.name


class HealthTrust(models.Model):
    """A health trust (helseforetak, HF) or a private non-profit hospital with its own catchment area."""

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("Full name."))
    short_name = models.CharField(
        _("short name"),
        max_length=50,
        unique=True,
        help_text=_("The name of the catchment area (opptaksområde), e.g. “Stavanger”."),
    )
    region = models.ForeignKey(
        HealthRegion, on_delete=models.PROTECT, related_name="trusts", verbose_name=_("health region")
    )
    ownership = models.CharField(
        _("ownership"), max_length=100, help_text=_("E.g. “HF”, or a private non-profit hospital.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("health trust")
        verbose_name_plural = _("health trusts")

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    """A county (fylke)."""

    number = models.CharField(_("number"), max_length=2, unique=True)
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Official name, with Sami and Kven forms.")
    )
    short_name = models.CharField(_("short name"), max_length=50)
    region = models.ForeignKey(
        HealthRegion, on_delete=models.PROTECT, related_name="counties", verbose_name=_("health region")
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A municipality (kommune)."""

    number = models.CharField(_("number"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    display_name = models.CharField(
        _("display name"),
        max_length=150,
        help_text=_("The name, with the county added when two municipalities share a name."),
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )
    health_trusts: models.ManyToManyField[HealthTrust, CatchmentArea] = models.ManyToManyField(
        HealthTrust,
        through="CatchmentArea",
        related_name="municipalities",
        verbose_name=_("health trusts"),
    )

    class Meta:
        ordering = ["display_name", "number"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.display_name


class CatchmentArea(models.Model):
    """The area a health trust serves: a whole municipality, or a city district (bydel) of Oslo."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "kommune", _("municipality")
        DISTRICT = "bydel", _("city district")

    code = models.CharField(
        _("code"),
        max_length=6,
        unique=True,
        help_text=_("The municipality number (4 digits) or city district number (6 digits)."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="catchment_areas", verbose_name=_("municipality")
    )
    health_trust = models.ForeignKey(
        HealthTrust, on_delete=models.PROTECT, related_name="catchment_areas", verbose_name=_("health trust")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("catchment area")
        verbose_name_plural = _("catchment areas")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
