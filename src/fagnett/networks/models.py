from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from fagnett.places.models import Municipality


class Network(models.Model):
    """A competence network (kompetansenettverk). Everything a coordinator sees is reached from one."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name (in addresses)"), max_length=80, unique=True)
    purpose = models.TextField(_("purpose"), blank=True)
    established_year = models.PositiveSmallIntegerField(_("year established"), null=True, blank=True)
    initiative = models.CharField(_("established on whose initiative"), max_length=300, blank=True)
    anchoring = models.TextField(_("anchoring agreement"), blank=True)
    anchoring_reference = models.CharField(_("anchoring agreement reference"), max_length=300, blank=True)
    owner_organisation = models.CharField(_("owner organisation"), max_length=300, blank=True)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("municipalities in the area"), related_name="networks", blank=True
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Health personnel known to one or more networks. Never a patient."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"), max_length=254)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    profession = models.CharField(_("profession"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ("last_name", "first_name")
        constraints = (models.UniqueConstraint(Lower("email"), name="networks_person_email_ci_unique"),)

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Role(models.Model):
    """What a membership makes a person: resource person, working-group member, coordinator, …

    The built-in codes exist in every installation (created by migration); a network may add its own.
    """

    RESOURCE_PERSON = "ressursperson"
    WORKING_GROUP = "arbeidsgruppe"
    COORDINATOR = "koordinator"
    COORDINATING_CODES: ClassVar[tuple[str, ...]] = (COORDINATOR,)

    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
        help_text=_("Empty for the built-in roles every network has."),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(fields=("network", "code"), name="networks_role_code_unique_per_network"),
            models.UniqueConstraint(
                fields=("code",), condition=Q(network__isnull=True), name="networks_role_builtin_code_unique"
            ),
        )

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active_on(self, day: dt.date) -> MembershipQuerySet:
        """Active from the start date to the end date, both included."""
        return self.filter(Q(start__lte=day), Q(end__isnull=True) | Q(end__gte=day))


class Membership(models.Model):
    """A person's place in a network over a period. Ending one sets `end`; history is never deleted."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="memberships"
    )
    start = models.DateField(_("start date"))
    end = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ("-start",)
        constraints = (
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="networks_membership_end_not_before_start",
            ),
        )
        indexes = (models.Index(fields=("network", "role", "start", "end")),)

    def __str__(self) -> str:
        return f"{self.person} – {self.role} ({self.network})"

    def is_active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)
