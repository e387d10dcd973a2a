"""What changed between two versions of a report's facts (the draft regenerated, or the draft against the
published snapshot).

Both dicts are flattened to paths of their leaves — "members.at_year_end", "intro_courses.0.hours" (list items
by position, from 0) — and every path whose value differs is a change, with the value before and after
(None where the path is missing on one side). Each change carries a readable label made from the top-level
key's name and the rest of the path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TOP_LEVEL_LABELS: dict[str, str | Promise] = {
    "schema": _("Version of the facts"),
    "network": _("The network"),
    "year": _("Year"),
    "as_of": _("As of"),
    "members": _("Members"),
    "coverage": _("Coverage"),
    "intro_courses": _("Introductory courses"),
    "study_days": _("Common study days"),
    "gatherings": _("Network gatherings"),
    "hours_by_kind": _("Hours by kind of activity"),
    "themes": _("Themes"),
    "shadowing": _("Job shadowing"),
    "groups": _("Groups"),
    "competence": _("Competence plan"),
    "evaluations": _("Evaluations"),
    "goals": _("Goals"),
    "indicators": _("Result indicators"),
    "dissemination": _("Dissemination plan"),
    "priority_areas": _("Priority areas"),
    "economy": _("Economy"),
    "partners": _("Collaboration with other networks"),
    "chapters": _("Local chapters"),
}


_MISSING = object()


def display(value: Any) -> Any:
    """A leaf as the editor shows it: "–" for nothing, Yes/No for booleans, numbers and text as they are."""
    if value is None or value == [] or value == {}:
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


@dataclass(frozen=True)
class Change:
    path: str
    old: Any
    new: Any

    @property
    def label(self) -> str:
        return path_label(self.path)

    @property
    def old_display(self) -> Any:
        return display(self.old)

    @property
    def new_display(self) -> Any:
        return display(self.new)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """The leaves of a JSON-like value by path; an empty list or dict is a leaf of its own, so that "none
    before, one now" is still a change."""
    if isinstance(value, Mapping) and value:
        leaves: dict[str, Any] = {}
        for key, item in value.items():
            leaves.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return leaves
    if isinstance(value, list | tuple) and value:
        leaves = {}
        for index, item in enumerate(value):
            leaves.update(flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return leaves
    return {prefix: value} if prefix else {}


def diff_facts(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[Change]:
    """Every path whose value differs, in the order of `new` (paths only in `old` last)."""
    before = flatten(dict(old or {}))
    after = flatten(dict(new))
    changes = [
        Change(path, before.get(path), value)
        for path, value in after.items()
        if before.get(path, _MISSING) != value
    ]
    changes.extend(Change(path, value, None) for path, value in before.items() if path not in after)
    return changes


def path_label(path: str) -> str:
    """ "members.at_year_end" → "Members: at_year_end"; list positions count from 1 for people."""
    top, _sep, rest = path.partition(".")
    label = str(TOP_LEVEL_LABELS.get(top, top))
    if not rest:
        return label
    parts = [str(int(part) + 1) if part.isdigit() else part.replace("_", " ") for part in rest.split(".")]
    return f"{label}: {' › '.join(parts)}"
