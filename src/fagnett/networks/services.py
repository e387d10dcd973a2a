"""Every write to the roster goes through these functions (ARCHITECTURE.md §2).

Each validates, writes inside one transaction and logs one audit entry per change with the names of the
changed fields. Views, the import and the CLI all call them; none writes these models directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fagnett.audit.services import log_action
from fagnett.networks.models import (
    CoverageRule,
    CoverageScope,
    LocalChapter,
    Membership,
    Network,
    Person,
    Role,
    ServiceType,
    Workplace,
)
from fagnett.places.models import HealthTrust, Municipality

if TYPE_CHECKING:
    from fagnett.accounts.models import User

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "profession",
    "competence_level",
    "workplace",
    "leader",
    "leader_name",
    "leader_email",
    "public_consent",
)


@dataclass
class PersonData:
    first_name: str
    last_name: str
    email: str
    phone: str = ""
    profession: str = ""
    competence_level: str = ""
    workplace: Workplace | None = None
    leader: Person | None = None
    leader_name: str = ""
    leader_email: str = ""
    public_consent: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _check_network(network: Network, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and getattr(obj, "network_id", network.pk) not in (network.pk, None):
            raise ValidationError(_("%(object)s belongs to another network.") % {"object": obj})


@transaction.atomic
def create_person(network: Network, data: PersonData, *, actor: User | None) -> Person:
    _check_network(network, data.workplace, data.leader)
    email = data.email.strip()
    if Person.objects.filter(network=network, email__iexact=email).exists():
        raise ValidationError({"email": _("A person with this e-mail address is already in the network.")})
    person = Person(network=network, **{name: getattr(data, name) for name in PERSON_FIELDS})
    person.email = email
    person.full_clean(exclude=["network", "workplace", "leader", "user"])
    person.save()
    log_action("person.created", actor=actor, target=person, network=network)
    return person


@transaction.atomic
def update_person(person: Person, changes: dict[str, Any], *, actor: User | None) -> list[str]:
    """Apply `changes` (field name → value); returns the names of the fields that really changed."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"not person fields: {sorted(unknown)}")
    _check_network(person.network, changes.get("workplace"), changes.get("leader"))
    if "email" in changes:
        email = str(changes["email"]).strip()
        changes["email"] = email
        clash = Person.objects.filter(network_id=person.network_id, email__iexact=email).exclude(pk=person.pk)
        if clash.exists():
            raise ValidationError(
                {"email": _("A person with this e-mail address is already in the network.")}
            )
    if changes.get("leader") is not None and changes["leader"].pk == person.pk:
        raise ValidationError({"leader": _("A person cannot be their own line manager.")})
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(person, name, changes[name])
    person.full_clean(exclude=["network", "workplace", "leader", "user"])
    person.save()
    log_action("person.updated", actor=actor, target=person, network=person.network, fields=changed)
    return changed


def _overlaps(
    person: Person, role: Role, start: dt.date, end: dt.date | None, exclude: int | None = None
) -> bool:
    others = Membership.objects.filter(person=person, role=role).exclude(end__lt=start)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if end is not None:
        others = others.exclude(start__gt=end)
    return others.exists()


@transaction.atomic
def add_membership(
    person: Person,
    *,
    role: Role,
    start: dt.date,
    actor: User | None,
    chapter: LocalChapter | None = None,
    end: dt.date | None = None,
    end_reason: str = "",
) -> Membership:
    network = person.network
    _check_network(network, role, chapter)
    if end is not None and end < start:
        raise ValidationError({"end": _("The end date cannot be before the start date.")})
    if _overlaps(person, role, start, end):
        raise ValidationError(
            {
                "start": _("%(person)s already has the role %(role)s in this period.")
                % {"person": person, "role": role}
            }
        )
    membership = Membership.objects.create(
        person=person,
        network=network,
        role=role,
        chapter=chapter,
        start=start,
        end=end,
        end_reason=end_reason,
    )
    log_action(
        "membership.created",
        actor=actor,
        target=membership,
        network=network,
        data={"role": role.code, "chapter": chapter.slug if chapter else ""},
    )
    return membership


@transaction.atomic
def end_membership(membership: Membership, *, end: dt.date, reason: str, actor: User | None) -> Membership:
    if end < membership.start:
        raise ValidationError({"end": _("The end date cannot be before the start date.")})
    fields = [
        name for name, value in (("end", end), ("end_reason", reason)) if getattr(membership, name) != value
    ]
    if not fields:
        return membership
    membership.end = end
    membership.end_reason = reason
    membership.save(update_fields=["end", "end_reason"])
    log_action("membership.ended", actor=actor, target=membership, network=membership.network, fields=fields)
    return membership


@transaction.atomic
def move_membership(
    membership: Membership, *, chapter: LocalChapter | None, on: dt.date, actor: User | None
) -> Membership:
    """Move to another chapter from `on`. History is kept: the old membership ends the day before and a new
    one starts on `on` (a move on the start date itself just changes the chapter)."""
    _check_network(membership.network, chapter)
    if chapter == membership.chapter:
        return membership
    if not membership.is_active_on(on):
        raise ValidationError({"on": _("The membership is not active on that date.")})
    if on == membership.start:
        membership.chapter = chapter
        membership.save(update_fields=["chapter"])
        log_action(
            "membership.moved", actor=actor, target=membership, network=membership.network, fields=["chapter"]
        )
        return membership
    old_end, old_reason = membership.end, membership.end_reason
    membership.end = on - dt.timedelta(days=1)
    membership.end_reason = _("Moved to another local chapter")
    membership.save(update_fields=["end", "end_reason"])
    moved = Membership.objects.create(
        person=membership.person,
        network=membership.network,
        role=membership.role,
        chapter=chapter,
        start=on,
        end=old_end,
        end_reason=old_reason,
    )
    log_action(
        "membership.moved",
        actor=actor,
        target=moved,
        network=membership.network,
        data={"from_membership": membership.pk, "chapter": chapter.slug if chapter else ""},
    )
    return moved


