"""The coverage check (seed 002: "Alle kommuner i området har minst en ressursperson fra hjemmetjenesten, og
en fra sykehjemmet. Alle enheter på sykehuset … er også representert med minst en person.").

`compute_coverage` turns the stored rules and memberships into a `CoverageFacts` object in a fixed number of
queries; the coverage page, the dashboard, the `coverage` command and the CSV export all read that object and
never query themselves (ARCHITECTURE.md §5).

What counts: distinct persons with a membership whose role code is "ressursperson", active on the date (start
and end both included). A person counts for the municipality and service type of their workplace, and a
hospital-unit person for their unit. The workplace is the one stored on the person today: the roster keeps no
history of workplaces, so a check of a past date uses today's workplaces.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, QuerySet
from django.utils.translation import gettext as _

from fagnett.networks.models import (
    CoverageRule,
    CoverageScope,
    LocalChapter,
    Membership,
    Network,
    Role,
    ServiceType,
    Workplace,
)
from fagnett.networks.services import DEFAULT_COVERAGE
from fagnett.places.models import Municipality

# Values of the CSV export's `type` and `covered` columns. They are data, not interface text, so they stay the
# same whatever language the user reads the page in (docs/commands.md).
CSV_MUNICIPALITY = "kommune"
CSV_UNIT = "sykehusavdeling"
CSV_YES = "ja"
CSV_NO = "nei"


@dataclass(frozen=True)
class RequiredType:
    """A municipality rule: at least `minimum` resource persons from workplaces of this service type."""

    pk: int
    code: str
    name: str
    minimum: int


@dataclass(frozen=True)
class Cell:
    """One municipality × service type count of the matrix."""

    code: str
    count: int
    met: bool


@dataclass(frozen=True)
class MunicipalityCoverage:
    number: str
    name: str
    cells: tuple[Cell, ...]  # in the order of CoverageFacts.required_types

    @property
    def counts(self) -> dict[str, int]:
        return {cell.code: cell.count for cell in self.cells}

    @property
    def covered(self) -> bool:
        return all(cell.met for cell in self.cells)

    @property
    def missing(self) -> tuple[str, ...]:
        """The codes of the service types whose rule is not met."""
        return tuple(cell.code for cell in self.cells if not cell.met)

    @property
    def total(self) -> int:
        """Resource persons counted for the municipality: each person has one workplace, so the sum of the
        counts per service type counts nobody twice."""
        return sum(cell.count for cell in self.cells)


@dataclass(frozen=True)
class UnitCoverage:
    name: str
    health_trust: str
    count: int
    covered: bool


@dataclass(frozen=True)
class ChapterCoverage:
    """One local chapter's line in the network's overview: its own area, its own memberships."""

    slug: str
    name: str
    municipalities_covered: int
    municipalities_total: int


@dataclass(frozen=True)
class CoverageFacts:
    on: dt.date
    chapter_slug: str  # "" for the whole network
    chapter_name: str
    required_types: tuple[RequiredType, ...]
    unit_minimum: int | None  # None when no rule asks for hospital units
    default_rules: bool  # the network has no rules of its own; the annual-report template's rule was used
    municipalities: tuple[MunicipalityCoverage, ...]
    units_checked: bool  # False for a local chapter and when no rule asks for hospital units
    units: tuple[UnitCoverage, ...]
    chapters: tuple[ChapterCoverage, ...]  # empty for a local chapter's view
    persons_without_workplace: int  # active resource persons nobody can count anywhere

    @property
    def municipalities_covered(self) -> int:
        return sum(1 for m in self.municipalities if m.covered)

    @property
    def municipalities_total(self) -> int:
        return len(self.municipalities)

    @property
    def units_covered(self) -> int:
        return sum(1 for u in self.units if u.covered)

    @property
    def units_total(self) -> int:
        return len(self.units)

    @property
    def all_covered(self) -> bool:
        return (
            self.municipalities_covered == self.municipalities_total
            and self.units_covered == self.units_total
        )

    def type_name(self, code: str) -> str:
        return next((t.name for t in self.required_types if t.code == code), code)

    @property
    def municipality_gaps(self) -> tuple[str, ...]:
        return tuple(
            _("%(name)s: missing %(types)s")
            % {"name": m.name, "types": _join([self.type_name(code).lower() for code in m.missing])}
            for m in self.municipalities
            if not m.covered
        )

    @property
    def unit_gaps(self) -> tuple[str, ...]:
        return tuple(
            _("%(name)s: missing a resource person") % {"name": _unit_label(u)}
            for u in self.units
            if not u.covered
        )

    @property
    def gaps(self) -> tuple[str, ...]:
        """Every gap by name, municipalities first ("Sola: mangler sykehjem")."""
        return self.municipality_gaps + self.unit_gaps

    def statement(self) -> str:
        """The annual report's coverage sentences: the template's sentence when everything is covered,
        otherwise how many are covered and the gaps by name."""
        sentences: list[str] = []
        if not self.municipalities:
            sentences.append(_("No municipalities are registered in the area."))
        elif self.municipalities_covered == self.municipalities_total:
            sentences.append(self._municipality_sentence())
        else:
            sentences.append(
                _("%(covered)s of %(total)s municipalities in the area are covered.")
                % {"covered": self.municipalities_covered, "total": self.municipalities_total}
            )
            sentences.extend(f"{gap}." for gap in self.municipality_gaps)
        if self.units and self.unit_minimum is not None:
            if self.units_covered == self.units_total:
                sentences.append(_unit_sentence(self.unit_minimum))
            else:
                sentences.append(
                    _("%(covered)s of %(total)s hospital units in scope are represented.")
                    % {"covered": self.units_covered, "total": self.units_total}
                )
                sentences.extend(f"{gap}." for gap in self.unit_gaps)
        return " ".join(sentences)

    def _municipality_sentence(self) -> str:
        if not self.required_types:
            return _("The network has no coverage rule for municipalities.")
        parts = [
            _requirement(required, first=index == 0) for index, required in enumerate(self.required_types)
        ]
        return _("Every municipality in the area has at least %(requirements)s.") % {
            "requirements": _join(parts)
        }


def _join(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c" in the active language."""
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _source(required: RequiredType) -> str:
    # Norwegian needs the definite form here ("fra hjemmetjenesten", "fra sykehjemmet"), which cannot be built
    # from the stored name, so the built-in types have their own phrases; a network's own type uses its name.
    if required.code == ServiceType.HOME_CARE:
        return _("from home care")
    if required.code == ServiceType.NURSING_HOME:
        return _("from a nursing home")
    if required.code == ServiceType.HOSPITAL_UNIT:
        return _("from a hospital unit")
    return _("from %(service_type)s") % {"service_type": required.name.lower()}


