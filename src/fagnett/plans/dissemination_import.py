"""Import of a dissemination plan's measures from XLSX or CSV, on the one import machine (lib/importing.py).

Columns: kategori, tiltak, maalgruppe, virkemidler, fra_aar, til_aar, loepende, satsingsomraade — the same as
the plan's XLSX export, so an export imports again unchanged.

- kategori: a category's code or name (built-in or the network's own); an unknown one is a row error, never
  created on the fly (a typo would otherwise become a new category).
- maalgruppe: target groups by code or name, separated by commas.
- virkemidler: one means per line, or separated by ";".
- fra_aar / til_aar: four-digit years or empty; loepende / satsingsomraade: ja, nei, x, true, false or empty.

A measure is recognised by category and title: the row updates it (category, target groups, means, years and
the two flags; other fields stay as they are), so importing the same file twice creates nothing twice. A file
with an error in any row writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fagnett.audit.models import AuditEntry
from fagnett.audit.services import audit_entry, log_entries
from fagnett.core.years import FIRST_YEAR, LAST_YEAR
from fagnett.lib.importing import Column, Importer, Preview, RowReader
from fagnett.lib.tabular import Cell, Table, cell_text
from fagnett.networks.models import Network
from fagnett.plans.dissemination_queries import target_groups_in_order
from fagnett.plans.dissemination_services import (
    MEASURE_TITLE_MAX_LENGTH,
    MeasureData,
    check_measure,
    clean_means,
    next_position,
)
from fagnett.plans.models import DisseminationPlan, Measure, MeasureCategory, TargetGroup

if TYPE_CHECKING:
    from fagnett.accounts.models import User

KIND = "plans.dissemination"
CATEGORY, TITLE, GROUPS, MEANS = "kategori", "tiltak", "maalgruppe", "virkemidler"
FROM_YEAR, TO_YEAR, ONGOING, PRIORITY = "fra_aar", "til_aar", "loepende", "satsingsomraade"
COLUMN_NAMES = (CATEGORY, TITLE, GROUPS, MEANS, FROM_YEAR, TO_YEAR, ONGOING, PRIORITY)
TRUE_WORDS = frozenset({"ja", "x", "true"})
FALSE_WORDS = frozenset({"", "nei", "false"})
# Measure fields an import row sets; a service error on another field would be a bug, shown on the row.
_ERROR_COLUMNS = {
    "category": CATEGORY,
    "title": TITLE,
    "target_groups": GROUPS,
    "means": MEANS,
    "from_year": FROM_YEAR,
    "to_year": TO_YEAR,
}


def stored_kind(plan: DisseminationPlan) -> str:
    """The kind a stored upload is kept as: bound to the plan, so a preview's address imports nowhere else."""
    return f"{KIND}.{plan.pk}"


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(eq=False)
class MeasureItem:
    row: int
    category: MeasureCategory
    title: str
    target_groups: list[TargetGroup]
    means: str
    from_year: int | None
    to_year: int | None
    ongoing: bool
    priority_area: bool
    existing: Measure | None
    action: str = "none"  # "create", "update" or "none"
    changed: list[str] = field(default_factory=list)


