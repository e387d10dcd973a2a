"""Every write to a network's partner networks and its learning-resource list (issue 7).

The same pattern as `networks.services`: validate, write inside one transaction, and log one audit entry
naming the changed fields (never their values). Errors are `ValidationError`s keyed by the form field they
concern, in words the user can act on, so the form shows each at its field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fagnett.activities.models import Activity
from fagnett.audit.services import log_action
from fagnett.competence.models import Requirement
from fagnett.core.years import FIRST_YEAR, LAST_YEAR
from fagnett.networks.models import Network
from fagnett.plans.models import LearningResource, Partner, ResourceKind

if TYPE_CHECKING:
    from fagnett.accounts.models import User


@dataclass
class PartnerData:
    name: str
    organisation: str = ""
    link: str = ""
    collaboration: str = ""
    since_year: int | None = None
    until_year: int | None = None
    partner_network: Network | None = None


PARTNER_FIELDS = (
    "name",
    "organisation",
    "link",
    "collaboration",
    "since_year",
    "until_year",
    "partner_network",
)


@dataclass
class ResourceData:
    title: str
    kind: str
    author: str = ""
    year: int | None = None
    link: str = ""
    description: str = ""
    activities: list[Activity] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)


RESOURCE_FIELDS = ("title", "author", "year", "kind", "link", "description")


# Validation ----------------------------------------------------------------------------------------------


def link_error(link: str) -> str | None:
    """Links are shown as links to everyone who reads the page, so only web addresses are accepted."""
    if not link:
        return None
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return _("The link must be a web address that starts with http:// or https://.")
    return None


def _year_error(value: int | None) -> str | None:
    if value is not None and not FIRST_YEAR <= value <= LAST_YEAR:
        return _("Write a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
    return None


def _clean_partner(network: Network, data: PartnerData) -> PartnerData:
    data = PartnerData(
        name=data.name.strip(),
        organisation=data.organisation.strip(),
        link=data.link.strip(),
        collaboration=data.collaboration.strip(),
        since_year=data.since_year,
        until_year=data.until_year,
        partner_network=data.partner_network,
    )
    errors: dict[str, str] = {}
    if not data.name:
        errors["name"] = _("Write the name of the partner network.")
    if error := link_error(data.link):
        errors["link"] = error
    for name in ("since_year", "until_year"):
        if error := _year_error(getattr(data, name)):
            errors[name] = error
    if (
        "since_year" not in errors
        and "until_year" not in errors
        and data.since_year is not None
        and data.until_year is not None
        and data.until_year < data.since_year
    ):
        errors["until_year"] = _("The year the collaboration ended cannot be before the year it started.")
    if data.partner_network is not None and data.partner_network.pk == network.pk:
        errors["partner_network"] = _("A network cannot be its own partner. Choose another network.")
    if errors:
        raise ValidationError(errors)
    return data


def _clean_resource(network: Network, data: ResourceData) -> ResourceData:
    data = ResourceData(
        title=data.title.strip(),
        kind=data.kind,
        author=data.author.strip(),
        year=data.year,
        link=data.link.strip(),
        description=data.description.strip(),
        activities=list(data.activities),
        requirements=list(data.requirements),
    )
    errors: dict[str, str] = {}
    if not data.title:
        errors["title"] = _("Write the title of the learning resource.")
    if data.kind not in ResourceKind.values:
        errors["kind"] = _("Choose what kind of learning resource it is.")
    if error := link_error(data.link):
        errors["link"] = error
    if error := _year_error(data.year):
        errors["year"] = error
    if any(activity.network_id != network.pk for activity in data.activities):
        errors["activities"] = _("Choose only activities of this network.")
    if any(requirement.plan.network_id != network.pk for requirement in data.requirements):
        errors["requirements"] = _("Choose only requirements of this network's competence plan.")
    if errors:
        raise ValidationError(errors)
    return data


def _changed(row: Any, values: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    return [name for name in names if getattr(row, name) != values[name]]


# Partners ------------------------------------------------------------------------------------------------


def _partner_values(data: PartnerData) -> dict[str, Any]:
    return {name: getattr(data, name) for name in PARTNER_FIELDS}


@transaction.atomic
def create_partner(network: Network, data: PartnerData, *, actor: User | None) -> Partner:
    data = _clean_partner(network, data)
    partner = Partner.objects.create(network=network, **_partner_values(data))
    log_action("plans.partner_created", actor=actor, target=partner, network=network, fields=PARTNER_FIELDS)
    return partner


@transaction.atomic
def update_partner(partner: Partner, data: PartnerData, *, actor: User | None) -> list[str]:
    """Returns the names of the fields that really changed (none: nothing is written or logged)."""
    data = _clean_partner(partner.network, data)
    values = _partner_values(data)
    changed = _changed(partner, values, PARTNER_FIELDS)
    if not changed:
        return []
    for name in changed:
        setattr(partner, name, values[name])
    partner.save(update_fields=changed)
    log_action("plans.partner_updated", actor=actor, target=partner, network=partner.network, fields=changed)
    return changed


@transaction.atomic
def delete_partner(partner: Partner, *, actor: User | None) -> None:
    log_action("plans.partner_deleted", actor=actor, target=partner, network=partner.network)
    partner.delete()


# Learning resources --------------------------------------------------------------------------------------


def _resource_values(data: ResourceData) -> dict[str, Any]:
    return {name: getattr(data, name) for name in RESOURCE_FIELDS}


@transaction.atomic
def create_resource(network: Network, data: ResourceData, *, actor: User | None) -> LearningResource:
    data = _clean_resource(network, data)
    resource = LearningResource.objects.create(network=network, **_resource_values(data))
    resource.activities.set(data.activities)
    resource.requirements.set(data.requirements)
    log_action(
        "plans.resource_created",
        actor=actor,
        target=resource,
        network=network,
        fields=(*RESOURCE_FIELDS, "activities", "requirements"),
    )
    return resource


@transaction.atomic
def update_resource(resource: LearningResource, data: ResourceData, *, actor: User | None) -> list[str]:
    """Returns the names of the fields that really changed, the links included."""
    data = _clean_resource(resource.network, data)
    values = _resource_values(data)
    changed = _changed(resource, values, RESOURCE_FIELDS)
    for name in changed:
        setattr(resource, name, values[name])
    if changed:
        resource.save(update_fields=changed)
    if {a.pk for a in resource.activities.all()} != {a.pk for a in data.activities}:
        resource.activities.set(data.activities)
        changed.append("activities")
    if {r.pk for r in resource.requirements.all()} != {r.pk for r in data.requirements}:
        resource.requirements.set(data.requirements)
        changed.append("requirements")
    if changed:
        log_action(
            "plans.resource_updated", actor=actor, target=resource, network=resource.network, fields=changed
        )
    return changed


@transaction.atomic
def delete_resource(resource: LearningResource, *, actor: User | None) -> None:
    log_action("plans.resource_deleted", actor=actor, target=resource, network=resource.network)
    resource.delete()
