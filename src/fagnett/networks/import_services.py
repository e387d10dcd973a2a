"""Writes of the roster import (networks/imports.py), in bulk.

services.py writes one person or membership at a time, a handful of queries each; a national roster of
10,000 rows that way takes minutes. Here the rows were validated as a whole beforehand (RosterImporter
re-validates inside the same transaction), so workplaces, persons and memberships are inserted and updated
in bulk. The audit trail has the same entries services.py writes (one per created workplace, created or
changed person, created or ended membership, with the names of changed fields only) plus one summary entry
"roster.imported" with the counts; the entries are made by audit.services.audit_entry and stored with
audit.services.log_entries, because 20,000 single inserts alone take longer than the import may.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from fagnett.audit.models import AuditEntry
from fagnett.audit.services import audit_entry, log_entries
from fagnett.lib.importing import Preview
from fagnett.networks.models import Membership, Network, Person, Workplace

if TYPE_CHECKING:
    from fagnett.accounts.models import User
    from fagnett.networks.imports import PersonPlan, PlannedWorkplace, RosterItem


BATCH = 500
# bulk_update writes one CASE per field with a branch per object; short batches keep that cheap.
UPDATE_BATCH = 200


def _set_leaders(persons: list[Person]) -> None:
    """Store `leader_id` of many persons. bulk_update builds a CASE expression object per person, which
    for a file of 10,000 new persons who all lead each other takes seconds; this is the same statement,
    written directly. Only integers from the database are bound as parameters."""
    quote = connection.ops.quote_name
    table, key, leader = (
        quote(Person._meta.db_table),
        quote(Person._meta.pk.column),
        quote(Person._meta.get_field("leader").column),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(persons), UPDATE_BATCH):
            batch = persons[start : start + UPDATE_BATCH]
            cases = " ".join(["WHEN %s THEN %s"] * len(batch))
            keys = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"UPDATE {table} SET {leader} = CASE {key} {cases} END WHERE {key} IN ({keys})",  # noqa: S608
                [value for person in batch for value in (person.pk, person.leader_id)]
                + [person.pk for person in batch],
            )


def _leader(plan: PersonPlan) -> Person | None:
    from fagnett.networks.imports import PersonPlan

    leader = plan.leader
    if isinstance(leader, PersonPlan):
        return leader.person
    return leader


@transaction.atomic
def write_roster_import(network: Network, preview: Preview[RosterItem], *, actor: User | None) -> None:
    """Carry out a validated roster preview: all of it, or (on any failure) nothing."""
    audit: list[AuditEntry] = []
    plans: list[PersonPlan] = list({id(item.person): item.person for item in preview.items}.values())
    creates = [plan for plan in plans if plan.action == "create"]
    updates = [plan for plan in plans if plan.action == "update"]

    # Workplaces first: new and changed persons point at them.
    new_workplaces: dict[int, PlannedWorkplace] = {}
    for plan in creates + updates:
        planned = plan.workplace
        if planned is not None and planned.existing is None:
            new_workplaces.setdefault(id(planned), planned)
    created_workplaces = Workplace.objects.bulk_create(
        (
            Workplace(
                network=network,
                name=planned.name,
                service_type=planned.service_type,
                municipality=planned.municipality,
            )
            for planned in new_workplaces.values()
        ),
        batch_size=BATCH,
    )
    for planned, workplace in zip(new_workplaces.values(), created_workplaces, strict=True):
        planned.created = workplace
        audit.append(audit_entry("workplace.created", actor=actor, target=workplace, network=network))

    persons = Person.objects.bulk_create(
        (
            Person(
                network=network,
                email=plan.email,
                workplace=plan.workplace.workplace if plan.workplace else None,
                leader=_leader(plan),
                leader_email=plan.leader_email,
                **plan.values,
            )
            for plan in creates
        ),
        batch_size=BATCH,
    )
    for plan, person in zip(creates, persons, strict=True):
        plan.created = person
        audit.append(audit_entry("person.created", actor=actor, target=person, network=network))
    # A new person whose line manager is also new in this file: only now does the manager have a key.
    late_leaders = []
    for plan in creates:
        if plan.created is not None and plan.created.leader_id is None and plan.leader is not None:
            plan.created.leader = _leader(plan)
            late_leaders.append(plan.created)
    _set_leaders(late_leaders)

    now = timezone.now()
    changed_fields: set[str] = set()
    updated: list[Person] = []
    for plan in updates:
        stored = plan.existing
        if stored is None:  # "update" plans are always of stored persons
            continue
        wanted: dict[str, Any] = dict(plan.values)
        if plan.workplace is not None:
            wanted["workplace"] = plan.workplace.workplace
        if plan.leader_email:
            wanted["leader"] = _leader(plan)
            wanted["leader_email"] = plan.leader_email
        for name in plan.changed:
            setattr(stored, name, wanted[name])
        stored.updated = now  # bulk_update does not run auto_now
        changed_fields.update(plan.changed)
        updated.append(stored)
        audit.append(
            audit_entry("person.updated", actor=actor, target=stored, network=network, fields=plan.changed)
        )
    if updated:
        Person.objects.bulk_update(updated, [*sorted(changed_fields), "updated"], batch_size=UPDATE_BATCH)

    additions = [item for item in preview.items if item.action == "create"]
    memberships = Membership.objects.bulk_create(
        (
            Membership(
                person=item.person.person,
                network=network,
                role=item.role,
                chapter=item.chapter,
                start=item.start,
                end=item.end,
            )
            for item in additions
        ),
        batch_size=BATCH,
    )
    for item, membership in zip(additions, memberships, strict=True):
        item.membership = membership
        audit.append(
            audit_entry(
                "membership.created",
                actor=actor,
                target=membership,
                network=network,
                data={"role": item.role.code, "chapter": item.chapter.slug if item.chapter else ""},
            )
        )

    ended: list[Membership] = []
    for item in preview.items:
        ending = item.membership
        if item.action != "end" or ending is None or item.person.existing is None:
            continue
        # The related objects are at hand; setting them keeps str(membership) in the audit entry query-free.
        ending.person, ending.role, ending.network = item.person.existing, item.role, network
        ending.end = item.end
        ended.append(ending)
        audit.append(
            audit_entry("membership.ended", actor=actor, target=ending, network=network, fields=["end"])
        )
    Membership.objects.bulk_update(ended, ["end"], batch_size=UPDATE_BATCH)

    summary = audit_entry(
        "roster.imported",
        actor=actor,
        target=network,
        network=network,
        data={
            "file": preview.source_name,
            "rows": preview.rows_total,
            "persons_created": len(creates),
            "persons_updated": len(updates),
            "memberships_created": len(additions),
            "memberships_ended": len(ended),
            "workplaces_created": len(created_workplaces),
        },
    )
    log_entries([*audit, summary])
