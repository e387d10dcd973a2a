"""The annual report as a Word document (docxtpl), from the content dict alone.

The default template (reports/docx/default.docx, made by docx/build_default_template.py) is Norwegian, with
Word's heading styles, Word tables and the charts as images. A network may upload its own template using the
same placeholders (PLACEHOLDERS below, docs/reports.md). Templates render with StrictUndefined: a misspelt
placeholder is an error naming it ("Plassholderen «facts.members.foo» finnes ikke"), never an empty gap in a
report sent to the health trust.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage  # type: ignore[import-untyped]
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError, nodes
from jinja2.sandbox import SandboxedEnvironment

from fagnett.activities.certificates import DOCUMENT_LANGUAGE
from fagnett.plans.annual_queries import format_nok
from fagnett.reports.charts import number as number_text
from fagnett.reports.charts import report_charts
from fagnett.reports.document import build_document
from fagnett.reports.sections import SECTIONS

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "docx" / "default.docx"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHART_WIDTH = Mm(150)

ECONOMY_KINDS = (
    ("grants", "Tilskudd"),
    ("course_fees", "Kursavgift"),
    ("other_income", "Andre inntekter"),
    ("costs", "Kostnader"),
)


class TemplateProblem(Exception):
    """A Word template that cannot be used; `message` is Norwegian and names the placeholder or the line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str | Promise
    example: str


