"""Import of entered indicator values from CSV or XLSX on the import machine (lib/importing.py), and the
template and export files it reads back.

Columns: `indikator` (the indicator's name, case-insensitive), `periode` ("2024"; "2024-K1", "2024-Q1" or
"K1 2024"; "2024-03", "03.2024" or "mars 2024") and `verdi` (a non-negative number, decimal comma allowed).
The period must fit how often the indicator is entered. Importing the same file again changes nothing; an
import never deletes a value.

Fagnett holds no patient data, so a file is refused as a whole when a column's name looks like a person
column (name, national identity number, patient, e-mail, phone) or any cell holds an 11-digit number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fagnett.audit.services import log_action
from fagnett.lib.importing import Column, Importer, Preview, RowReader
from fagnett.lib.tabular import Cell, Table, cell_text
from fagnett.networks.models import Network
from fagnett.plans.indicator_services import NotACount, looks_like_identifier, parse_count
from fagnett.plans.indicator_values import period_code
from fagnett.plans.models import Indicator, IndicatorPeriod, IndicatorSource, IndicatorValue, as_json_number

if TYPE_CHECKING:
    from fagnett.accounts.models import User

UPLOAD_KIND = "plans.indicator_values"
INDICATOR, PERIOD, VALUE = "indikator", "periode", "verdi"
HEADER = (INDICATOR, PERIOD, VALUE)

# Parts of a column name that say the column is about a person; any of them refuses the file.
PERSON_COLUMN_WORDS = (
    "navn",
    "name",
    "fødselsnummer",
    "fodselsnummer",
    "fnr",
    "personnummer",
    "personnr",
    "pasient",
    "patient",
    "e-post",
    "epost",
    "email",
    "e-mail",
    "telefon",
    "mobil",
    "phone",
)

MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "jan"),
            ("februar", "feb"),
            ("mars", "mar"),
            ("april", "apr"),
            ("mai",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("desember", "des"),
        ),
        start=1,
    )
    for name in names
}

_YEAR = re.compile(r"(\d{4})")
_QUARTER = (
    re.compile(r"(?P<year>\d{4})\s*[-/ ]?\s*[KQ](?P<q>[1-4])"),
    re.compile(r"[KQ](?P<q>[1-4])\s*[-/ ]?\s*(?P<year>\d{4})"),
)
_MONTH = (
    re.compile(r"(?P<year>\d{4})-(?P<m>\d{1,2})"),
    re.compile(r"(?P<m>\d{1,2})[./](?P<year>\d{4})"),
    re.compile(r"(?P<name>[a-zæøå]+)\.?\s+(?P<year>\d{4})"),
)


def person_column(header: str) -> bool:
    text = header.strip().lower()
    return any(word in text for word in PERSON_COLUMN_WORDS)


def parse_period(value: Cell) -> tuple[str, int, int] | None:
    """(kind, year, period) for "2024", "2024-K1", "K1 2024", "2024-03", "03.2024", "mars 2024" or a date
    cell (its month); None when the text is none of these."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return IndicatorPeriod.MONTH, value.year, value.month
    text = cell_text(value).strip().upper()
    if _YEAR.fullmatch(text):
        return IndicatorPeriod.YEAR, int(text), 0
    for pattern in _QUARTER:
        if match := pattern.fullmatch(text):
            return IndicatorPeriod.QUARTER, int(match["year"]), int(match["q"])
    lower = text.lower()
    for pattern in _MONTH:
        if match := pattern.fullmatch(lower):
            if "name" in match.groupdict():
                month = MONTH_NAMES.get(match["name"])
            else:
                month = int(match["m"])
            if month is not None and 1 <= month <= 12:
                return IndicatorPeriod.MONTH, int(match["year"]), month
    return None


def _period_example(kind: str) -> str:
    return {"kvartal": "2024-K1", "maaned": "2024-03"}.get(kind, "2024")


@dataclass(frozen=True)
class ValueItem:
    row: int
    indicator: Indicator
    year: int
    period: int
    value: Decimal
    action: str  # "create", "update" or "unchanged"

    @property
    def code(self) -> str:
        return period_code(self.indicator.period, self.year, self.period)


