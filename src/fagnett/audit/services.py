"""The one entry point for the audit log (ARCHITECTURE.md §4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import models

from fagnett.audit.models import AuditEntry

if TYPE_CHECKING:
    from fagnett.accounts.models import User
    from fagnett.networks.models import Network


def audit_entry(
    action: str,
    *,
    actor: User | None,
    target: models.Model | None = None,
    network: Network | None = None,
    fields: Iterable[str] = (),
    data: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """An unsaved entry for `log_entries`, with exactly what `log_action` stores."""
    actor_obj = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry(
        actor=actor_obj,
        actor_label=actor_obj.email if actor_obj is not None else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        network=network,
        fields=sorted(set(fields)),
        data=dict(data or {}),
    )


def log_action(
    action: str,
    *,
    actor: User | None,
    target: models.Model | None = None,
    network: Network | None = None,
    fields: Iterable[str] = (),
    data: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Record that `actor` did `action` to `target`.

    `fields` names what changed; values are deliberately not stored, so the log itself holds no more
    personal data than the names of the fields. `data` is for non-sensitive context (a count, a file name,
    a reason code). Call it inside the same transaction as the change, so both are written or neither is.
    """
    entry = audit_entry(action, actor=actor, target=target, network=network, fields=fields, data=data)
    entry.save()
    return entry


def log_entries(entries: Iterable[AuditEntry]) -> None:
    """Store many entries made by `audit_entry` at once, for bulk writes such as an import of thousands of
    rows, where one insert per entry would take longer than the import itself."""
    AuditEntry.objects.bulk_create(list(entries), batch_size=500)


def changed_fields(before: models.Model, after: models.Model, names: Iterable[str]) -> list[str]:
    """The names among `names` whose values differ between two instances of one model."""
    return [name for name in names if getattr(before, name) != getattr(after, name)]