# The placeholders a custom template may use, as the template page and docs/reports.md list them. Every key
# of the facts (reports/facts.py) is available under `facts.`; these are the ones a template usually needs.
PLACEHOLDERS: tuple[Placeholder, ...] = (
    Placeholder("year", _("The report's year"), "{{ year }}"),
    Placeholder("draft", _("True when the report is a draft"), "{%p if draft %}UTKAST{%p endif %}"),
    Placeholder("facts.network.name", _("The network's name"), "{{ facts.network.name }}"),
    Placeholder(
        "facts.network.established_year",
        _("The year the network was established"),
        "{{ facts.network.established_year }}",
    ),
    Placeholder(
        "facts.network.initiative",
        _("On whose initiative the network was established"),
        "{{ facts.network.initiative }}",
    ),
    Placeholder("facts.network.anchoring", _("The anchoring agreement"), "{{ facts.network.anchoring }}"),
    Placeholder("facts.network.purpose", _("The network's purpose"), "{{ facts.network.purpose }}"),
    Placeholder("facts.as_of", _("The date the figures apply to (31 December)"), "{{ facts.as_of|date }}"),
    Placeholder("facts.members.at_year_end", _("Members at 31 December"), "{{ facts.members.at_year_end }}"),
    Placeholder(
        "facts.members.at_previous_year_end",
        _("Members at 31 December the year before"),
        "{{ facts.members.at_previous_year_end }}",
    ),
    Placeholder(
        "facts.members.change",
        _("Change from the year before (negative for a decrease)"),
        "{{ facts.members.change }}",
    ),
    Placeholder("facts.members.joined", _("New resource persons in the year"), "{{ facts.members.joined }}"),
    Placeholder("facts.members.left", _("Resource persons who left in the year"), "{{ facts.members.left }}"),
    Placeholder(
        "facts.members.by_year",
        _("Members over the last five years, each with: year, members"),
        "{%tr for item in facts.members.by_year %}",
    ),
    Placeholder(
        "facts.coverage.municipalities_covered",
        _("Municipalities covered"),
        "{{ facts.coverage.municipalities_covered }} av {{ facts.coverage.municipalities_total }}",
    ),
    Placeholder(
        "facts.coverage.municipalities_total",
        _("Municipalities in the area"),
        "{{ facts.coverage.municipalities_total }}",
    ),
    Placeholder(
        "facts.coverage.units_covered", _("Hospital units covered"), "{{ facts.coverage.units_covered }}"
    ),
    Placeholder(
        "facts.coverage.units_total", _("Hospital units in scope"), "{{ facts.coverage.units_total }}"
    ),
    Placeholder(
        "facts.coverage.statement", _("The coverage sentence, or the gaps"), "{{ facts.coverage.statement }}"
    ),
    Placeholder("facts.coverage.gaps", _("The gaps, one text each"), "{%p for gap in facts.coverage.gaps %}"),
    Placeholder(
        "facts.intro_courses",
        _("Introductory courses, each with: date, title, hours, participants, other_participants"),
        "{%tr for course in facts.intro_courses %}",
    ),
    Placeholder(
        "facts.study_days",
        _("Common study days, each with: date, title, hours, participants, other_participants"),
        "{%tr for day in facts.study_days %}",
    ),
    Placeholder(
        "facts.gatherings",
        _("Gatherings: count, hours, participants, themes, sentence"),
        "{{ facts.gatherings.sentence }}",
    ),
    Placeholder(
        "facts.hours_by_kind",
        _("Hours by activity kind, each with: label, activities, hours, participants"),
        "{%tr for kind in facts.hours_by_kind %}",
    ),
    Placeholder("facts.themes", _("The themes of the year"), "{{ facts.themes|join(', ') }}"),
    Placeholder(
        "facts.shadowing",
        _("Job shadowing, each with: from_municipality, host, persons, days, sentence"),
        "{%p for item in facts.shadowing %}",
    ),
    Placeholder(
        "facts.groups",
        _(
            "Groups, each with: kind, name, mandate, meetings_per_year, "
            "members (name, title, workplace, function)"
        ),
        "{%p for group in facts.groups %}",
    ),
    Placeholder(
        "facts.competence.requirements",
        _("The competence plan per requirement: requirement, applicable, met, percent"),
        "{%tr for r in facts.competence.requirements %}",
    ),
    Placeholder(
        "facts.evaluations",
        _(
            "Evaluations, each with: activity, date, responses, attendees, "
            "questions (text, mean, responses), quotes"
        ),
        "{%p for evaluation in facts.evaluations %}",
    ),
    Placeholder(
        "facts.goals",
        _("The goal table: main_goal, sub_goals (label, description, actions, achievement_label, narrative)"),
        "{%p for goal in facts.goals %}",
    ),
    Placeholder(
        "facts.indicators",
        _("Result indicators, each with: name, unit, value, target"),
        "{%tr for i in facts.indicators %}",
    ),
    Placeholder(
        "facts.dissemination",
        _("The dissemination plan's measures: title, category, timeframe, status_label, comment"),
        "{%tr for m in facts.dissemination %}",
    ),
    Placeholder(
        "facts.priority_areas",
        _("Priority areas: continued and new, each with title, description"),
        "{%p for area in facts.priority_areas.new %}",
    ),
    Placeholder(
        "facts.economy.totals",
        _("Economy: grants, course_fees, other_income, income, costs, result"),
        "{{ facts.economy.totals.grants|nok }}",
    ),
    Placeholder(
        "facts.chapters",
        _(
            "The local chapters, each with: name, slug, members, coverage, gatherings, themes, "
            "shadowing, priority_areas"
        ),
        "{%p for chapter in facts.chapters %}",
    ),
    Placeholder(
        "facts.partners",
        _("Collaboration with other networks, each with: name, organisation, collaboration, since_year"),
        "{%tr for partner in facts.partners %}",
    ),
    Placeholder(
        "narratives.<section>",
        _("The coordinator's text of a section (the section keys are listed in the documentation)"),
        "{{ narratives.purpose }}",
    ),
    Placeholder(
        "chapter_narratives[chapter.slug]",
        _("The coordinator's text about a local chapter"),
        "{{ chapter_narratives[chapter.slug] }}",
    ),
    Placeholder(
        "notes.<section>",
        _("«Skrives av koordinator» in a draft where a section has neither figures nor text"),
        "{{ notes.governing_documents }}",
    ),
    Placeholder(
        "charts.<chart>",
        _("A chart as an image: members, coverage, hours, competence, evaluations (empty without figures)"),
        "{{ charts.members }}",
    ),
    Placeholder(
        "evaluation_rows",
        _("Every evaluation question in one list: activity, date, text, responses, mean"),
        "{%tr for row in evaluation_rows %}",
    ),
    Placeholder(
        "economy_lines",
        _("Every economy line in one list: kind, source, purpose, amount"),
        "{%tr for line in economy_lines %}",
    ),
    Placeholder("|date", _("Filter: an ISO date as 31.12.2024"), "{{ course.date|date }}"),
    Placeholder(
        "|number", _("Filter: a number with decimal comma and thousands separator"), "{{ kind.hours|number }}"
    ),
    Placeholder("|nok", _("Filter: an amount in kroner"), "{{ facts.economy.totals.income|nok }}"),
)


