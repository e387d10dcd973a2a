"""Writes to a network's organisation: workplaces, groups, local chapters and the network's settings.

The same pattern as `networks.services`: validate, write inside one transaction, and log one audit entry
per change with the names of the changed fields (never their values). Validation errors are raised as
`ValidationError` keyed by the field the user must correct, so forms can show them in place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from fagnett.audit.services import log_action
from fagnett.networks.models import (
    CoverageRule,
    CoverageScope,
    Group,
    GroupKind,
    GroupMember,
    LocalChapter,
    Network,
    Person,
    Role,
    ServiceType,
    Workplace,
)
from fagnett.places.models import HealthTrust, Municipality

if TYPE_CHECKING:
    from fagnett.accounts.models import User

WORKPLACE_FIELDS = ("name", "service_type", "municipality", "health_trust", "organisation_number", "in_scope")
GROUP_FIELDS = ("kind", "name", "mandate", "meetings_per_year")
PROFILE_FIELDS = (
    "name",
    "purpose",
    "established_year",
    "initiative",
    "anchoring",
    "anchoring_reference",
    "owner_organisation",
)
# The oldest year a network can plausibly have been established; guards against typos such as 204.
EARLIEST_YEAR = 1900

# Norwegian letters that slugify() would otherwise drop ("Sør" → "sr"): spelled the usual ASCII way.
_TRANSLITERATION = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def norwegian_slug(value: str) -> str:
    """'Sør-Rogaland lokallag' → 'sor-rogaland-lokallag'."""
    return slugify(value.translate(_TRANSLITERATION))


def _check_same_network(network: Network, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and getattr(obj, "network_id", network.pk) not in (network.pk, None):
            raise ValidationError(_("%(object)s belongs to another network.") % {"object": obj})


# Workplaces ---------------------------------------------------------------------------------------------


def workplace_place_errors(
    service_type: ServiceType | None,
    municipality: Municipality | None,
    health_trust: HealthTrust | None,
    in_scope: bool,
) -> dict[str, str]:
    """Where a workplace must be placed: a hospital unit belongs to a health trust, every other workplace to
    a municipality (the coverage check counts resource persons per municipality). Shared by the form that
    creates workplaces and by `update_workplace`."""
    errors: dict[str, str] = {}
    if service_type is None:
        return errors
    if service_type.code == ServiceType.HOSPITAL_UNIT:
        if health_trust is None:
            errors["health_trust"] = _("Choose the health trust the hospital unit belongs to.")
    else:
        if municipality is None:
            errors["municipality"] = _("Choose the municipality the workplace is in.")
        if in_scope:
            errors["in_scope"] = _("Only hospital units can be in the coverage check.")
    return errors


@transaction.atomic
def update_workplace(workplace: Workplace, changes: Mapping[str, Any], *, actor: User | None) -> list[str]:
    """Apply `changes` (field name → value); returns the names of the fields that really changed."""
    unknown = set(changes) - set(WORKPLACE_FIELDS)
    if unknown:
        raise ValueError(f"not workplace fields: {sorted(unknown)}")
    network = workplace.network
    values = {name: changes.get(name, getattr(workplace, name)) for name in WORKPLACE_FIELDS}
    values["name"] = str(values["name"]).strip()
    values["organisation_number"] = str(values["organisation_number"]).replace(" ", "")
    _check_same_network(network, values["service_type"])
    errors = workplace_place_errors(
        values["service_type"], values["municipality"], values["health_trust"], bool(values["in_scope"])
    )
    if errors:
        raise ValidationError(errors)
    changed = [name for name in WORKPLACE_FIELDS if getattr(workplace, name) != values[name]]
    if not changed:
        return []
    for name in changed:
        setattr(workplace, name, values[name])
    workplace.full_clean(exclude=["network"], validate_constraints=False)
    clash = Workplace.objects.filter(
        network=network,
        name__iexact=workplace.name,
        municipality=workplace.municipality,
        service_type=workplace.service_type,
    ).exclude(pk=workplace.pk)
    if clash.exists():
        raise ValidationError({"name": _("The network already has this workplace.")})
    workplace.save()
    log_action("workplace.updated", actor=actor, target=workplace, network=network, fields=changed)
    return changed


@transaction.atomic
def set_units_in_scope(network: Network, units: Iterable[Workplace], *, actor: User | None) -> list[str]:
    """Mark exactly `units` of the network's hospital units as part of the coverage check. Returns the names
    of the units whose flag changed."""
    wanted = {unit.pk for unit in units}
    hospital_units = list(
        Workplace.objects.filter(
            network=network, service_type__code=ServiceType.HOSPITAL_UNIT
        ).select_for_update()
    )
    stray = wanted - {unit.pk for unit in hospital_units}
    if stray:
        raise ValidationError(
            {"units": _("Only the network's own hospital units can be in the coverage check.")}
        )
    changed: list[str] = []
    for unit in hospital_units:
        in_scope = unit.pk in wanted
        if unit.in_scope == in_scope:
            continue
        unit.in_scope = in_scope
        unit.save(update_fields=["in_scope"])
        log_action("workplace.updated", actor=actor, target=unit, network=network, fields=["in_scope"])
        changed.append(unit.name)
    return changed


# Groups -------------------------------------------------------------------------------------------------


def _check_group(group: Group) -> None:
    if group.kind not in GroupKind.values:
        raise ValidationError({"kind": _("Choose the kind of group.")})
    group.name = group.name.strip()
    group.full_clean(exclude=["network"])
    clash = Group.objects.filter(network_id=group.network_id, name__iexact=group.name).exclude(pk=group.pk)
    if clash.exists():
        raise ValidationError({"name": _("The network already has a group with this name.")})


@transaction.atomic
def create_group(
    network: Network,
    *,
    kind: str,
    name: str,
    actor: User | None,
    mandate: str = "",
    meetings_per_year: int | None = None,
) -> Group:
    group = Group(network=network, kind=kind, name=name, mandate=mandate, meetings_per_year=meetings_per_year)
    _check_group(group)
    group.save()
    log_action("group.created", actor=actor, target=group, network=network)
    return group


@transaction.atomic
def update_group(group: Group, changes: Mapping[str, Any], *, actor: User | None) -> list[str]:
    unknown = set(changes) - set(GROUP_FIELDS)
    if unknown:
        raise ValueError(f"not group fields: {sorted(unknown)}")
    cleaned = dict(changes)
    if "name" in cleaned:
        cleaned["name"] = str(cleaned["name"]).strip()
    changed = [name for name, value in cleaned.items() if getattr(group, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(group, name, cleaned[name])
    _check_group(group)
    group.save()
    log_action("group.updated", actor=actor, target=group, network=group.network, fields=changed)
    return changed


@transaction.atomic
def add_group_member(
    group: Group,
    *,
    actor: User | None,
    name: str = "",
    title: str = "",
    workplace: str = "",
    function: str = "",
    person: Person | None = None,
) -> GroupMember:
    """Add a member at the end of the group's list. A person from the roster fills in the name and the
    workplace when those are left empty."""
    network = group.network
    _check_same_network(network, person)
    name, workplace = name.strip(), workplace.strip()
    if person is not None:
        name = name or person.full_name
        if not workplace and person.workplace is not None:
            workplace = person.workplace.name
    if not name:
        raise ValidationError({"name": _("Enter the member's name or choose a person from the roster.")})
    last = group.members.aggregate(last=Max("position"))["last"]
    member = GroupMember(
        group=group,
        name=name,
        title=title.strip(),
        workplace=workplace,
        function=function.strip(),
        person=person,
        position=0 if last is None else last + 1,
    )
    member.full_clean()
    member.save()
    log_action(
        "group.member_added",
        actor=actor,
        target=group,
        network=network,
        fields=["members"],
        data={"member": member.pk},
    )
    return member


@transaction.atomic
def remove_group_member(member: GroupMember, *, actor: User | None) -> None:
    group = member.group
    member_id = member.pk
    member.delete()
    log_action(
        "group.member_removed",
        actor=actor,
        target=group,
        network=group.network,
        fields=["members"],
        data={"member": member_id},
    )


# Local chapters -----------------------------------------------------------------------------------------


def _chapter_errors(
    network: Network, name: str, slug: str, municipalities: list[Municipality], exclude: int | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    others = LocalChapter.objects.filter(network=network)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if not name:
        errors["name"] = _("Enter the name of the local chapter.")
    elif others.filter(name__iexact=name).exists():
        errors["name"] = _("The network already has a local chapter called %(name)s.") % {"name": name}
    if not slug:
        errors["slug"] = _("Enter a short name with letters or digits.")
    else:
        try:
            validate_slug(slug)
        except ValidationError:
            errors["slug"] = _("Use only letters a–z, digits, hyphens and underscores in the short name.")
        else:
            if others.filter(slug=slug).exists():
                errors["slug"] = _(
                    "Another local chapter in the network already has the short name %(slug)s."
                ) % {"slug": slug}
    area = set(network.municipalities.values_list("pk", flat=True))
    outside = sorted((m for m in municipalities if m.pk not in area), key=lambda m: m.display_name)
    if outside:
        errors["municipalities"] = _(
            "Not in the network's area: %(names)s. A local chapter can only cover municipalities in the "
            "network's area."
        ) % {"names": ", ".join(m.display_name for m in outside)}
    return errors


@transaction.atomic
def create_chapter(
    network: Network,
    *,
    name: str,
    actor: User | None,
    slug: str = "",
    municipalities: Iterable[Municipality] = (),
) -> LocalChapter:
    """A new local chapter; the short name is made from the name when left empty."""
    name = name.strip()
    slug = slug.strip() or norwegian_slug(name)
    area = list(municipalities)
    errors = _chapter_errors(network, name, slug, area, exclude=None)
    if errors:
        raise ValidationError(errors)
    chapter = LocalChapter(network=network, name=name, slug=slug)
    chapter.full_clean(exclude=["network"], validate_constraints=False)
    chapter.save()
    chapter.municipalities.set(area)
    log_action("chapter.created", actor=actor, target=chapter, network=network)
    return chapter


@transaction.atomic
def update_chapter(
    chapter: LocalChapter,
    *,
    name: str,
    actor: User | None,
    slug: str = "",
    municipalities: Iterable[Municipality] = (),
) -> list[str]:
    network = chapter.network
    name = name.strip()
    slug = slug.strip() or norwegian_slug(name)
    area = list(municipalities)
    errors = _chapter_errors(network, name, slug, area, exclude=chapter.pk)
    if errors:
        raise ValidationError(errors)
    changed = [field for field, value in (("name", name), ("slug", slug)) if getattr(chapter, field) != value]
    if {m.pk for m in area} != set(chapter.municipalities.values_list("pk", flat=True)):
        changed.append("municipalities")
    if not changed:
        return []
    chapter.name, chapter.slug = name, slug
    chapter.full_clean(exclude=["network"], validate_constraints=False)
    chapter.save()
    chapter.municipalities.set(area)
    log_action("chapter.updated", actor=actor, target=chapter, network=network, fields=changed)
    return changed


# The network's settings ---------------------------------------------------------------------------------


@transaction.atomic
def update_network_profile(network: Network, changes: Mapping[str, Any], *, actor: User | None) -> list[str]:
    """Name, purpose and the other facts the annual report opens with (seed 002)."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    cleaned: dict[str, Any] = {
        name: value.strip() if isinstance(value, str) else value for name, value in changes.items()
    }
    year = cleaned.get("established_year")
    this_year = timezone.localdate().year
    if year is not None and not EARLIEST_YEAR <= year <= this_year:
        raise ValidationError(
            {
                "established_year": _("Enter a year between %(first)s and %(last)s.")
                % {"first": EARLIEST_YEAR, "last": this_year}
            }
        )
    changed = [name for name, value in cleaned.items() if getattr(network, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(network, name, cleaned[name])
    network.full_clean(exclude=["slug", "municipalities"])
    network.save(update_fields=changed)
    log_action("network.updated", actor=actor, target=network, network=network, fields=changed)
    return changed


@transaction.atomic
def add_coverage_rule(
    network: Network,
    *,
    scope: str,
    actor: User | None,
    service_type: ServiceType | None = None,
    minimum: int = 1,
) -> CoverageRule:
    if scope not in CoverageScope.values:
        raise ValidationError({"scope": _("Choose what the rule applies to.")})
    if minimum < 1:
        raise ValidationError({"minimum": _("The minimum must be at least 1.")})
    if scope == CoverageScope.MUNICIPALITY and service_type is None:
        raise ValidationError(
            {
                "service_type": _(
                    "Choose the service type the resource persons in each municipality must come from."
                )
            }
        )
    if scope == CoverageScope.HOSPITAL_UNIT and service_type is not None:
        raise ValidationError(
            {"service_type": _("Leave the service type empty: the rule counts every hospital unit in scope.")}
        )
    if service_type is not None and service_type.network_id not in (None, network.pk):
        raise ValidationError({"service_type": _("Choose one of the network's service types.")})
    # The database cannot see this duplicate when the service type is empty (NULLs are distinct).
    if CoverageRule.objects.filter(network=network, scope=scope, service_type=service_type).exists():
        raise ValidationError(
            {"scope": _("The network already has this rule; remove it first to change it.")}
        )
    rule = CoverageRule.objects.create(
        network=network, scope=scope, service_type=service_type, minimum=minimum
    )
    log_action(
        "network.coverage_rule_added",
        actor=actor,
        target=rule,
        network=network,
        data={"scope": scope, "service_type": service_type.code if service_type else "", "minimum": minimum},
    )
    return rule


@transaction.atomic
def remove_coverage_rule(rule: CoverageRule, *, actor: User | None) -> None:
    network = rule.network
    log_action(
        "network.coverage_rule_removed",
        actor=actor,
        target=rule,
        network=network,
        data={"scope": rule.scope, "service_type": rule.service_type.code if rule.service_type else ""},
    )
    rule.delete()


_E = TypeVar("_E", ServiceType, Role)


def _add_vocabulary_entry(model: type[_E], network: Network, code: str, name: str) -> _E:
    name = name.strip()
    code = code.strip() or norwegian_slug(name).replace("-", "_")
    if not name:
        raise ValidationError({"name": _("Enter a name.")})
    max_code = model._meta.get_field("code").max_length or 50
    try:
        validate_slug(code)
    except ValidationError:
        raise ValidationError(
            {"code": _("Use only letters a–z, digits, hyphens and underscores in the code.")}
        ) from None
    if len(code) > max_code:
        raise ValidationError({"code": _("The code can be at most %(n)s characters.") % {"n": max_code}})
    # Built-in entries count too: the import and the CLI look entries up by code or name, and a network's
    # own entry must never hide a built-in one.
    existing = model.objects.for_network(network)
    if existing.filter(code__iexact=code).exists():
        raise ValidationError({"code": _("The code %(code)s is already in use.") % {"code": code}})
    if existing.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("The name %(name)s is already in use.") % {"name": name}})
    entry = model(network=network, code=code, name=name)
    entry.full_clean(exclude=["network"], validate_constraints=False)
    entry.save()
    return entry


@transaction.atomic
def add_service_type(network: Network, *, name: str, actor: User | None, code: str = "") -> ServiceType:
    service_type = _add_vocabulary_entry(ServiceType, network, code, name)
    log_action("service_type.created", actor=actor, target=service_type, network=network)
    return service_type


@transaction.atomic
def add_role(network: Network, *, name: str, actor: User | None, code: str = "") -> Role:
    role = _add_vocabulary_entry(Role, network, code, name)
    log_action("role.created", actor=actor, target=role, network=network)
    return role
