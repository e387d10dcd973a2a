"""Who a newsletter goes to (issue 9).

CONTRACT (the sending engineer writes the bodies; the composer's pages call them to show counts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db.models.functions import Lower
from django.utils import timezone

from fagnett.networks.models import Membership
from fagnett.newsletters.models import Newsletter, OptOut, RecipientKind


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


_SEPARATORS = re.compile(r"[\s,;]+")
_validate_email = EmailValidator()


def parse_extra_addresses(text: str) -> list[str]:
    """The valid addresses in `text` (newline, comma or semicolon separated), lower-case, in order.

    Invalid ones are skipped here; the composer's form reports them to the user before anything is queued.
    """
    addresses: list[str] = []
    for part in _SEPARATORS.split(text or ""):
        if not part:
            continue
        try:
            _validate_email(part)
        except ValidationError:
            continue
        addresses.append(part.lower())
    return addresses


def _candidates(newsletter: Newsletter) -> list[Recipient]:
    """Every address the newsletter would go to before opt-outs, each once, member before leader before
    extra. One query."""
    memberships = Membership.objects.active_on(timezone.localdate()).filter(network_id=newsletter.network_id)
    if newsletter.chapter_id is not None:
        memberships = memberships.filter(chapter_id=newsletter.chapter_id)
    rows = memberships.order_by(Lower("person__email"), "person_id").values_list(
        "person_id", "person__email", "person__leader_id", "person__leader__email", "person__leader_email"
    )
    members: dict[str, Recipient] = {}
    leaders: dict[str, Recipient] = {}
    for person_id, email, leader_id, leader_person_email, leader_email in rows:
        address = email.strip().lower()
        if address and address not in members:
            members[address] = Recipient(address, person_id, RecipientKind.MEMBER)
        if not newsletter.include_leaders:
            continue
        # A line manager in the roster wins over the typed address: the roster is kept up to date.
        if leader_id is not None and leader_person_email:
            leader = Recipient(leader_person_email.strip().lower(), leader_id, RecipientKind.LEADER)
        elif leader_email:
            leader = Recipient(leader_email.strip().lower(), None, RecipientKind.LEADER)
        else:
            continue
        leaders.setdefault(leader.email, leader)
    chosen = dict(members)
    for address, leader in sorted(leaders.items()):
        chosen.setdefault(address, leader)
    for address in parse_extra_addresses(newsletter.extra_recipients):
        chosen.setdefault(address, Recipient(address, None, RecipientKind.EXTRA))
    return list(chosen.values())


def opted_out_addresses(newsletter: Newsletter) -> set[str]:
    """The network's opted-out addresses, lower-case. One query."""
    return set(
        OptOut.objects.filter(network_id=newsletter.network_id)
        .annotate(address=Lower("email"))
        .values_list("address", flat=True)
    )


def _split(newsletter: Newsletter) -> tuple[list[Recipient], int]:
    opted_out = opted_out_addresses(newsletter)
    candidates = _candidates(newsletter)
    kept = [recipient for recipient in candidates if recipient.email not in opted_out]
    return kept, len(candidates) - len(kept)


def resolve_recipients(newsletter: Newsletter) -> list[Recipient]:
    """Active members today of the network (or the newsletter's chapter), their line managers if asked, and
    the extra addresses; each address once (case-insensitive; member before leader before extra); opted-out
    addresses left out. A fixed number of queries."""
    return _split(newsletter)[0]


def recipient_counts(newsletter: Newsletter) -> RecipientCounts:
    recipients, opted_out = _split(newsletter)
    kinds = [recipient.kind for recipient in recipients]
    return RecipientCounts(
        members=kinds.count(RecipientKind.MEMBER),
        leaders=kinds.count(RecipientKind.LEADER),
        extra=kinds.count(RecipientKind.EXTRA),
        opted_out=opted_out,
        total=len(recipients),
    )
