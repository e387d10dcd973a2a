"""Membership numbers for the annual report, around year boundaries, and the `membership_stats` command.

A membership is active from its start date to its end date, both included: one that ends on 31 December is a
member at that year's end and has left in that year. A move between local chapters is neither a leaving nor
a joining of the network (it is for the chapters).
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fagnett.networks.management.commands.membership_stats import Command
from fagnett.networks.models import LocalChapter, Membership, Network, Role
from fagnett.networks.services import move_membership
from fagnett.networks.stats import MembershipStats, membership_stats
from tests.conftest import add_member
from tests.helpers import count_queries


def member(
    network: Network,
    email: str,
    start: dt.date,
    end: dt.date | None = None,
    *,
    chapter: LocalChapter | None = None,
    role: str = Role.RESOURCE_PERSON,
) -> Membership:
    membership = add_member(network, None, email, role, start, chapter=chapter)
    if end is not None:
        membership.end = end
        membership.save(update_fields=["end"])
    return membership


@pytest.fixture
def north(network: Network) -> LocalChapter:
    return LocalChapter.objects.create(network=network, name="Nord", slug="nord")


@pytest.fixture
def south(network: Network) -> LocalChapter:
    return LocalChapter.objects.create(network=network, name="Sør", slug="sor")


@pytest.fixture
def roster(network: Network, north: LocalChapter, south: LocalChapter) -> None:
    """Memberships whose 2023 numbers are known (see the comments)."""
    member(network, "a@example.no", dt.date(2020, 1, 1))  # a member all along
    member(network, "b@example.no", dt.date(2023, 3, 1))  # joined 2023
    member(network, "c@example.no", dt.date(2021, 1, 1), dt.date(2023, 12, 31))  # left on the last day
    member(network, "d@example.no", dt.date(2021, 1, 1), dt.date(2023, 6, 30))  # left mid-2023
    member(network, "e@example.no", dt.date(2022, 12, 31))  # joined on the last day of 2022
    member(network, "f@example.no", dt.date(2024, 1, 1))  # joined 2024
    member(network, "g@example.no", dt.date(2023, 2, 1), role=Role.WORKING_GROUP)  # not a resource person
    moved = member(network, "h@example.no", dt.date(2021, 1, 1), chapter=north)
    move_membership(moved, chapter=south, on=dt.date(2023, 9, 1), actor=None)  # a move, not a leaving


def numbers(stats: MembershipStats) -> tuple[int, int, int, int]:
    return (stats.members_at_year_end, stats.members_at_previous_year_end, stats.joined, stats.left)


def test_the_year_end_counts_and_the_changes_of_the_network(network: Network, roster: None) -> None:
    # at 31.12.2023: a b c e h; at 31.12.2022: a c d e h; joined b; left c d
    assert numbers(membership_stats(network, 2023)) == (5, 5, 1, 2)


def test_a_membership_ending_on_31_december_is_a_member_that_year_and_left_that_year(
    network: Network,
) -> None:
    member(network, "c@example.no", dt.date(2021, 1, 1), dt.date(2023, 12, 31))
    assert numbers(membership_stats(network, 2023)) == (1, 1, 0, 1)
    assert numbers(membership_stats(network, 2024)) == (0, 1, 0, 0)


def test_a_membership_starting_on_1_january_joined_that_year(network: Network) -> None:
    member(network, "f@example.no", dt.date(2024, 1, 1))
    assert numbers(membership_stats(network, 2023)) == (0, 0, 0, 0)
    assert numbers(membership_stats(network, 2024)) == (1, 0, 1, 0)


def test_the_next_year_sees_the_year_before(network: Network, roster: None) -> None:
    # at 31.12.2024: a b e f h; joined f
    stats = membership_stats(network, 2024)
    assert numbers(stats) == (5, 5, 1, 0)
    assert stats.change == 0


def test_a_move_between_chapters_is_a_leaving_and_a_joining_of_the_chapters(
    network: Network, north: LocalChapter, south: LocalChapter, roster: None
) -> None:
    assert numbers(membership_stats(network, 2023, north)) == (0, 1, 0, 1)
    assert numbers(membership_stats(network, 2023, south)) == (1, 0, 1, 0)


def test_a_move_on_new_years_day_is_neither_a_leaving_nor_a_joining(
    network: Network, north: LocalChapter
) -> None:
    moved = member(network, "h@example.no", dt.date(2021, 1, 1))
    move_membership(moved, chapter=north, on=dt.date(2024, 1, 1), actor=None)
    assert numbers(membership_stats(network, 2023)) == (1, 1, 0, 0)
    assert numbers(membership_stats(network, 2024)) == (1, 1, 0, 0)


def test_leaving_and_coming_back_later_counts_both(network: Network) -> None:
    member(network, "k@example.no", dt.date(2021, 1, 1), dt.date(2023, 3, 31))
    member(network, "k@example.no", dt.date(2023, 9, 1))
    assert numbers(membership_stats(network, 2023)) == (1, 1, 1, 1)


def test_another_networks_memberships_do_not_count(
    network: Network, other_network: Network, roster: None
) -> None:
    member(other_network, "x@example.no", dt.date(2023, 5, 1))
    assert numbers(membership_stats(network, 2023)) == (5, 5, 1, 2)
    assert numbers(membership_stats(other_network, 2023)) == (1, 0, 1, 0)


def test_the_query_count_does_not_grow_with_memberships(network: Network, north: LocalChapter) -> None:
    for i in range(5):
        member(network, f"few{i}@example.no", dt.date(2023, 2, 1), dt.date(2023, 11, 30), chapter=north)
    few = count_queries(lambda: membership_stats(network, 2023))
    for i in range(45):
        member(network, f"many{i}@example.no", dt.date(2023, 2, 1), dt.date(2023, 11, 30), chapter=north)
    assert count_queries(lambda: membership_stats(network, 2023)) == few == 2
    assert count_queries(lambda: membership_stats(network, 2023, north)) == 2


def run(*args: str) -> str:
    out = StringIO()
    call_command("membership_stats", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_exactly_the_four_numbers_as_json(network: Network, roster: None) -> None:
    printed = json.loads(run("--network", "barnepalliasjon", "--year", "2023", "--format", "json"))
    assert printed == {"members_at_year_end": 5, "members_at_previous_year_end": 5, "joined": 1, "left": 2}
    assert all(type(value) is int for value in printed.values())


def test_the_command_counts_one_chapter(network: Network, roster: None) -> None:
    printed = json.loads(run("--network", "barnepalliasjon", "--year", "2023", "--chapter", "nord"))
    assert printed == {"members_at_year_end": 0, "members_at_previous_year_end": 1, "joined": 0, "left": 1}


def test_the_command_prints_text_for_people(network: Network, roster: None) -> None:
    printed = run("--network", "barnepalliasjon", "--year", "2023", "--format", "text")
    assert "Members at 31.12.2023: 5" in printed
    assert "Left in 2023: 2" in printed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--network", "finnes-ikke", "--year", "2023"], "finnes-ikke"),
        (["--network", "barnepalliasjon", "--year", "2023", "--chapter", "finnes-ikke"], "finnes-ikke"),
        (["--network", "barnepalliasjon", "--year", "0"], "--year"),
    ],
)
def test_the_command_fails_with_exit_code_1_and_a_message(
    network: Network, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["manage.py", "membership_stats", *args, "--format", "json"])
    assert exit_info.value.code == 1
    assert message in capsys.readouterr().err
    assert capsys.readouterr().out == ""