def _requirement(required: RequiredType, *, first: bool) -> str:
    source = _source(required)
    if first:
        if required.minimum == 1:
            return _("one resource person %(source)s") % {"source": source}
        return _("%(n)s resource persons %(source)s") % {"n": required.minimum, "source": source}
    if required.minimum == 1:
        return _("one %(source)s") % {"source": source}
    return f"{required.minimum} {source}"


def _unit_sentence(minimum: int) -> str:
    if minimum == 1:
        return _(
            "Every unit of the hospital in the network's area is represented by at least one resource person."
        )
    return _(
        "Every unit of the hospital in the network's area is represented by at least %(n)s resource persons."
    ) % {"n": minimum}


def _unit_label(unit: UnitCoverage) -> str:
    return f"{unit.name} ({unit.health_trust})" if unit.health_trust else unit.name


# --- computing ---


def _rules(network: Network) -> tuple[tuple[RequiredType, ...], int | None, bool]:
    """The municipality rules, the hospital-unit minimum, and whether the defaults stood in (one query, two
    when the network has no rules)."""
    rules = list(CoverageRule.objects.filter(network=network).select_related("service_type"))
    if not rules:
        # A read must not write, so the defaults that services.ensure_default_coverage_rules would store are
        # applied in memory until a coordinator stores rules.
        codes = [code for _scope, code in DEFAULT_COVERAGE if code]
        types = {t.code: t for t in ServiceType.objects.filter(network=None, code__in=codes)}
        required = tuple(
            RequiredType(pk=t.pk, code=t.code, name=t.name, minimum=1)
            for t in sorted(types.values(), key=lambda t: t.name)
        )
        return required, 1, True
    required = tuple(
        RequiredType(
            pk=r.service_type.pk, code=r.service_type.code, name=r.service_type.name, minimum=r.minimum
        )
        for r in rules
        if r.scope == CoverageScope.MUNICIPALITY and r.service_type is not None
    )
    unit_minimums = [r.minimum for r in rules if r.scope == CoverageScope.HOSPITAL_UNIT]
    return required, (max(unit_minimums) if unit_minimums else None), False


