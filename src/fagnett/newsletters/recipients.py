"""Who a newsletter goes to (issue 9).

CONTRACT (the sending engineer writes the bodies; the composer's pages call them to show counts).
"""

from __future__ import annotations

from dataclasses import dataclass

from fagnett.newsletters.models import Newsletter, RecipientKind


@dataclass(frozen=True)
class Recipient:
    email: str  # lower-case
    person_id: int | None
    kind: RecipientKind


@dataclass(frozen=True)
class RecipientCounts:
    members: int
    leaders: int
    extra: int
    opted_out: int  # addresses left out because they opted out
    total: int  # distinct addresses that will get the newsletter


def resolve_recipients(newsletter: Newsletter) -> list[Recipient]:
    """Active members today of the network (or the newsletter's chapter), their line managers if asked, and
    the extra addresses; each address once (case-insensitive; member before leader before extra); opted-out
    addresses left out. A fixed number of queries."""
    raise NotImplementedError


def recipient_counts(newsletter: Newsletter) -> RecipientCounts:
    raise NotImplementedError