class DisseminationImporter(Importer[MeasureItem]):
    columns: ClassVar[tuple[Column, ...]] = (
        Column(
            CATEGORY,
            required=True,
            help=gettext_lazy("The category's code or name, e.g. Nettverksarbeid. Must exist already."),
            example="Nettverksarbeid",
        ),
        Column(TITLE, required=True, help=gettext_lazy("What the measure is."), example="Nettverksmøter"),
        Column(
            GROUPS,
            help=gettext_lazy("Target groups by code or name, separated by commas: P, H, B, R or your own."),
            example="H, P",
        ),
        Column(
            MEANS,
            help=gettext_lazy("How: one means per line in the cell, or separated by ;."),
            example="Nettside; Nyhetsbrev",
        ),
        Column(FROM_YEAR, help=gettext_lazy("First year (four digits), or empty."), example="2024"),
        Column(TO_YEAR, help=gettext_lazy("Last year (four digits), or empty."), example="2034"),
        Column(
            ONGOING,
            help=gettext_lazy("Ongoing without an end year: ja, nei, x or empty."),
            example="nei",
        ),
        Column(PRIORITY, help=gettext_lazy("Priority area: ja, nei, x or empty."), example="nei"),
    )

    def __init__(self, plan: DisseminationPlan) -> None:
        self.plan = plan
        self.network: Network = plan.network

    def lock(self) -> None:
        # Two imports into the same plan at once: the second waits, then sees the first's measures.
        list(DisseminationPlan.objects.select_for_update().filter(pk=self.plan.pk).values_list("pk"))

    def _load(self) -> None:
        # Built-in entries first, so that a network's own entry never shadows a built-in code or name.
        self.categories: dict[str, MeasureCategory] = {}
        for category in sorted(
            MeasureCategory.objects.for_network(self.network), key=lambda c: c.network_id is not None
        ):
            self.categories.setdefault(_key(category.code), category)
            self.categories.setdefault(_key(category.name), category)
        self.groups: dict[str, TargetGroup] = {}
        for group in target_groups_in_order(TargetGroup.objects.for_network(self.network)):
            self.groups.setdefault(_key(group.code), group)
            self.groups.setdefault(_key(group.name), group)
        self.measures: dict[tuple[int, str], Measure] = {}
        for measure in Measure.objects.filter(plan=self.plan).prefetch_related("target_groups"):
            self.measures.setdefault((measure.category_id, _key(measure.title)), measure)

    def validate_rows(self, table: Table, preview: Preview[MeasureItem]) -> None:
        self._load()
        seen: dict[tuple[int, str], int] = {}
        for row in table.rows:
            reader = RowReader(row, preview)
            category_text = reader.text(CATEGORY, required=True)
            category = self.categories.get(_key(category_text)) if category_text else None
            if category_text and category is None:
                reader.error(
                    CATEGORY,
                    _("The category “%(value)s” does not exist. Use its code or name, or add it first.")
                    % {"value": category_text},
                )
            title = " ".join(reader.text(TITLE, required=True, max_length=MEASURE_TITLE_MAX_LENGTH).split())
            groups = self._groups(reader)
            means = clean_means(cell_text(reader.raw(MEANS)).replace(";", "\n"))
            from_year = self._year(reader, FROM_YEAR)
            to_year = self._year(reader, TO_YEAR)
            ongoing = self._flag(reader, ONGOING)
            priority = self._flag(reader, PRIORITY)
            if reader.failed or category is None or not title:
                continue
            key = (category.pk, _key(title))
            if key in seen:
                reader.error(
                    TITLE,
                    _("The measure “%(title)s” in the category “%(category)s” is also on row %(row)s.")
                    % {"title": title, "category": category.name, "row": seen[key]},
                )
                continue
            seen[key] = row.number
            data = MeasureData(
                category=category,
                title=title,
                target_groups=groups,
                means=means,
                from_year=from_year,
                to_year=to_year,
                ongoing=ongoing,
                priority_area=priority,
            )
            try:
                check_measure(self.network, data)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    for message in messages:
                        reader.error(_ERROR_COLUMNS.get(name, ""), message)
                continue
            existing = self.measures.get(key)
            item = MeasureItem(
                row=row.number,
                category=category,
                title=title,
                target_groups=groups,
                means=means,
                from_year=from_year,
                to_year=to_year,
                ongoing=ongoing,
                priority_area=priority,
                existing=existing,
            )
            if existing is None:
                item.action = "create"
                preview.to_create += 1
            else:
                item.changed = _changes(existing, item)
                if item.changed:
                    item.action = "update"
                    preview.to_update += 1
                else:
                    preview.unchanged += 1
            preview.items.append(item)

    def _groups(self, reader: RowReader) -> list[TargetGroup]:
        groups: list[TargetGroup] = []
        for part in cell_text(reader.raw(GROUPS)).split(","):
            if not part.strip():
                continue
            group = self.groups.get(_key(part))
            if group is None:
                reader.error(
                    GROUPS,
                    _("The target group “%(value)s” does not exist. Use a code or name, or add it first.")
                    % {"value": part.strip()},
                )
            elif group not in groups:
                groups.append(group)
        return groups

    @staticmethod
    def _year(reader: RowReader, column: str) -> int | None:
        raw = reader.raw(column)
        text = cell_text(raw)
        if not text:
            return None
        if len(text) == 4 and text.isascii() and text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR:
            return int(text)
        reader.error(
            column,
            _("“%(value)s” is not a year. Write four digits from %(first)s to %(last)s, or leave it empty.")
            % {"value": text, "first": FIRST_YEAR, "last": LAST_YEAR},
        )
        return None

    @staticmethod
    def _flag(reader: RowReader, column: str) -> bool:
        raw: Cell = reader.raw(column)
        if isinstance(raw, bool):
            return raw
        text = cell_text(raw).casefold()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        reader.error(
            column,
            _("“%(value)s” is not yes or no. Write ja, nei, x or leave it empty.")
            % {"value": cell_text(raw)},
        )
        return False

    def write(self, preview: Preview[MeasureItem], *, actor: User | None) -> None:
        audit: list[AuditEntry] = []
        position = next_position(self.plan)
        for item in preview.items:
            if item.action == "create":
                measure = Measure.objects.create(
                    plan=self.plan,
                    category=item.category,
                    title=item.title,
                    means=item.means,
                    from_year=item.from_year,
                    to_year=item.to_year,
                    ongoing=item.ongoing,
                    priority_area=item.priority_area,
                    position=position,
                )
                position += 1
                measure.target_groups.set(item.target_groups)
                audit.append(
                    audit_entry("plans.measure_created", actor=actor, target=measure, network=self.network)
                )
            elif item.action == "update" and item.existing is not None:
                measure = item.existing
                for name in ("means", "from_year", "to_year", "ongoing", "priority_area"):
                    setattr(measure, name, getattr(item, name))
                measure.save()
                if "target_groups" in item.changed:
                    measure.target_groups.set(item.target_groups)
                audit.append(
                    audit_entry(
                        "plans.measure_updated",
                        actor=actor,
                        target=measure,
                        network=self.network,
                        fields=item.changed,
                    )
                )
        audit.append(
            audit_entry(
                "plans.measures_imported",
                actor=actor,
                target=self.plan,
                network=self.network,
                data={
                    "file": preview.source_name,
                    "created": preview.to_create,
                    "updated": preview.to_update,
                },
            )
        )
        log_entries(audit)


