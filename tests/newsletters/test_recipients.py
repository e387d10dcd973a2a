"""Who a newsletter goes to: active members of the network or a chapter, their line managers if asked, extra
addresses; each address once, opted-out addresses left out and counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from fagnett.networks.models import LocalChapter, Network, Person, Role
from fagnett.newsletters.models import Newsletter, OptOut, RecipientKind
from fagnett.newsletters.recipients import (
    Recipient,
    RecipientCounts,
    parse_extra_addresses,
    recipient_counts,
    resolve_recipients,
)
from tests.conftest import add_member
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 5, 12)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 5, 12, 10, tzinfo=dt.UTC), tick=False):
        yield


def member(network: Network, email: str, chapter: LocalChapter | None = None, **dates: dt.date) -> Person:
    membership = add_member(
        network, None, email, Role.RESOURCE_PERSON, dates.get("start", dt.date(2024, 1, 1)), chapter
    )
    if "end" in dates:
        membership.end = dates["end"]
        membership.save()
    return membership.person


def newsletter(network: Network, **fields: object) -> Newsletter:
    return Newsletter.objects.create(network=network, subject="Vårbrev", body="Hei", **fields)


def emails(recipients: list[Recipient]) -> list[tuple[str, RecipientKind]]:
    return [(recipient.email, recipient.kind) for recipient in recipients]


def test_it_sends_to_members_active_today_only(network: Network, other_network: Network) -> None:
    kari = member(network, "Kari@Example.no")
    member(network, "ended@example.no", end=dt.date(2025, 5, 11))
    member(network, "future@example.no", start=dt.date(2025, 5, 13))
    member(network, "last-day@example.no", end=TODAY)
    member(other_network, "other@example.no")

    recipients = resolve_recipients(newsletter(network))

    assert emails(recipients) == [
        ("kari@example.no", RecipientKind.MEMBER),
        ("last-day@example.no", RecipientKind.MEMBER),
    ]
    assert recipients[0].person_id == kari.pk


def test_it_sends_a_chapters_newsletter_to_that_chapters_members_only(
    network: Network, chapter: LocalChapter
) -> None:
    member(network, "stavanger@example.no", chapter=chapter)
    member(network, "network-wide@example.no")

    assert emails(resolve_recipients(newsletter(network, chapter=chapter))) == [
        ("stavanger@example.no", RecipientKind.MEMBER)
    ]


def test_it_adds_line_managers_from_the_roster_or_the_typed_address_when_asked(network: Network) -> None:
    boss = member(network, "boss@example.no")
    kari = member(network, "kari@example.no")
    ola = member(network, "ola@example.no")
    Person.objects.filter(pk=kari.pk).update(leader=boss, leader_email="ignored@example.no")
    Person.objects.filter(pk=ola.pk).update(leader_email="Leder@Kommune.no")
    outsider = Person.objects.create(
        network=network, first_name="Ute", last_name="Leder", email="ute@example.no"
    )
    Person.objects.filter(pk=boss.pk).update(leader=outsider)

    without = resolve_recipients(newsletter(network))
    with_leaders = resolve_recipients(newsletter(network, include_leaders=True))

    assert [r.email for r in without] == ["boss@example.no", "kari@example.no", "ola@example.no"]
    # The boss is a member too: one copy, as a member. The outsider has no membership: a leader.
    assert emails(with_leaders) == [
        ("boss@example.no", RecipientKind.MEMBER),
        ("kari@example.no", RecipientKind.MEMBER),
        ("ola@example.no", RecipientKind.MEMBER),
        ("leder@kommune.no", RecipientKind.LEADER),
        ("ute@example.no", RecipientKind.LEADER),
    ]
    assert {r.email: r.person_id for r in with_leaders}["ute@example.no"] == outsider.pk


def test_it_parses_extra_addresses_and_skips_invalid_ones() -> None:
    text = "a@example.no, B@Example.no;c@example.no\n\n  not-an-address \r\nd@example"

    assert parse_extra_addresses(text) == ["a@example.no", "b@example.no", "c@example.no"]


def test_it_sends_each_address_once_member_before_leader_before_extra(network: Network) -> None:
    kari = member(network, "kari@example.no")
    Person.objects.filter(pk=kari.pk).update(leader_email="leder@example.no")

    recipients = resolve_recipients(
        newsletter(
            network,
            include_leaders=True,
            extra_recipients="KARI@example.no\nleder@EXAMPLE.no\nny@example.no\nny@example.no",
        )
    )

    assert emails(recipients) == [
        ("kari@example.no", RecipientKind.MEMBER),
        ("leder@example.no", RecipientKind.LEADER),
        ("ny@example.no", RecipientKind.EXTRA),
    ]


def test_it_leaves_out_and_counts_opted_out_addresses(network: Network, other_network: Network) -> None:
    member(network, "kari@example.no")
    member(network, "ola@example.no")
    OptOut.objects.create(network=network, email="Kari@Example.NO")
    OptOut.objects.create(network=network, email="extra@example.no")
    OptOut.objects.create(network=other_network, email="ola@example.no")
    letter = newsletter(network, extra_recipients="extra@example.no, new@example.no")

    assert [r.email for r in resolve_recipients(letter)] == ["ola@example.no", "new@example.no"]
    assert recipient_counts(letter) == RecipientCounts(members=1, leaders=0, extra=1, opted_out=2, total=2)


def test_it_counts_recipients_by_kind(network: Network) -> None:
    kari = member(network, "kari@example.no")
    member(network, "ola@example.no")
    Person.objects.filter(pk=kari.pk).update(leader_email="leder@example.no")
    letter = newsletter(network, include_leaders=True, extra_recipients="x@example.no")

    assert recipient_counts(letter) == RecipientCounts(members=2, leaders=1, extra=1, opted_out=0, total=4)


def test_it_counts_nothing_for_a_network_without_members(network: Network) -> None:
    assert recipient_counts(newsletter(network)) == RecipientCounts(0, 0, 0, 0, 0)


@pytest.mark.parametrize("size", [3, 30])
def test_it_resolves_recipients_in_a_fixed_number_of_queries(network: Network, size: int) -> None:
    for number in range(size):
        person = member(network, f"p{number}@example.no")
        Person.objects.filter(pk=person.pk).update(leader_email=f"leder{number}@example.no")
        OptOut.objects.create(network=network, email=f"leder{number}@example.no")
    letter = newsletter(network, include_leaders=True, extra_recipients="x@example.no")

    assert count_queries(lambda: resolve_recipients(letter)) == 2
    assert count_queries(lambda: recipient_counts(letter)) == 2
    assert recipient_counts(letter).total == size + 1
