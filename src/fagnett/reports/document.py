"""The report as the HTML renderers walk it: the sections of reports/sections.py in order, each with its
narrative and whether the facts fill it, plus the charts. Built from the content dict alone
({"facts", "narratives"}), so a published report (its snapshot) renders without the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fagnett.reports.charts import Chart, report_charts
from fagnett.reports.sections import SECTIONS, chapter_key

ANCHOR_PREFIX = "rapport-"


def section_anchor(key: str) -> str:
    return f"{ANCHOR_PREFIX}{key}"


def chapter_anchor(slug: str) -> str:
    return f"{ANCHOR_PREFIX}lokallag-{slug}"


def _any_lines(economy: Mapping[str, Any]) -> bool:
    return any(economy.get(key) for key in ("grants", "course_fees", "other_income", "costs"))


def _priorities(areas: Mapping[str, Any] | None) -> bool:
    return bool(areas and (areas.get("continued") or areas.get("new")))


# Whether the facts give a section something to show; a section without facts and without narrative is
# "marked for narrative" (issue 8: every section is filled from data or marked for the coordinator).
HAS_FACTS: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "organisation_development": lambda f: any(
        f["network"].get(key) for key in ("established_year", "initiative", "anchoring", "owner_organisation")
    ),
    "purpose": lambda f: bool((f["network"].get("purpose") or "").strip()),
    "governing_documents": lambda f: False,
    "organisation": lambda f: bool(f.get("groups")),
    "activities": lambda f: True,  # the member counts are always there, zero included
    "goals": lambda f: bool(f.get("goals") or f.get("indicators")),
    "intro_courses": lambda f: bool(f.get("intro_courses")),
    "study_days": lambda f: bool(f.get("study_days") or f.get("evaluations")),
    "themes": lambda f: bool((f.get("gatherings") or {}).get("count") or f.get("themes")),
    "priority_areas": lambda f: _priorities(f.get("priority_areas")),
    "economy": lambda f: _any_lines(f.get("economy") or {}),
    "chapters": lambda f: bool(f.get("chapters")),
    "collaboration": lambda f: bool(f.get("partners")),
}


@dataclass(frozen=True)
class ChapterPart:
    facts: Mapping[str, Any]
    narrative: str
    anchor: str


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    level: int
    narrative: str
    has_facts: bool
    chapters: tuple[ChapterPart, ...] = ()

    @property
    def anchor(self) -> str:
        return section_anchor(self.key)

    @property
    def template(self) -> str:
        return f"reports/sections/{self.key}.html"

    @property
    def needs_narrative(self) -> bool:
        return not self.has_facts and not self.narrative.strip()


@dataclass(frozen=True)
class Document:
    facts: Mapping[str, Any]
    parts: tuple[Part, ...]
    charts: Mapping[str, Chart]

    @property
    def year(self) -> int:
        return int(self.facts["year"])

    @property
    def network(self) -> Mapping[str, Any]:
        return self.facts["network"]  # type: ignore[no-any-return]


def build_document(content: Mapping[str, Any]) -> Document:
    """The parts in SECTIONS order; titles in the active language (documents render under "nb")."""
    facts: Mapping[str, Any] = content["facts"]
    narratives: Mapping[str, str] = content.get("narratives") or {}
    parts = []
    for section in SECTIONS:
        chapters: tuple[ChapterPart, ...] = ()
        if section.key == "chapters":
            chapters = tuple(
                ChapterPart(
                    facts=chapter,
                    narrative=narratives.get(chapter_key(chapter["slug"]), ""),
                    anchor=chapter_anchor(chapter["slug"]),
                )
                for chapter in facts.get("chapters") or []
            )
        parts.append(
            Part(
                key=section.key,
                title=str(section.title),
                level=section.level,
                narrative=narratives.get(section.key, ""),
                has_facts=HAS_FACTS[section.key](facts),
                chapters=chapters,
            )
        )
    return Document(facts=facts, parts=tuple(parts), charts=report_charts(facts))