def _changes(measure: Measure, item: MeasureItem) -> list[str]:
    changed = [
        name
        for name in ("means", "from_year", "to_year", "ongoing", "priority_area")
        if getattr(measure, name) != getattr(item, name)
    ]
    if {group.pk for group in measure.target_groups.all()} != {group.pk for group in item.target_groups}:
        changed.append("target_groups")
    return changed


def item_cells(item: MeasureItem) -> list[str]:
    """The preview table's cells: what happens, category, measure."""
    action = _("Will be added") if item.action == "create" else _("Will be changed")
    return [str(action), item.category.name, item.title]


def template_rows() -> list[list[Cell]]:
    """The header and two example rows from a national service's plan (seed 000)."""
    return [
        list(COLUMN_NAMES),
        [
            "Informasjon om tjenesten",
            "Informasjon om tjenesten",
            "H",
            "Nettside\nRegelmessige nyhetsbrev\nDeltakelse på konferanser\n"
            "Tilbud om undervisning/seminar i regi av kompetansetjenesten",
            2024,
            2034,
            "nei",
            "nei",
        ],
        [
            "Nettverksarbeid",
            "Nettverksarbeid",
            "H",
            "Opprette lokale og regionale nettverk\nRegelmessige nettverksmøter x 2–4/år",
            2024,
            2034,
            "nei",
            "ja",
        ],
    ]
