"""Writes of the history imports (activities/imports.py), in bulk, as the roster import's
(networks/import_services.py).

The rows were validated as a whole beforehand, and the importers validate again inside the same transaction
(lib/importing.Importer.apply), so here the records are inserted and updated in bulk. The audit trail has one
entry per created or changed record (with the names of changed fields only) plus one summary entry per file
("activities.imported", "attendance.imported", "shadowing.imported") with the counts; the entries are made
by audit.services.audit_entry and stored together with audit.services.log_entries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from fagnett.activities.models import Activity, Attendance, Shadowing, Theme
from fagnett.audit.models import AuditEntry
from fagnett.audit.services import audit_entry, log_entries
from fagnett.lib.importing import Preview
from fagnett.networks.models import Network, Workplace

if TYPE_CHECKING:
    from fagnett.accounts.models import User
    from fagnett.activities.imports import ActivityItem, AttendanceItem, ShadowingImporter, ShadowingItem

BATCH = 500
UPDATE_BATCH = 200


@transaction.atomic
def write_activity_import(
    network: Network,
    preview: Preview[ActivityItem],
    themes: dict[str, Theme],
    new_themes: dict[str, str],
    *,
    actor: User | None,
) -> None:
    """Carry out a validated activities preview. `themes` are the network's themes by case-folded name,
    `new_themes` the names to create (case-folded name → name as first written in the file)."""
    audit: list[AuditEntry] = []
    created_themes = Theme.objects.bulk_create(
        (Theme(network=network, name=name) for name in new_themes.values()), batch_size=BATCH
    )
    by_name = dict(themes)
    for theme in created_themes:
        by_name[theme.name.casefold()] = theme
        audit.append(audit_entry("theme.created", actor=actor, target=theme, network=network))

    creates = [item for item in preview.items if item.action == "create"]
    activities = Activity.objects.bulk_create(
        (
            Activity(network=network, title=item.title, starts_on=item.starts_on, **item.values)
            for item in creates
        ),
        batch_size=BATCH,
    )
    for item, new in zip(creates, activities, strict=True):
        item.created = new
        audit.append(audit_entry("activity.created", actor=actor, target=new, network=network))

    now = timezone.now()
    updates = [item for item in preview.items if item.action == "update"]
    changed_fields: set[str] = set()
    updated: list[Activity] = []
    for item in updates:
        stored = item.existing
        if stored is None:  # "update" items are always of stored activities
            continue
        for name in item.changed:
            if name != "themes":
                setattr(stored, name, item.values[name])
                changed_fields.add(name)
        stored.updated = now  # bulk_update does not run auto_now
        updated.append(stored)
        audit.append(
            audit_entry("activity.updated", actor=actor, target=stored, network=network, fields=item.changed)
        )
    if updated:
        Activity.objects.bulk_update(updated, [*sorted(changed_fields), "updated"], batch_size=UPDATE_BATCH)

    # Themes: a new activity gets the file's; a changed one gets exactly the file's instead of its own.
    links = Activity.themes.through
    retheme = [item for item in updates if "themes" in item.changed and item.existing is not None]
    links.objects.filter(activity_id__in=[item.existing.pk for item in retheme if item.existing]).delete()
    links.objects.bulk_create(
        (
            links(activity_id=linked.pk, theme_id=by_name[name.casefold()].pk)
            for item in [*creates, *retheme]
            if (linked := item.activity) is not None
            for name in item.themes or []
        ),
        batch_size=BATCH,
    )

    audit.append(
        audit_entry(
            "activities.imported",
            actor=actor,
            target=network,
            network=network,
            data={
                "file": preview.source_name,
                "rows": preview.rows_total,
                "activities_created": len(creates),
                "activities_updated": len(updated),
                "themes_created": len(created_themes),
            },
        )
    )
    log_entries(audit)


@transaction.atomic
def write_attendance_import(
    network: Network, preview: Preview[AttendanceItem], *, actor: User | None
) -> None:
    audit: list[AuditEntry] = []
    recorder = actor if actor is not None and actor.is_authenticated else None
    creates = [item for item in preview.items if item.action == "create"]
    attendances = Attendance.objects.bulk_create(
        (
            Attendance(
                activity=item.activity,
                person=item.person,
                status=item.status,
                hours=item.hours,
                recorded_by=recorder,
            )
            for item in creates
        ),
        batch_size=BATCH,
    )
    for new in attendances:
        audit.append(audit_entry("attendance.created", actor=actor, target=new, network=network))

    now = timezone.now()
    updated: list[Attendance] = []
    for item in preview.items:
        attendance = item.existing
        if item.action != "update" or attendance is None:
            continue
        # The related objects are at hand; setting them keeps str(attendance) in the audit entry query-free.
        attendance.activity, attendance.person = item.activity, item.person
        attendance.status, attendance.hours = item.status, item.hours
        attendance.recorded_by = recorder
        attendance.updated = now
        updated.append(attendance)
        audit.append(
            audit_entry(
                "attendance.updated", actor=actor, target=attendance, network=network, fields=item.changed
            )
        )
    Attendance.objects.bulk_update(
        updated, ["status", "hours", "recorded_by", "updated"], batch_size=UPDATE_BATCH
    )
    audit.append(
        audit_entry(
            "attendance.imported",
            actor=actor,
            target=network,
            network=network,
            data={
                "file": preview.source_name,
                "rows": preview.rows_total,
                "attendances_created": len(attendances),
                "attendances_updated": len(updated),
            },
        )
    )
    log_entries(audit)


@transaction.atomic
def write_shadowing_import(
    importer: ShadowingImporter, preview: Preview[ShadowingItem], *, actor: User | None
) -> None:
    network = importer.network
    audit: list[AuditEntry] = []
    creates = [item for item in preview.items if item.action == "create"]

    # Hosts first: the new placements point at them. Only hosts of new placements are created.
    new_hosts = list({id(item.host): item.host for item in creates if item.host.existing is None}.values())
    service_type = importer.host_type
    if new_hosts and service_type is None:  # validation refuses such rows; guard against misuse
        raise ValueError("the service type 'annet' is missing")
    hosts = Workplace.objects.bulk_create(
        (
            Workplace(
                network=network, name=host.name, service_type=service_type, municipality=host.municipality
            )
            for host in new_hosts
        ),
        batch_size=BATCH,
    )
    for planned, workplace in zip(new_hosts, hosts, strict=True):
        planned.created = workplace
        audit.append(audit_entry("workplace.created", actor=actor, target=workplace, network=network))

    shadowings = Shadowing.objects.bulk_create(
        (
            Shadowing(
                network=network,
                person=item.person,
                host=item.host.workplace,
                starts_on=item.starts_on,
                ends_on=item.ends_on or item.starts_on,
                days=item.days,
                status=importer.status_for(item),
            )
            for item in creates
        ),
        batch_size=BATCH,
    )
    for new_shadowing in shadowings:
        audit.append(audit_entry("shadowing.created", actor=actor, target=new_shadowing, network=network))

    updated: list[Shadowing] = []
    for item in preview.items:
        shadowing = item.existing
        if item.action != "update" or shadowing is None:
            continue
        shadowing.person = item.person
        if item.host.existing is not None:
            shadowing.host = item.host.existing
        shadowing.ends_on = item.ends_on or shadowing.ends_on
        shadowing.days = item.days
        updated.append(shadowing)
        audit.append(
            audit_entry(
                "shadowing.updated", actor=actor, target=shadowing, network=network, fields=item.changed
            )
        )
    Shadowing.objects.bulk_update(updated, ["ends_on", "days"], batch_size=UPDATE_BATCH)
    audit.append(
        audit_entry(
            "shadowing.imported",
            actor=actor,
            target=network,
            network=network,
            data={
                "file": preview.source_name,
                "rows": preview.rows_total,
                "shadowings_created": len(shadowings),
                "shadowings_updated": len(updated),
                "workplaces_created": len(hosts),
            },
        )
    )
    log_entries(audit)
