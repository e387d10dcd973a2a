"""The sections of the annual report, in the order of the template (seed 002), each with the narrative the
coordinator writes beside the computed facts. Every renderer (web page, editor, DOCX, PDF) walks this list,
so the order and the headings are the same everywhere.

`facts` names the keys of reports.facts.annual_facts() that the section shows (documented there);
`prompt` is the template's own question, shown above the narrative field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    prompt: str | Promise
    facts: tuple[str, ...] = ()
    level: int = 2  # heading level in the documents (h2; sub-sections h3)


SECTIONS: tuple[Section, ...] = (
    Section(
        "organisation_development",
        _("Organisational development and anchoring"),
        _("Describe any reorganisation."),
        ("network",),
    ),
    Section(
        "purpose",
        _("Purpose"),
        _("What the network works for, if more than the purpose above."),
        ("network",),
    ),
    Section(
        "governing_documents",
        _("Governing documents"),
        _("The agreements, action plans, guidelines and laws the network works by."),
    ),
    Section(
        "organisation",
        _("Organisation of the network"),
        _("Describe the groups' mandates and any changes in who is in them."),
        ("groups",),
    ),
    Section(
        "activities",
        _("Activities in the network"),
        _("How the year went: the action plan, the annual wheel and the competence plan."),
        ("members", "coverage", "competence", "dissemination"),
    ),
    Section(
        "goals",
        _("Goals achieved"),
        _("Which goals were achieved? Describe what was not done, and why."),
        ("goals", "indicators"),
        level=3,
    ),
    Section(
        "intro_courses",
        _("Introductory course"),
        _("How the introductory course was run."),
        ("intro_courses",),
        level=3,
    ),
    Section(
        "study_days",
        _("Common study days"),
        _("When they were held, and whether others than resource persons were invited."),
        ("study_days", "evaluations"),
        level=3,
    ),
    Section(
        "themes",
        _("Themes and focus areas"),
        _("The themes of the year's gatherings and study days."),
        ("gatherings",),
        level=3,
    ),
    Section(
        "priority_areas",
        _("Priority areas"),
        _("The year's priority areas: which are continued, and which are new."),
        ("priority_areas",),
    ),
    Section(
        "economy",
        _("Economy"),
        _("Grants and where they came from, course fees, other income."),
        ("economy",),
    ),
    Section(
        "chapters",
        _("Local chapters and their activity"),
        _("Each local chapter is described on its own, after the same pattern."),
        ("chapters",),
    ),
    Section(
        "collaboration",
        _("Collaboration with other networks"),
        _("Who the network worked with, and on what."),
        ("partners",),
    ),
)

SECTION_KEYS = frozenset(section.key for section in SECTIONS)
CHAPTER_PREFIX = "chapter:"


def chapter_key(slug: str) -> str:
    """The narrative key of one local chapter's section."""
    return f"{CHAPTER_PREFIX}{slug}"


def is_valid_key(key: str) -> bool:
    return key in SECTION_KEYS or (key.startswith(CHAPTER_PREFIX) and len(key) > len(CHAPTER_PREFIX))