# (municipality id, service type id) → persons, and workplace id → persons
_Counts = tuple[dict[tuple[int, int], int], dict[int, int], int]


def _count(rows: Iterable[dict[str, Any]]) -> _Counts:
    by_place: dict[tuple[int, int], int] = defaultdict(int)
    by_workplace: dict[int, int] = {}
    without_workplace = 0
    for row in rows:
        if row["workplace"] is None:
            without_workplace += row["n"]
            continue
        by_workplace[row["workplace"]] = row["n"]
        if row["municipality"] is not None:
            # Summing per workplace counts nobody twice: a person has exactly one workplace.
            by_place[(row["municipality"], row["service_type"])] += row["n"]
    return by_place, by_workplace, without_workplace


_GROUPING = {
    "workplace": F("person__workplace_id"),
    "municipality": F("person__workplace__municipality_id"),
    "service_type": F("person__workplace__service_type_id"),
}


def _municipality(
    municipality: Municipality, required: tuple[RequiredType, ...], by_place: dict[tuple[int, int], int]
) -> MunicipalityCoverage:
    cells = []
    for rule in required:
        count = by_place.get((municipality.pk, rule.pk), 0)
        cells.append(Cell(code=rule.code, count=count, met=count >= rule.minimum))
    return MunicipalityCoverage(
        number=municipality.number, name=municipality.display_name, cells=tuple(cells)
    )


def compute_coverage(
    network: Network, on: dt.date, chapter: LocalChapter | None = None, *, with_chapters: bool = True
) -> CoverageFacts:
    """Coverage of the network's area on `on`, or of a local chapter's area counting only that chapter's
    memberships. Hospital units belong to the network as a whole, so a chapter's view lists none.

    Queries: the rules (1, or 2 when the defaults stand in), the area (1), the counts (1); for the network
    also the hospital units (1) and, with `with_chapters`, each chapter's area and counts (2). The number
    never depends on how many persons, municipalities or chapters there are.
    """
    required, unit_minimum, default_rules = _rules(network)
    active = Membership.objects.active_on(on).filter(network=network, role__code=Role.RESOURCE_PERSON)
    if chapter is not None:
        active = active.filter(chapter=chapter)
        area = chapter.municipalities.all()
    else:
        area = network.municipalities.all()
    by_place, by_workplace, without_workplace = _count(
        active.values(**_GROUPING).annotate(n=Count("person_id", distinct=True)).order_by()
    )
    municipalities = tuple(
        _municipality(m, required, by_place) for m in area.order_by("display_name", "number")
    )

    units: tuple[UnitCoverage, ...] = ()
    units_checked = chapter is None and unit_minimum is not None
    if units_checked and unit_minimum is not None:
        in_scope = Workplace.objects.filter(
            network=network, in_scope=True, service_type__code=ServiceType.HOSPITAL_UNIT
        ).select_related("health_trust")
        units = tuple(
            UnitCoverage(
                name=w.name,
                health_trust=w.health_trust.name if w.health_trust else "",
                count=by_workplace.get(w.pk, 0),
                covered=by_workplace.get(w.pk, 0) >= unit_minimum,
            )
            for w in in_scope.order_by("name", "pk")
        )

    chapters: tuple[ChapterCoverage, ...] = ()
    if chapter is None and with_chapters:
        chapters = _chapter_lines(network, active, required)

    return CoverageFacts(
        on=on,
        chapter_slug=chapter.slug if chapter else "",
        chapter_name=chapter.name if chapter else "",
        required_types=required,
        unit_minimum=unit_minimum,
        default_rules=default_rules,
        municipalities=municipalities,
        units_checked=units_checked,
        units=units,
        chapters=chapters,
        persons_without_workplace=without_workplace,
    )


