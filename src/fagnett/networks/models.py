"""The roster: networks, their areas, chapters, groups, workplaces, persons and memberships.

Every row below a Network belongs to exactly one network (tenancy, ARCHITECTURE.md §3): a person who is in
two networks is two Person rows, one owned by each network, so that no coordinator can see or change what
another network holds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from fagnett.places.models import HealthRegion, HealthTrust, Municipality


def validate_organisation_number(value: str) -> None:
    """Norwegian organisation numbers: 9 digits, the last a modulus-11 check digit.

    Weights 3 2 7 6 5 4 3 2 over the first eight digits (Brønnøysundregistrene's rule).
    """
    if len(value) != 9 or not value.isdigit():
        raise ValidationError(_("An organisation number has 9 digits."), code="org_number_length")
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    remainder = sum(int(d) * w for d, w in zip(value[:8], weights, strict=True)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    if check == 10 or check != int(value[8]):
        raise ValidationError(
            _("%(value)s is not a valid organisation number (the check digit does not match)."),
            code="org_number_check_digit",
            params={"value": value},
        )


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
    shadowing_hours_per_day = models.DecimalField(
        _("supervision hours per day of job shadowing"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(4),
        help_text=_("Seed 003: each day of job shadowing counts as 4 hours of clinical supervision."),
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("municipalities in the area"), related_name="networks", blank=True
    )
    # The public page /nettverk/<slug>/ (issue 9): off until the network turns it on.
    public_page = models.BooleanField(
        _("public page"),
        default=False,
        help_text=_("Show a page about the network to everyone, without login."),
    )
    public_contact_email = models.EmailField(
        _("public contact e-mail"),
        blank=True,
        help_text=_("Shown on the public page; use a shared address rather than a person's own."),
    )
    newsletter_archive_public = models.BooleanField(
        _("public newsletter archive"),
        default=False,
        help_text=_("Show sent newsletters on the public page."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class LocalChapter(models.Model):
    """A local chapter (lokallag): part of a network's area with its own coordinators."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="chapters"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name (in addresses)"), max_length=80)
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("municipalities in the chapter's area"),
        related_name="chapters",
        blank=True,
    )

    class Meta:
        verbose_name = _("local chapter")
        verbose_name_plural = _("local chapters")
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(fields=("network", "slug"), name="networks_chapter_slug_unique"),
            models.UniqueConstraint(fields=("network", "name"), name="networks_chapter_name_unique"),
        )

    def __str__(self) -> str:
        return self.name


_V = TypeVar("_V", bound=models.Model)


class VocabularyQuerySet(models.QuerySet[_V]):
    def for_network(self, network: Network) -> VocabularyQuerySet[_V]:
        """The built-in entries plus the network's own."""
        return self.filter(Q(network__isnull=True) | Q(network=network))


class VocabularyEntry(models.Model):
    """An entry of a fixed vocabulary: built-in codes exist in every installation (created by migration,
    `network` empty); a network may add its own. Imports and the CLI accept the code or the name."""

    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty for the built-in entries every network has."),
    )

    class Meta:
        abstract = True
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(fields=("network", "code"), name="%(app_label)s_%(class)s_code_unique"),
            models.UniqueConstraint(
                fields=("code",),
                condition=Q(network__isnull=True),
                name="%(app_label)s_%(class)s_builtin_unique",
            ),
        )

    def __str__(self) -> str:
        return self.name


class ServiceType(VocabularyEntry):
    """Kind of workplace (tjenestetype)."""

    HOME_CARE = "hjemmetjeneste"
    NURSING_HOME = "sykehjem"
    HOSPITAL_UNIT = "sykehusavdeling"

    objects = VocabularyQuerySet["ServiceType"].as_manager()

    class Meta(VocabularyEntry.Meta):
        verbose_name = _("service type")
        verbose_name_plural = _("service types")


class Role(VocabularyEntry):
    """What a membership makes a person: resource person, working-group member, coordinator, …"""

    RESOURCE_PERSON = "ressursperson"
    WORKING_GROUP = "arbeidsgruppe"
    COORDINATOR = "koordinator"
    COORDINATING_CODES: ClassVar[tuple[str, ...]] = (COORDINATOR,)

    objects = VocabularyQuerySet["Role"].as_manager()

    class Meta(VocabularyEntry.Meta):
        verbose_name = _("role")
        verbose_name_plural = _("roles")


