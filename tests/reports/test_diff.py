"""What changed between two facts dicts: paths of leaves, lists by position, readable labels."""

from __future__ import annotations

from django.utils import translation

from fagnett.reports.diff import Change, diff_facts, flatten, path_label
from tests.helpers import nb
from tests.reports.sample_facts import sample_facts


def test_it_flattens_nested_dicts_and_lists_to_paths() -> None:
    leaves = flatten({"members": {"at_year_end": 47}, "intro_courses": [{"hours": 6}, {"hours": 3}]})
    assert leaves == {"members.at_year_end": 47, "intro_courses.0.hours": 6, "intro_courses.1.hours": 3}


def test_an_empty_list_is_a_leaf_of_its_own() -> None:
    assert flatten({"coverage": {"gaps": []}}) == {"coverage.gaps": []}


def test_identical_facts_have_no_changes() -> None:
    assert diff_facts(sample_facts(), sample_facts()) == []


def test_it_finds_a_changed_number_with_its_old_and_new_value() -> None:
    new = sample_facts()
    new["members"]["at_year_end"] = 48
    new["members"]["change"] = 7
    assert diff_facts(sample_facts(), new) == [
        Change("members.at_year_end", 47, 48),
        Change("members.change", 6, 7),
    ]


def test_it_compares_lists_by_position_and_reports_added_and_removed_items() -> None:
    old = {"study_days": [{"title": "A", "participants": 10}]}
    new = {"study_days": [{"title": "A", "participants": 12}, {"title": "B", "participants": 5}]}
    assert diff_facts(old, new) == [
        Change("study_days.0.participants", 10, 12),
        Change("study_days.1.title", None, "B"),
        Change("study_days.1.participants", None, 5),
    ]
    assert diff_facts(new, old) == [
        Change("study_days.0.participants", 12, 10),
        Change("study_days.1.title", "B", None),
        Change("study_days.1.participants", 5, None),
    ]


def test_a_gap_appearing_in_an_empty_list_is_a_change() -> None:
    changes = diff_facts({"coverage": {"gaps": []}}, {"coverage": {"gaps": ["Kvitsøy"]}})
    assert Change("coverage.gaps.0", None, "Kvitsøy") in changes
    assert Change("coverage.gaps", [], None) in changes


def test_without_earlier_facts_every_leaf_is_new() -> None:
    assert diff_facts(None, {"members": {"joined": 9}}) == [Change("members.joined", None, 9)]


def test_labels_name_the_top_level_key_in_norwegian_and_count_list_items_from_one() -> None:
    with translation.override("nb"):
        assert path_label("members.at_year_end") == f"{nb('Members')}: at year end"
        assert path_label("intro_courses.0.hours") == f"{nb('Introductory courses')}: 1 › hours"
        assert path_label("coverage") == nb("Coverage")
        assert path_label("unknown_key.x") == "unknown_key: x"


def test_nothing_shows_as_a_dash_and_booleans_as_yes_or_no() -> None:
    with translation.override("nb"):
        assert Change("x", None, []).old_display == "–"
        assert Change("x", None, []).new_display == "–"
        assert str(Change("x", True, False).old_display) == nb("Yes")
        assert Change("x", 1, 2).new_display == 2