@transaction.atomic
def create_workplace(
    network: Network,
    *,
    name: str,
    service_type: ServiceType,
    actor: User | None,
    municipality: Municipality | None = None,
    health_trust: HealthTrust | None = None,
    organisation_number: str = "",
    in_scope: bool = False,
) -> Workplace:
    _check_network(network, service_type)
    workplace = Workplace(
        network=network,
        name=name.strip(),
        service_type=service_type,
        municipality=municipality,
        health_trust=health_trust,
        organisation_number=organisation_number,
        in_scope=in_scope,
    )
    workplace.full_clean(exclude=["network"], validate_constraints=False)
    if Workplace.objects.filter(
        network=network, name__iexact=workplace.name, municipality=municipality, service_type=service_type
    ).exists():
        raise ValidationError({"name": _("The network already has this workplace.")})
    workplace.save()
    log_action("workplace.created", actor=actor, target=workplace, network=network)
    return workplace


DEFAULT_COVERAGE = (
    (CoverageScope.MUNICIPALITY, ServiceType.HOME_CARE),
    (CoverageScope.MUNICIPALITY, ServiceType.NURSING_HOME),
    (CoverageScope.HOSPITAL_UNIT, None),
)


@transaction.atomic
def ensure_default_coverage_rules(network: Network, *, actor: User | None) -> list[CoverageRule]:
    """The annual-report template's rule (seed 002): every municipality in the area has at least one active
    resource person from home care and one from a nursing home; every hospital unit in scope has one.
    Only adds rules when the network has none, so a coordinator's changes are never overwritten."""
    if network.coverage_rules.exists():
        return []
    types = {
        t.code: t
        for t in ServiceType.objects.filter(network=None, code__in=[c for _, c in DEFAULT_COVERAGE if c])
    }
    rules = [
        CoverageRule.objects.create(network=network, scope=scope, service_type=types[code] if code else None)
        for scope, code in DEFAULT_COVERAGE
    ]
    log_action("network.coverage_rules_created", actor=actor, target=network, network=network)
    return rules


@transaction.atomic
def set_area(network: Network, municipalities: Iterable[Municipality], *, actor: User | None) -> bool:
    new = {m.pk for m in municipalities}
    old = set(network.municipalities.values_list("pk", flat=True))
    if new == old:
        return False
    network.municipalities.set(new)
    log_action(
        "network.area_changed",
        actor=actor,
        target=network,
        network=network,
        fields=["municipalities"],
        data={"added": len(new - old), "removed": len(old - new)},
    )
    return True


@dataclass(frozen=True)
class NetworkSetup:
    network: Network
    created: bool
    changes: tuple[str, ...]


@transaction.atomic
def setup_network(
    slug: str,
    *,
    name: str,
    municipalities: Iterable[Municipality],
    hospital_units: Iterable[str] = (),
    units_health_trust: HealthTrust | None = None,
    actor: User | None,
) -> NetworkSetup:
    """Create a network with its area, its in-scope hospital units and the default coverage rules, or bring an
    existing one in line with the same arguments. Running it twice with the same arguments changes nothing.
    Units are only ever added: removing one is a coordinator's decision, made in the settings page."""
    network, created = Network.objects.get_or_create(slug=slug, defaults={"name": name})
    changes: list[str] = []
    if created:
        log_action("network.created", actor=actor, target=network, network=network)
        changes.append("created")
    elif network.name != name:
        network.name = name
        network.save(update_fields=["name"])
        log_action("network.updated", actor=actor, target=network, network=network, fields=["name"])
        changes.append("name")
    if set_area(network, municipalities, actor=actor):
        changes.append("area")
    unit_type = ServiceType.objects.get(code=ServiceType.HOSPITAL_UNIT, network=None)
    for unit_name in hospital_units:
        existing = Workplace.objects.filter(
            network=network, name__iexact=unit_name.strip(), service_type=unit_type, municipality=None
        ).first()
        if existing is None:
            create_workplace(
                network,
                name=unit_name,
                service_type=unit_type,
                health_trust=units_health_trust,
                in_scope=True,
                actor=actor,
            )
            changes.append(f"unit:{unit_name.strip()}")
        elif not existing.in_scope or (
            units_health_trust and existing.health_trust_id != units_health_trust.pk
        ):
            existing.in_scope = True
            existing.health_trust = units_health_trust or existing.health_trust
            existing.save(update_fields=["in_scope", "health_trust"])
            log_action(
                "workplace.updated",
                actor=actor,
                target=existing,
                network=network,
                fields=["in_scope", "health_trust"],
            )
            changes.append(f"unit:{unit_name.strip()}")
    if ensure_default_coverage_rules(network, actor=actor):
        changes.append("coverage_rules")
    return NetworkSetup(network=network, created=created, changes=tuple(changes))