class Workplace(models.Model):
    """A workplace or unit (virksomhet/enhet) in a network's register.

    Municipal services have a municipality; hospital units have a health trust. Hospital units marked
    `in_scope` are part of the network's area for the coverage check.
    """

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="workplaces"
    )
    name = models.CharField(_("name"), max_length=200)
    service_type = models.ForeignKey(
        ServiceType, verbose_name=_("service type"), on_delete=models.PROTECT, related_name="workplaces"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workplaces",
    )
    health_trust = models.ForeignKey(
        HealthTrust,
        verbose_name=_("health trust"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workplaces",
    )
    organisation_number = models.CharField(
        _("organisation number"), max_length=9, blank=True, validators=[validate_organisation_number]
    )
    in_scope = models.BooleanField(
        _("in the coverage check"),
        default=False,
        help_text=_("Hospital units in the network's area that must each have a resource person."),
    )

    class Meta:
        verbose_name = _("workplace")
        verbose_name_plural = _("workplaces")
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(
                Lower("name"), "municipality", "service_type", "network", name="networks_workplace_unique"
            ),
        )

    def __str__(self) -> str:
        place = self.municipality or self.health_trust
        return f"{self.name} ({place})" if place else self.name


class CompetenceLevel(models.TextChoices):
    # The levels of the national action programme for palliative care (Nasjonalt handlingsprogram); seed
    # 003 asks resource nurses for at least level B.
    A = "A", _("A – basic competence")
    B = "B", _("B – extended competence")
    C = "C", _("C – specialist competence")


