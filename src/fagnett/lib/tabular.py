"""Reading spreadsheets that people make by hand: CSV or XLSX into a header and numbered rows.

Django-free, so the import machine (lib/importing.py), the CLI and the benchmarks share it. What it accepts:

- CSV separated by commas or semicolons (Norwegian Excel saves with semicolons), in UTF-8 with or without a
  byte-order mark, or in Windows-1252 (what Norwegian Excel writes for "CSV (semikolondelt)") when the bytes
  are not valid UTF-8;
- XLSX: the first sheet, with the cached values of formulas, date cells as dates and number cells as
  numbers.

Row numbers are the ones the spreadsheet program shows (the header is normally row 1), so that an error
message can say "rad 7" and the coordinator finds row 7.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | None

EXTENSIONS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TabularError(Exception):
    """The file cannot be read as a table. `message` is Norwegian, for the coordinator; `code` and `params`
    let a caller with a translation catalogue say the same in the user's language."""

    def __init__(self, code: str, message: str, **params: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, Cell]

    def get(self, column: str) -> Cell:
        return self.values.get(column)


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[Row]
    header_row: int = 1


def normalise_header(value: Cell) -> str:
    return cell_text(value).strip().lower()


def cell_text(value: Cell) -> str:
    """A cell as text: None → "", 301.0 → "301" (Excel keeps whole numbers as floats), dates dd.mm.yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


_NORWEGIAN_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def parse_date(value: Cell) -> dt.date:
    """dd.mm.yyyy, d.m.yyyy, yyyy-mm-dd, or a date cell → date; anything else raises ValueError."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"Not a date: {value!r}")
    text = value.strip()
    if match := _NORWEGIAN_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValueError(f"Not a date: {value!r}")
    return dt.date(year, month, day)  # raises ValueError for 31.02.2024


def extension_of(filename: str) -> str:
    return Path(filename).suffix.lower().lstrip(".")


def read_path(path: Path | str) -> Table:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TabularError("unreadable", "Kan ikke lese filen.") from error
    return read_table(data, path.name)


def read_table(data: bytes, filename: str) -> Table:
    """Read `data` as the kind of file its name says (.csv or .xlsx)."""
    extension = extension_of(filename)
    if extension not in EXTENSIONS:
        raise TabularError(
            "extension",
            f"Filtypen «.{extension}» støttes ikke. Bruk .xlsx eller .csv.",
            extension=extension,
        )
    if not data.strip():
        raise TabularError("empty", "Filen er tom.")
    numbered = _xlsx_rows(data) if extension == "xlsx" else _csv_rows(data)
    return _to_table(numbered)


def _decode(data: bytes) -> str:
    # UTF-8 (with or without BOM) first; Norwegian Excel saves "CSV" in Windows-1252, where æ, ø and å are
    # single bytes that are not valid UTF-8.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TabularError(
        "encoding", "Kan ikke lese teksten i filen. Lagre den som UTF-8 eller som Excel-fil (.xlsx)."
    )


def _delimiter(text: str) -> str:
    # The header line decides: header names never contain a separator, data cells may (addresses, names).
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {separator: first.count(separator) for separator in (";", ",", "\t")}
    best = max(counts, key=lambda separator: counts[separator])
    return best if counts[best] else ","


def _csv_rows(data: bytes) -> Iterable[tuple[int, Sequence[Cell]]]:
    text = _decode(data)
    if "\x00" in text:
        raise TabularError("unreadable", "Filen ser ikke ut som en CSV-fil.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        # reader.line_num would count physical lines; a quoted cell may span several. Records are rows.
        return [(number, [cell or None for cell in record]) for number, record in enumerate(reader, start=1)]
    except csv.Error as error:
        raise TabularError("unreadable", "Filen ser ikke ut som en CSV-fil.") from error


def _xlsx_rows(data: bytes) -> Iterable[tuple[int, Sequence[Cell]]]:
    # Imported here: openpyxl is heavy and only XLSX needs it.
    from openpyxl import load_workbook

    unreadable = TabularError("unreadable", "Filen kan ikke åpnes som en Excel-fil (.xlsx).")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise unreadable from error
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong "dimension" into the file; without it openpyxl reads every row there is.
        sheet.reset_dimensions()
        return [
            (number, [_xlsx_value(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except Exception as error:  # a damaged sheet fails deep inside openpyxl's XML parser, in many ways
        raise unreadable from error
    finally:
        workbook.close()


def _xlsx_value(value: object) -> Cell:
    if isinstance(value, str):
        return value.strip() or None
    if value is None or isinstance(value, int | float | bool | dt.date | dt.time):
        return value
    return str(value)


def _is_empty(values: Sequence[Cell]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _to_table(numbered: Iterable[tuple[int, Sequence[Cell]]]) -> Table:
    rows = iter(numbered)
    # The first row with anything in it is the header; what follows on the same iterator are the data rows.
    first = next(((number, cells) for number, cells in rows if not _is_empty(cells)), None)
    if first is None:
        raise TabularError("empty", "Filen er tom.")
    header_row, header_cells = first
    headers = [normalise_header(value) for value in header_cells]
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            raise TabularError(
                "duplicate_header", f"Kolonnen «{header}» står to ganger i overskriftsraden.", header=header
            )
        seen.add(header)
    # Columns without a header are left out: Excel often keeps formatted but empty columns at the right.
    columns = [(index, header) for index, header in enumerate(headers) if header]
    table_rows = []
    for number, cells in rows:
        if _is_empty(cells):
            continue
        values: dict[str, Cell] = {}
        for index, header in columns:
            value = cells[index] if index < len(cells) else None
            values[header] = value.strip() or None if isinstance(value, str) else value
        table_rows.append(Row(number=number, values=values))
    return Table(headers=[header for _, header in columns], rows=table_rows, header_row=header_row)


# --- Writing (templates and exports) --------------------------------------------------------------------


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"[0-9 +\-(),.]*")


def csv_safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula: a cell starting with = + - @ gets a leading apostrophe.

    A number or phone number such as "-12,5" or "+47 912 34 567" cannot call a function and must survive a
    re-import unchanged, so digits, spaces, signs, brackets and separators alone are left as they are.
    """
    if text.startswith(_FORMULA_START) and not _NUMBER_LIKE.fullmatch(text):
        return "'" + text
    return text


def to_csv(rows: Iterable[Sequence[Cell]], *, delimiter: str = ";") -> bytes:
    """CSV as Norwegian Excel opens it by double-click: semicolons, UTF-8 with a byte-order mark, CRLF. Text
    never becomes a formula (`csv_safe`): exports hold what people typed."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_safe(cell_text(value)) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Iterable[Sequence[Cell | Decimal]], *, title: str = "Ark1") -> bytes:
    """One sheet; the first row is the header (bold, frozen). Dates are date cells shown dd.mm.yyyy and text
    stays text, so "0301" keeps its leading zero and a name or answer starting with "=" is never a formula
    (exports hold what people typed)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit for a sheet name
    widths: dict[int, int] = {}
    for row_number, row in enumerate(rows, start=1):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            if cell.data_type == "f":
                cell.data_type = "s"
            if row_number == 1:
                cell.font = Font(bold=True)
            if isinstance(value, dt.date):
                cell.number_format = "DD.MM.YYYY"
            text = str(value) if isinstance(value, Decimal) else cell_text(value)
            widths[column_number] = max(widths.get(column_number, 0), len(text))
    for column_number, width in widths.items():
        sheet.column_dimensions[sheet.cell(row=1, column=column_number).column_letter].width = width + 3
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