# --- Filters ---------------------------------------------------------------------------------------------


def _date(value: Any) -> str:
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(str(value)[:10]).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)


def _number(value: Any) -> str:
    try:
        return number_text(value)
    except (InvalidOperation, ValueError):
        return str(value)


def _nok(value: Any) -> str:
    try:
        return format_nok(Decimal(str(value or 0)))
    except InvalidOperation:
        return str(value)


# Jinja's own words for a missing name: "'dict object' has no attribute 'foo'", "'fakta' is undefined".
_MISSING = re.compile(r"has no attribute '([^']+)'|^'([^']+)' is undefined")


def _environment() -> SandboxedEnvironment:
    # Sandboxed: an uploaded template is the network's own text, but it must not reach into Python objects.
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    env.filters.update({"date": _date, "number": _number, "nok": _nok})
    return env


# --- Context ---------------------------------------------------------------------------------------------


def _evaluation_rows(facts: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "activity": evaluation["activity"],
            "date": evaluation["date"],
            "text": question["text"],
            "responses": question.get("responses"),
            "mean": question.get("mean"),
        }
        for evaluation in facts.get("evaluations") or []
        for question in evaluation.get("questions") or []
    ]


def _economy_lines(facts: Mapping[str, Any]) -> list[dict[str, Any]]:
    economy = facts.get("economy") or {}
    return [{"kind": label, **line} for key, label in ECONOMY_KINDS for line in economy.get(key) or []]


def docx_context(
    template: DocxTemplate, content: Mapping[str, Any], *, draft: bool = False
) -> dict[str, Any]:
    """What a template sees (PLACEHOLDERS). Narratives of every section are present, empty when unwritten,
    so a template may use any of them without failing on a report that has not got that far."""
    facts = content["facts"]
    narratives = content.get("narratives") or {}
    document = build_document(content)
    charts = {
        key: InlineImage(template, io.BytesIO(chart.png()), width=CHART_WIDTH)
        for key, chart in report_charts(facts).items()
    }
    notes = {
        part.key: ("Skrives av koordinator" if draft else "Ingen opplysninger for dette året.")
        if part.needs_narrative
        else ""
        for part in document.parts
    }
    return {
        "facts": facts,
        "year": facts["year"],
        "draft": draft,
        "narratives": {section.key: narratives.get(section.key, "") for section in SECTIONS},
        "chapter_narratives": {
            chapter.facts["slug"]: chapter.narrative for part in document.parts for chapter in part.chapters
        },
        "notes": notes,
        # Every chart key is present (None when there is nothing to draw), so `{% if charts.hours %}` works.
        "charts": {
            key: charts.get(key) for key in ("members", "coverage", "hours", "competence", "evaluations")
        },
        "evaluation_rows": _evaluation_rows(facts),
        "economy_lines": _economy_lines(facts),
    }


# --- Rendering -------------------------------------------------------------------------------------------