class Person(models.Model):
    """Health personnel (or another participant) in one network's roster. Never a patient."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="persons"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"), max_length=254)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    profession = models.CharField(_("profession"), max_length=100, blank=True)
    competence_level = models.CharField(
        _("competence level"), max_length=1, choices=CompetenceLevel.choices, blank=True
    )
    workplace = models.ForeignKey(
        Workplace,
        verbose_name=_("workplace"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="persons",
    )
    leader = models.ForeignKey(
        "self",
        verbose_name=_("line manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
        help_text=_("When the line manager is in the roster."),
    )
    leader_name = models.CharField(_("line manager's name"), max_length=200, blank=True)
    leader_email = models.EmailField(_("line manager's e-mail"), max_length=254, blank=True)
    public_consent = models.BooleanField(
        _("may be listed publicly"),
        default=False,
        help_text=_("The person has agreed that their name is shown on the network's public page."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="persons",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ("last_name", "first_name")
        constraints = (
            models.UniqueConstraint("network", Lower("email"), name="networks_person_email_ci_unique"),
            models.UniqueConstraint(fields=("network", "user"), name="networks_person_user_unique"),
        )

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def leader_display(self) -> str:
        if self.leader_id is not None and self.leader is not None:
            return self.leader.full_name
        return self.leader_name or self.leader_email


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
    chapter = models.ForeignKey(
        LocalChapter,
        verbose_name=_("local chapter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
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
        indexes = (
            models.Index(fields=("network", "role", "start", "end")),
            models.Index(fields=("person", "start")),
        )

    def __str__(self) -> str:
        return f"{self.person} – {self.role} ({self.network})"

    def is_active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


class GroupKind(models.TextChoices):
    STEERING = "styringsgruppe", _("Steering group")
    OPERATIONS = "driftsgruppe", _("Operations group")
    WORKING = "arbeidsgruppe", _("Working group")


class Group(models.Model):
    """A steering, operations or working group of a network (seed 002: "Organiseringen av nettverket")."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="groups"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=GroupKind.choices)
    name = models.CharField(_("name"), max_length=200)
    mandate = models.TextField(_("mandate"), blank=True)
    meetings_per_year = models.PositiveSmallIntegerField(_("meetings per year"), null=True, blank=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ("kind", "name")

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """A member of a group as the annual report lists them: name, title, workplace, function."""

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    workplace = models.CharField(_("workplace"), max_length=300, blank=True)
    function = models.CharField(_("function in the group"), max_length=200, blank=True)
    person = models.ForeignKey(
        Person, verbose_name=_("person in the roster"), null=True, blank=True, on_delete=models.SET_NULL
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ("position", "name")

    def __str__(self) -> str:
        return self.name


class CoverageScope(models.TextChoices):
    MUNICIPALITY = "kommune", _("Every municipality in the area")
    HOSPITAL_UNIT = "sykehusavdeling", _("Every hospital unit in scope")


class CoverageRule(models.Model):
    """One requirement of the coverage check (seed 002: "Alle kommuner i området har minst en ressursperson
    fra hjemmetjenesten, og en fra sykehjemmet", and every hospital unit in scope at least one).

    Only active resource-person memberships count; other roles do not.
    """

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="coverage_rules"
    )
    scope = models.CharField(_("applies to"), max_length=20, choices=CoverageScope.choices)
    service_type = models.ForeignKey(
        ServiceType,
        verbose_name=_("service type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For municipalities: the kind of workplace the resource persons must come from."),
    )
    minimum = models.PositiveSmallIntegerField(_("at least"), default=1)

    class Meta:
        verbose_name = _("coverage rule")
        verbose_name_plural = _("coverage rules")
        ordering = ("scope", "service_type__name")
        constraints = (
            models.UniqueConstraint(
                fields=("network", "scope", "service_type"), name="networks_coverage_rule_unique"
            ),
            models.CheckConstraint(
                condition=Q(scope="sykehusavdeling") | Q(service_type__isnull=False),
                name="networks_coverage_rule_municipality_needs_service_type",
            ),
        )

    def __str__(self) -> str:
        if self.scope == CoverageScope.HOSPITAL_UNIT:
            return str(_("≥ %(n)s resource person(s) in every hospital unit in scope") % {"n": self.minimum})
        return str(
            _("≥ %(n)s resource person(s) from %(type)s in every municipality")
            % {"n": self.minimum, "type": self.service_type}
        )


class NetworkReader(models.Model):
    """A user who may read a network's aggregates and reports, never persons' contact details."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="readers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="reader_of"
    )
    created = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("reader")
        verbose_name_plural = _("readers")
        constraints = (models.UniqueConstraint(fields=("network", "user"), name="networks_reader_unique"),)

    def __str__(self) -> str:
        return f"{self.user} ({self.network})"


class ReaderScopeKind(models.TextChoices):
    HEALTH_TRUST = "helseforetak", _("Every network in a health trust's area")
    HEALTH_REGION = "helseregion", _("Every network in a regional health authority's area")
    SITE = "alle", _("Every network")


class ReaderScope(models.Model):
    """Read access above the single network (issue 10): a reader of every network whose area reaches into a
    health trust's or a regional health authority's catchment area, or of every network (site-wide).

    Like NetworkReader it grants aggregates and published reports only, never persons' contact details.
    Granted by a site administrator in the admin, which audits the change. A network is in a trust's area when
    one of its municipalities belongs to the trust's catchment area (places.CatchmentArea).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reader_scopes",
    )
    kind = models.CharField(_("scope"), max_length=20, choices=ReaderScopeKind.choices)
    health_trust = models.ForeignKey(
        HealthTrust, verbose_name=_("health trust"), null=True, blank=True, on_delete=models.CASCADE
    )
    health_region = models.ForeignKey(
        HealthRegion, verbose_name=_("health region"), null=True, blank=True, on_delete=models.CASCADE
    )
    created = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("reader scope")
        verbose_name_plural = _("reader scopes")
        constraints = (
            models.CheckConstraint(
                condition=(
                    Q(kind="helseforetak", health_trust__isnull=False, health_region__isnull=True)
                    | Q(kind="helseregion", health_trust__isnull=True, health_region__isnull=False)
                    | Q(kind="alle", health_trust__isnull=True, health_region__isnull=True)
                ),
                name="networks_reader_scope_target",
            ),
        )

    def __str__(self) -> str:
        target = self.health_trust or self.health_region
        label = self.get_kind_display()
        return f"{self.user}: {label}" + (f" ({target})" if target else "")

    def clean(self) -> None:
        if self.kind == ReaderScopeKind.HEALTH_TRUST and self.health_trust is None:
            raise ValidationError({"health_trust": _("Choose the health trust.")})
        if self.kind == ReaderScopeKind.HEALTH_REGION and self.health_region is None:
            raise ValidationError({"health_region": _("Choose the regional health authority.")})
        if self.kind != ReaderScopeKind.HEALTH_TRUST:
            self.health_trust = None
        if self.kind != ReaderScopeKind.HEALTH_REGION:
            self.health_region = None