class IndicatorValuesImporter(Importer[ValueItem]):
    columns: ClassVar[tuple[Column, ...]] = (
        Column(
            INDICATOR,
            required=True,
            help=gettext_lazy("The indicator's name, as on the indicators page."),
            example="Henvisninger barnepalliasjon",
        ),
        Column(
            PERIOD,
            required=True,
            help=gettext_lazy(
                "A year (2024), a quarter (2024-K1) or a month (2024-03), as the indicator is entered."
            ),
            example="2024-K1",
        ),
        Column(
            VALUE,
            required=True,
            help=gettext_lazy("A number, 0 or more; decimal comma allowed. Never anything about a patient."),
            example="12",
        ),
    )

    def __init__(self, network: Network) -> None:
        self.network = network

    def validate(self, table: Table) -> Preview[ValueItem]:
        # A person column refuses the file before anything else is read from it.
        refused = [header for header in table.headers if person_column(header)]
        if refused:
            preview: Preview[ValueItem] = Preview(rows_total=len(table.rows), table=table)
            for header in refused:
                preview.error(
                    table.header_row,
                    header,
                    _(
                        "The column “%(column)s” looks like a column about persons. Fagnett stores only "
                        "aggregate counts, never patient or person data: remove the column and upload the "
                        "file again."
                    )
                    % {"column": header},
                )
            return preview
        return super().validate(table)

    def validate_rows(self, table: Table, preview: Preview[ValueItem]) -> None:
        indicators = {
            indicator.name.strip().lower(): indicator
            for indicator in Indicator.objects.filter(network=self.network).order_by(Lower("name"), "pk")
        }
        entered_ids = [indicator.pk for indicator in indicators.values() if not indicator.is_computed]
        stored = {
            (indicator_id, year, period): value
            for indicator_id, year, period, value in IndicatorValue.objects.filter(
                indicator_id__in=entered_ids
            ).values_list("indicator_id", "year", "period", "value")
        }
        seen: dict[tuple[int, int, int], int] = {}
        for row in table.rows:
            reader = RowReader(row, preview)
            for column in table.headers:
                if looks_like_identifier(cell_text(row.get(column))):
                    reader.error(
                        column,
                        _(
                            "The cell holds an 11-digit number, which looks like a national identity number. "
                            "Fagnett stores only aggregate counts, never patient or person data: the file is "
                            "refused."
                        ),
                    )
            if reader.failed:
                continue
            name = reader.text(INDICATOR, required=True)
            indicator = indicators.get(name.lower()) if name else None
            if name and indicator is None:
                reader.error(INDICATOR, _("The network has no indicator named “%(name)s”.") % {"name": name})
            elif indicator is not None and indicator.is_computed:
                reader.error(
                    INDICATOR,
                    _(
                        "The indicator “%(name)s” is computed from Fagnett's data; its values cannot be "
                        "imported."
                    )
                    % {"name": indicator.name},
                )
                indicator = None
            raw_period = reader.raw(PERIOD)
            parsed = parse_period(raw_period)
            if raw_period is None or not cell_text(raw_period):
                reader.error(PERIOD, _("A value is required."))
            elif parsed is None:
                reader.error(
                    PERIOD,
                    _(
                        "“%(value)s” is not a period. Write a year (2024), a quarter (2024-K1) or a month "
                        "(2024-03)."
                    )
                    % {"value": cell_text(raw_period)},
                )
            elif indicator is not None and parsed[0] != indicator.period:
                reader.error(
                    PERIOD,
                    _(
                        "The indicator “%(name)s” is entered per %(kind)s, so the period must be written "
                        "like %(example)s, not “%(value)s”."
                    )
                    % {
                        "name": indicator.name,
                        "kind": indicator.get_period_display().lower(),
                        "example": _period_example(indicator.period),
                        "value": cell_text(raw_period),
                    },
                )
            elif not 1950 <= parsed[1] <= 2100:
                reader.error(PERIOD, _("The year must be from 1950 to 2100."))
            value = self._value(reader, row.get(VALUE))
            if reader.failed or indicator is None or parsed is None or value is None:
                continue
            key = (indicator.pk, parsed[1], parsed[2])
            if key in seen:
                reader.error(
                    PERIOD,
                    _("The indicator “%(name)s” has this period on row %(row)s too.")
                    % {"name": indicator.name, "row": seen[key]},
                )
                continue
            seen[key] = row.number
            old = stored.get(key)
            action = "create" if old is None else ("unchanged" if old == value else "update")
            preview.items.append(
                ValueItem(
                    row=row.number,
                    indicator=indicator,
                    year=key[1],
                    period=key[2],
                    value=value,
                    action=action,
                )
            )
        preview.to_create = sum(1 for item in preview.items if item.action == "create")
        preview.to_update = sum(1 for item in preview.items if item.action == "update")
        preview.unchanged = sum(1 for item in preview.items if item.action == "unchanged")

    def _value(self, reader: RowReader, raw: Cell) -> Decimal | None:
        if isinstance(raw, bool) or raw is None or not cell_text(raw):
            reader.error(VALUE, _("A value is required."))
            return None
        text = cell_text(raw) if not isinstance(raw, (int, float)) else str(Decimal(str(raw)))
        try:
            return parse_count(text, where=VALUE)
        except NotACount as error:
            reader.error(VALUE, str(error))
            return None

    def write(self, preview: Preview[ValueItem], *, actor: User | None) -> None:
        changing = [item for item in preview.items if item.action != "unchanged"]
        existing = {
            (row.indicator_id, row.year, row.period): row
            for row in IndicatorValue.objects.select_for_update().filter(
                indicator__in={item.indicator.pk for item in changing}
            )
        }
        created: list[IndicatorValue] = []
        updated: list[IndicatorValue] = []
        changed: dict[int, list[str]] = {}
        for item in changing:
            row = existing.get((item.indicator.pk, item.year, item.period))
            if row is None:
                created.append(
                    IndicatorValue(
                        indicator=item.indicator, year=item.year, period=item.period, value=item.value
                    )
                )
            else:
                row.value = item.value
                updated.append(row)
            changed.setdefault(item.indicator.pk, []).append(item.code)
        IndicatorValue.objects.bulk_create(created)
        IndicatorValue.objects.bulk_update(updated, ["value"])
        indicators = {item.indicator.pk: item.indicator for item in changing}
        for pk, codes in changed.items():
            log_action(
                "plans.indicator_values_imported",
                actor=actor,
                target=indicators[pk],
                network=self.network,
                fields=codes,
                data={"file": preview.source_name},
            )