def _chapter_lines(
    network: Network, active: QuerySet[Membership], required: tuple[RequiredType, ...]
) -> tuple[ChapterCoverage, ...]:
    """Every chapter's covered/total in two queries: the chapters with their areas, and the counts grouped by
    chapter."""
    areas: dict[int, tuple[str, str, list[int]]] = {}
    for pk, slug, name, municipality_id in (
        LocalChapter.objects.filter(network=network)
        .order_by("name", "pk")
        .values_list("pk", "slug", "name", "municipalities__id")
    ):
        entry = areas.setdefault(pk, (slug, name, []))
        if municipality_id is not None:
            entry[2].append(municipality_id)
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in (
        active.filter(chapter__isnull=False)
        .values("chapter_id", **_GROUPING)
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    ):
        grouped[row["chapter_id"]].append(row)
    lines = []
    for pk, (slug, name, municipality_ids) in areas.items():
        by_place = _count(grouped.get(pk, []))[0]
        covered = sum(
            1
            for municipality_id in set(municipality_ids)
            if all(by_place.get((municipality_id, rule.pk), 0) >= rule.minimum for rule in required)
        )
        lines.append(
            ChapterCoverage(
                slug=slug,
                name=name,
                municipalities_covered=covered,
                municipalities_total=len(set(municipality_ids)),
            )
        )
    return tuple(lines)


# --- renderers ---


def coverage_json(facts: CoverageFacts) -> dict[str, Any]:
    """The `coverage --format json` object (docs/commands.md); its keys are a public interface."""
    return {
        "date": facts.on.isoformat(),
        "municipalities": [
            {
                "number": m.number,
                "name": m.name,
                "counts": m.counts,
                "covered": m.covered,
                "missing": list(m.missing),
            }
            for m in facts.municipalities
        ],
        "units": [
            {"name": u.name, "health_trust": u.health_trust, "count": u.count, "covered": u.covered}
            for u in facts.units
        ],
        "municipalities_covered": facts.municipalities_covered,
        "municipalities_total": facts.municipalities_total,
        "units_covered": facts.units_covered,
        "units_total": facts.units_total,
    }


def coverage_csv(facts: CoverageFacts) -> str:
    """The CSV of the `coverage` command and the page's export (the same text): comma-separated, a header row,
    one row per municipality, then one per hospital unit (docs/commands.md)."""
    codes = [t.code for t in facts.required_types]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["type", "number", "name", *codes, "count", "covered"])
    for m in facts.municipalities:
        counts = m.counts
        writer.writerow(
            [
                CSV_MUNICIPALITY,
                m.number,
                m.name,
                *(counts[code] for code in codes),
                m.total,
                CSV_YES if m.covered else CSV_NO,
            ]
        )
    for u in facts.units:
        writer.writerow(
            [CSV_UNIT, "", u.name, *("" for _code in codes), u.count, CSV_YES if u.covered else CSV_NO]
        )
    return out.getvalue()