def _load(data: bytes) -> DocxTemplate:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateProblem("Filen er ikke et Word-dokument (.docx).")
    try:
        return DocxTemplate(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a broken package
        raise TemplateProblem("Filen er ikke et Word-dokument (.docx) som kan leses.") from error


def _placeholder_text(template: DocxTemplate, name: str) -> str:
    """The placeholder as the template wrote it ("facts.members.foo", "chapter.foo"): the first dotted
    expression in the template that ends in the missing name."""
    try:
        source = template.patch_xml(template.get_xml())
        tree = _environment().parse(source)
    except TemplateError:
        return name
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        if _last_name(node) == name:
            return _dotted(node) or name
    return name


def _last_name(node: nodes.Node) -> object:
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getitem):
        return getattr(node.arg, "value", None)
    return None


def _dotted(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        parent = _dotted(node.node)
        return None if parent is None else f"{parent}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        parent = _dotted(node.node)
        if parent is None:
            return None
        if isinstance(node.arg, nodes.Const):
            return f"{parent}[{node.arg.value!r}]"
        inner = _dotted(node.arg)
        return f"{parent}[{inner}]" if inner else parent
    return None


def _syntax_message(error: TemplateSyntaxError) -> str:
    # docxtpl puts each Word paragraph on a line of its own and hands back the text of the lines around the
    # error: from three lines before it.
    context = [line.strip() for line in getattr(error, "docx_context", None) or []]
    line = ""
    if context and error.lineno:
        position = (error.lineno - 1) - max(error.lineno - 4, 0)
        line = context[min(position, len(context) - 1)]
    message = f"Malen har en feil i en plassholder: {_sentence(error.message or str(error))}"
    return f"{message} Linjen: «{line}»" if line else message


def _sentence(text: str) -> str:
    return text.rstrip(".") + "."


def _render(template: DocxTemplate, content: Mapping[str, Any], *, draft: bool) -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        context = docx_context(template, content, draft=draft)
        try:
            template.render(context, jinja_env=_environment(), autoescape=True)
        except UndefinedError as error:
            match = _MISSING.search(error.message or "")
            if match is None:
                raise TemplateProblem(
                    f"En plassholder finnes ikke: {_sentence(error.message or '')}"
                ) from error
            name = _placeholder_text(template, match.group(1) or match.group(2))
            raise TemplateProblem(f"Plassholderen «{name}» finnes ikke.") from error
        except TemplateSyntaxError as error:
            raise TemplateProblem(_syntax_message(error)) from error
        except TemplateError as error:
            raise TemplateProblem(f"Malen kan ikke fylles ut: {_sentence(str(error))}") from error
        except (TypeError, ValueError, ArithmeticError) as error:
            raise TemplateProblem(f"Malen kan ikke fylles ut: {_sentence(str(error))}") from error
    _describe_images(template)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def _describe_images(template: DocxTemplate) -> None:
    """Alt text on the chart images: the table beside each holds the numbers, so the image says which chart
    it is (WCAG 1.1.1)."""
    for index, shape in enumerate(template.docx.inline_shapes):
        doc_pr = shape._inline.docPr  # noqa: SLF001 - python-docx has no API for alt text
        if not doc_pr.get("descr"):
            doc_pr.set("descr", f"Diagram {index + 1}. Tallene står i tabellen under.")


def render_docx(content: Mapping[str, Any], *, template: bytes | None = None, draft: bool = False) -> bytes:
    """The report as DOCX, from the network's own template (bytes) or the default one."""
    data = template if template is not None else DEFAULT_TEMPLATE.read_bytes()
    return _render(_load(data), content, draft=draft)


def validate_template(data: bytes, facts: Mapping[str, Any]) -> str | None:
    """None when the template renders `facts`; otherwise the Norwegian error naming the placeholder."""
    try:
        _render(_load(data), {"facts": facts, "narratives": {}}, draft=True)
    except TemplateProblem as problem:
        return problem.message
    return None


def default_template_bytes() -> bytes:
    return DEFAULT_TEMPLATE.read_bytes()