# --- Template and export ----------------------------------------------------------------------------------


def template_rows(network: Network) -> list[Sequence[Cell]]:
    """The header and two example rows: the network's own entered indicators when it has them."""
    rows: list[Sequence[Cell]] = [HEADER]
    for indicator in Indicator.objects.filter(network=network, source=IndicatorSource.ENTERED).order_by(
        "position", "name"
    )[:2]:
        rows.append((indicator.name, _period_example(indicator.period), "12"))
    examples = (("Henvisninger barnepalliasjon", "2024", "12"), ("Telefoniske kontakter", "2024-K1", "38"))
    rows.extend(examples[: 3 - len(rows)])
    return rows


def export_rows(network: Network, *, decimal_comma: bool) -> list[Sequence[Cell]]:
    """Every entered value of the network (indikator, periode, verdi), in the indicators' order. One query."""
    values = (
        IndicatorValue.objects.filter(indicator__network=network)
        .select_related("indicator")
        .order_by("indicator__position", "indicator__name", "year", "period")
    )
    rows: list[Sequence[Cell]] = [HEADER]
    for value in values:
        number = as_json_number(value.value)
        shown: Cell = str(number).replace(".", ",") if decimal_comma else number
        rows.append(
            (value.indicator.name, period_code(value.indicator.period, value.year, value.period), shown)
        )
    return rows
