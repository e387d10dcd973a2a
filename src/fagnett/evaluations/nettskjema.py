"""Reading a Nettskjema report: its columns grouped into questions, without touching the database.

A Nettskjema report (CSV: semicolon-separated, every field quoted, UTF-8; or XLSX: the same columns in the
first sheet) has one row per submission and these columns:

- `$submission_id`, `$created` and other `$…` metadata (`$answer_time_ms`, …), of which only the first two
  are read: the id makes a second import of the same report add nothing, and `$created` gives the day;
- one column per question, named by the question's external id ("freetext", "radio", "dropdown", "slider");
  radio and dropdown cells hold the chosen option's value, empty (or "-1", see below) for no answer;
- checkbox questions as one 0/1 column per option, `question.option` ("checkbox.logs");
- a radio matrix as one single-choice column per row, `matrix.row` ("radio_matrix.grants");
- a checkbox matrix as one 0/1 column per row and option, `matrix.row.option` ("checkbox_matrix.1.IT").

The report alone does not say which kind a column is, so the values decide (`_guess_kind`). The form's
element definition (`GET /api/v3/form/{id}/elements`, "nettskjema-eksempel-elements.json") says it for
certain, and gives the question texts and option labels; it is optional.

"-1": Nettskjema's reports use it for a radio or dropdown question left unanswered, but a form may also
define "-1" as a real option value (the example form's "Very unhappy!" is "-1"). So "-1" means no answer
unless the element definition or the target question has an option with that value.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fagnett.lib.tabular import (
    Cell,
    Row,
    Table,
    TabularError,
    cell_text,
    extension_of,
    normalise_header,
    read_table,
)

SUBMISSION_ID = "$submission_id"
CREATED = "$created"
META_PREFIX = "$"
NO_ANSWER = "-1"
MAX_ELEMENTS_BYTES = 5 * 1024 * 1024
MAX_KEY_LENGTH = 200  # Question.external_key and Option.external_key


class SourceKind(enum.StrEnum):
    """What a column group holds, as far as the report (and the element definition) tell."""

    TEXT = "text"  # free text
    SINGLE = "single"  # radio, dropdown, a radio-matrix row: an option value
    MULTIPLE = "multiple"  # checkbox, a checkbox-matrix row: 0/1 per option
    NUMBER = "number"  # number, slider
    DATE = "date"  # date, time, date and time
    ATTACHMENT = "attachment"  # an uploaded file's name; the file itself is not in the report


SOURCE_KIND_LABELS: dict[SourceKind, str | Promise] = {
    SourceKind.TEXT: gettext_lazy("free text"),
    SourceKind.SINGLE: gettext_lazy("single choice"),
    SourceKind.MULTIPLE: gettext_lazy("multiple choice"),
    SourceKind.NUMBER: gettext_lazy("numeric value"),
    SourceKind.DATE: gettext_lazy("date or time"),
    SourceKind.ATTACHMENT: gettext_lazy("attachment"),
}


# --- The element definition -----------------------------------------------------------------------------


class ElementsError(ValueError):
    """The element file cannot be read; the message is for the user."""


@dataclass(frozen=True)
class SourceOption:
    key: str  # the value in a radio column, the suffix of a checkbox column
    label: str


@dataclass(frozen=True)
class Element:
    """One question of the Nettskjema form as the report's columns name it (a matrix gives one per row)."""

    key: str
    kind: SourceKind | None  # None: a kind this module does not know; the values decide
    text: str
    options: tuple[SourceOption, ...] = ()
    personal: str = ""  # what personal data the question asks for ("" for none)
    scale_labels: tuple[str, str] = ("", "")


_ELEMENT_KINDS: dict[str, SourceKind] = {
    "QUESTION": SourceKind.TEXT,
    "QUESTION_MULTILINE": SourceKind.TEXT,
    "RADIO": SourceKind.SINGLE,
    "SELECT": SourceKind.SINGLE,
    "CHECKBOX": SourceKind.MULTIPLE,
    "DATE": SourceKind.DATE,
    "NUMBER": SourceKind.NUMBER,
    "LINEAR_SCALE": SourceKind.NUMBER,
    "ATTACHMENT": SourceKind.ATTACHMENT,
}
_MATRIX_KINDS: dict[str, SourceKind] = {
    "MATRIX_RADIO": SourceKind.SINGLE,
    "MATRIX_CHECKBOX": SourceKind.MULTIPLE,
}
# Layout elements: no column in the report.
_NO_ANSWER_TYPES = frozenset({"HEADING", "TEXT", "IMAGE", "PAGE_BREAK"})


@dataclass(frozen=True)
class Elements:
    """The element definition, by the key its columns use (case does not matter)."""

    by_key: dict[str, Element]

    def get(self, key: str) -> Element | None:
        return self.by_key.get(key.casefold())


def _string(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _options(raw: Any) -> tuple[SourceOption, ...]:
    options: list[SourceOption] = []
    if not isinstance(raw, list):
        return ()
    for entry in sorted((item for item in raw if isinstance(item, dict)), key=_sequence):
        key = _string(entry.get("externalAnswerOptionId"))
        label = _string(entry.get("text")) or _string(entry.get("textOrAltText")) or key
        if key:
            options.append(SourceOption(key=key, label=label))
    return tuple(options)


def _sequence(entry: dict[str, Any]) -> int:
    value = entry.get("sequence")
    return value if isinstance(value, int) else 0


def _personal_element(entry: dict[str, Any], element_type: str) -> str:
    """What personal data an element asks for, as personal_column says it ("" for none)."""
    if entry.get("nationalIdNumberType") or "NATIONAL_ID" in element_type:
        return "national_id"
    if "EMAIL" in element_type:
        return "email"
    return ""


def parse_elements(data: bytes) -> Elements:
    """Read Nettskjema's element definition (a JSON list of elements, or an object with "elements")."""
    if len(data) > MAX_ELEMENTS_BYTES:
        raise ElementsError(_("The form definition is larger than 5 MB."))
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ElementsError(_("The form definition is not a JSON file from Nettskjema.")) from error
    raw = document.get("elements") if isinstance(document, dict) else document
    if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
        raise ElementsError(_("The form definition is not a JSON file from Nettskjema."))
    by_key: dict[str, Element] = {}
    for entry in sorted(raw, key=_sequence):
        element_type = _string(entry.get("elementType")).upper()
        if element_type in _NO_ANSWER_TYPES:
            continue
        # The report names a column by the element's external id; an element without one by its text.
        key = _string(entry.get("externalElementId")) or _string(entry.get("text"))
        if not key:
            continue
        text = _string(entry.get("text")) or key
        options = _options(entry.get("answerOptions"))
        personal = _personal_element(entry, element_type)
        if element_type in _MATRIX_KINDS:
            subs = entry.get("subElements")
            for sub in sorted((s for s in subs if isinstance(s, dict)), key=_sequence) if subs else ():
                sub_key = _string(sub.get("externalElementId")) or _string(sub.get("text"))
                if not sub_key:
                    continue
                sub_text = _string(sub.get("text"))
                row_key = f"{key}.{sub_key}"
                by_key.setdefault(
                    row_key.casefold(),
                    Element(
                        key=row_key,
                        kind=_MATRIX_KINDS[element_type],
                        text=f"{text} – {sub_text}" if sub_text else text,
                        options=options,
                        personal=personal,
                    ),
                )
            continue
        by_key.setdefault(
            key.casefold(),
            Element(
                key=key,
                kind=_ELEMENT_KINDS.get(element_type),
                text=text,
                options=options,
                personal=personal,
                scale_labels=(
                    _string(entry.get("minimumValueText")),
                    _string(entry.get("maximumValueText")),
                ),
            ),
        )
    if not by_key:
        raise ElementsError(_("The form definition has no questions."))
    return Elements(by_key=by_key)


# --- Reading the report ---------------------------------------------------------------------------------


def read_report(data: bytes, filename: str) -> Table:
    """The report as a table (lib/tabular.py), with the headers spelled as in the file.

    lib/tabular lower-cases headers for hand-made spreadsheets; Nettskjema's external ids keep their case
    ("checkbox_matrix.1.IT"), and they become the external keys of questions and options, so the original
    spelling is put back. Raises TabularError as read_table does."""
    table = read_table(data, filename)
    originals = _header_cells(data, filename)
    spelling: dict[str, str] = {}
    for cell in originals:
        spelling.setdefault(normalise_header(cell), cell_text(cell))
    if not all(spelling.get(header) for header in table.headers):
        return table
    return Table(
        headers=[spelling[header] for header in table.headers],
        rows=[
            Row(number=row.number, values={spelling[key]: value for key, value in row.values.items()})
            for row in table.rows
        ],
        header_row=table.header_row,
    )


def _header_cells(data: bytes, filename: str) -> Sequence[Cell]:
    """The first non-empty row of the file as written (read_table has already accepted the file)."""
    if extension_of(filename) == "xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
            raise TabularError("unreadable", "Filen kan ikke åpnes som en Excel-fil (.xlsx).") from error
        try:
            for values in workbook.worksheets[0].iter_rows(values_only=True):
                if any(value not in (None, "") for value in values):
                    return [value if isinstance(value, str | int | float) else None for value in values]
            return []
        finally:
            workbook.close()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return []
    for line in text.splitlines():
        if line.strip():
            delimiter = max((";", ",", "\t"), key=line.count)
            return next(csv.reader([line], delimiter=delimiter), [])
    return []


def value_text(value: Cell) -> str:
    """A cell as Nettskjema's CSV writes it, so that a CSV and an XLSX report read alike: "4.5" and
    "77.0" for numbers, ISO dates ("2023-06-01", "2023-06-12T13:33"), times as "12:00"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.datetime):
        # A spreadsheet keeps a date as a datetime at midnight.
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


_WHOLE = re.compile(r"-?[0-9]+(?:\.0+)?")


def choice_key(value: str) -> str:
    """An option value as compared: "1.0" (a number cell) is the option "1"."""
    if _WHOLE.fullmatch(value):
        return value.split(".", 1)[0]
    return value


def whole_number(value: str) -> int | None:
    """ "3", "3.0" → 3; anything else → None."""
    return int(value.split(".", 1)[0]) if _WHOLE.fullmatch(value) else None


def _sort_key(value: str) -> tuple[int, Decimal, str]:
    try:
        return (0, Decimal(value), value)
    except InvalidOperation:
        return (1, Decimal(0), value.casefold())


# --- Grouping columns into questions --------------------------------------------------------------------


@dataclass
class Group:
    """The columns of one question. `options` are the ones known before any target is chosen: from the
    element definition, then the values seen (a single choice, sorted as numbers) or the column suffixes (a
    multiple choice, in column order)."""

    key: str
    kind: SourceKind
    text: str
    columns: list[str]
    options: list[SourceOption] = field(default_factory=list)
    option_columns: dict[str, str] = field(default_factory=dict)  # MULTIPLE: option key → column
    scale_ok: bool = False  # every answer is a whole number from 1 to 5
    scale_labels: tuple[str, str] = ("", "")
    defined: bool = False  # described by the element definition

    def option_keys(self) -> set[str]:
        return {option.key for option in self.options}

    def label_for(self, key: str) -> str:
        for option in self.options:
            if option.key == key:
                return option.label
        return key

    @property
    def kind_label(self) -> str:
        return str(SOURCE_KIND_LABELS[self.kind])


@dataclass
class Report:
    table: Table
    groups: list[Group]
    ignored: list[str]  # metadata columns that are not read
    personal: list[tuple[str, str]]  # (column, what it looks like) for columns refused as personal data


# Column names that say the column identifies who answered. Compared as whole words of the name, so that
# "kursnavn" or "tidsbruk" pass.
_PERSONAL_WORDS: dict[str, str] = {
    "respondent": "respondent",
    "username": "respondent",
    "brukernavn": "respondent",
    "fodselsnummer": "national_id",
    "fødselsnummer": "national_id",
    "fodselsnr": "national_id",
    "fødselsnr": "national_id",
    "fnr": "national_id",
    "personnummer": "national_id",
    "email": "email",
    "epost": "email",
    "mail": "email",
    "navn": "name",
    "name": "name",
    "fornavn": "name",
    "etternavn": "name",
    "fullname": "name",
    "telefon": "phone",
    "telefonnummer": "phone",
    "mobil": "phone",
    "phone": "phone",
    "tlf": "phone",
}


def personal_description(what: str) -> str:
    return {
        "respondent": _("who answered"),
        "national_id": _("a national identity number"),
        "email": _("an e-mail address"),
        "name": _("a name"),
        "phone": _("a phone number"),
    }.get(what, what)


def personal_column(name: str) -> str:
    """What personal data a column's name suggests ("" for none). Only the question's own name counts, the
    part before the first dot: in "radio_matrix.email" the row "email" is a question about e-mail, in
    "checkbox.name" an option, neither an identity."""
    head = name.split(".", 1)[0]
    lowered = head.casefold().replace("e-post", "epost").replace("e-mail", "email").replace("e_post", "epost")
    for word in re.split(r"[^0-9a-zæøå]+", lowered):
        if word in _PERSONAL_WORDS:
            return _PERSONAL_WORDS[word]
    return ""


NATIONAL_ID = re.compile(r"(?<![0-9])[0-9]{6} ?[0-9]{5}(?![0-9])")

_ATTACHMENT_NAME = re.compile(r"^(attachment|vedlegg)", re.IGNORECASE)
_FILE_NAME = re.compile(
    r"[^/\\]+\.(png|jpe?g|gif|heic|webp|bmp|tiff?|pdf|docx?|odt|xlsx?|ods|pptx?|txt|csv|zip|mp[34]|mov)",
    re.IGNORECASE,
)
_DATE_LIKE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?)?|[0-9]{2}:[0-9]{2}(:[0-9]{2})?"
    r"|[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}( [0-9]{2}:[0-9]{2})?"
)
_INTEGER = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+([.,][0-9]+)?")
_ZERO_ONE = frozenset({"", "0", "1"})


def _values(table: Table, column: str) -> list[str]:
    return [value_text(row.get(column)) for row in table.rows]


def _guess_kind(column: str, values: Sequence[str]) -> SourceKind:
    """The kind of a one-column question without an element definition, from its name and values."""
    answered = [value for value in values if value]
    if _ATTACHMENT_NAME.match(column) or (answered and all(_FILE_NAME.fullmatch(v) for v in answered)):
        return SourceKind.ATTACHMENT
    if not answered:
        return SourceKind.TEXT
    if all(_DATE_LIKE.fullmatch(value) for value in answered):
        return SourceKind.DATE
    # Whole numbers are option values (radio, dropdown); "4.5" and Nettskjema's "77.0" are numbers.
    if all(_INTEGER.fullmatch(value) for value in answered):
        return SourceKind.SINGLE
    if all(_DECIMAL.fullmatch(value) for value in answered):
        return SourceKind.NUMBER
    return SourceKind.TEXT


def _scale_ok(kind: SourceKind, values: Iterable[str], options: set[str]) -> bool:
    if kind not in (SourceKind.SINGLE, SourceKind.NUMBER):
        return False
    for value in values:
        if not value or (kind is SourceKind.SINGLE and value == NO_ANSWER and NO_ANSWER not in options):
            continue
        number = whole_number(value)
        if number is None or not 1 <= number <= 5:
            return False
    return True


def _single_options(known: Sequence[SourceOption], values: Iterable[str]) -> list[SourceOption]:
    options = list(known)
    keys = {option.key for option in options}
    seen = {choice_key(value) for value in values if value}
    extra = sorted((value for value in seen - keys if value != NO_ANSWER), key=_sort_key)
    options.extend(SourceOption(key=value, label=value) for value in extra)
    return options


def _element_for(column: str, elements: Elements | None) -> tuple[Element, str] | None:
    """The element whose key is the longest dotted prefix of `column`, and the rest of the name."""
    if elements is None:
        return None
    parts = column.split(".")
    for end in range(len(parts), 0, -1):
        element = elements.get(".".join(parts[:end]))
        if element is not None:
            return element, ".".join(parts[end:])
    return None


def build_report(table: Table, elements: Elements | None = None) -> Report:
    """Group the report's columns into questions (in column order), and list what is not imported."""
    ignored: list[str] = []
    personal: list[tuple[str, str]] = []
    placed: list[tuple[str, Element | None, str]] = []  # (column, its element, the rest of its name)
    for column in table.headers:
        what = personal_column(column)
        if what:
            personal.append((column, what))
        elif column.startswith(META_PREFIX):
            if column.casefold() not in (SUBMISSION_ID, CREATED):
                ignored.append(column)
        else:
            element, rest = _element_for(column, elements) or (None, "")
            if element is not None and element.personal:
                personal.append((column, element.personal))
            elif element is not None and (rest == "" or element.kind is SourceKind.MULTIPLE):
                placed.append((column, element, rest))
            else:
                placed.append((column, None, ""))
    # Without an element, "a.b" is either option b of checkbox a (its columns hold only 0 and 1) or row b of
    # radio matrix a (its columns hold option values); "a.b.c" is option c of row b of checkbox matrix a.
    pairs: dict[str, list[str]] = {}
    for column, element, _rest in placed:
        if element is None and column.count(".") == 1:
            pairs.setdefault(column.split(".", 1)[0], []).append(column)
    checkboxes = {
        head for head, columns in pairs.items() if all(set(_values(table, c)) <= _ZERO_ONE for c in columns)
    }
    groups: dict[str, Group] = {}
    for column, element, rest in placed:
        if element is not None:
            if rest:
                _add_option_column(groups, element.key, rest, column, element)
            else:
                groups[column] = _one_column_group(table, column, element)
            continue
        head, _dot, tail = column.rpartition(".")
        if column.count(".") >= 2:
            _add_option_column(groups, head, tail, column, None)
        elif head and head in checkboxes:
            _add_option_column(groups, head, tail, column, None)
        elif head:
            groups[column] = _one_column_group(table, column, None, kind=SourceKind.SINGLE)
        else:
            groups[column] = _one_column_group(table, column, None)
    return Report(table=table, groups=list(groups.values()), ignored=ignored, personal=personal)


def _one_column_group(
    table: Table, column: str, element: Element | None, *, kind: SourceKind | None = None
) -> Group:
    values = _values(table, column)
    source = kind or (element.kind if element is not None else None) or _guess_kind(column, values)
    known = element.options if element is not None else ()
    options = _single_options(known, values) if source is SourceKind.SINGLE else []
    scale_labels = element.scale_labels if element is not None else ("", "")
    labels = {option.key: option.label for option in known}
    if source is SourceKind.SINGLE and not any(scale_labels) and "1" in labels and "5" in labels:
        scale_labels = (labels["1"], labels["5"])
    return Group(
        key=column,
        kind=source,
        text=element.text if element is not None else column,
        columns=[column],
        options=options,
        scale_ok=_scale_ok(source, values, set(labels)),
        scale_labels=scale_labels,
        defined=element is not None,
    )


def _add_option_column(
    groups: dict[str, Group], key: str, option: str, column: str, element: Element | None
) -> None:
    group = groups.get(key)
    if group is None:
        group = Group(
            key=key,
            kind=SourceKind.MULTIPLE,
            text=element.text if element is not None else key,
            columns=[],
            defined=element is not None,
        )
        groups[key] = group
    group.columns.append(column)
    group.option_columns[option] = column
    label = option
    if element is not None:
        label = next((o.label for o in element.options if o.key.casefold() == option.casefold()), option)
    group.options.append(SourceOption(key=option, label=label))


# --- Single cells ---------------------------------------------------------------------------------------


def created_at(value: Cell, zone: dt.tzinfo) -> dt.datetime | None:
    """`$created` as an aware datetime: "2023-06-01T20:57:15+02:00", a date cell, "01.06.2023 20:57"."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(0))
    elif isinstance(value, str):
        parsed = _parse_moment(value.strip())
        if parsed is None:
            return None
        moment = parsed
    else:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def _norwegian_moment(pattern: str) -> Callable[[str], dt.datetime]:
    # Naive; created_at makes it aware.
    return lambda text: dt.datetime.strptime(text, pattern)  # noqa: DTZ007


# Nettskjema writes ISO 8601; a report saved again by a spreadsheet program has Norwegian dates.
_MOMENT_PARSERS: tuple[Callable[[str], dt.datetime], ...] = (
    dt.datetime.fromisoformat,
    *(_norwegian_moment(pattern) for pattern in ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y")),
)


def _parse_moment(text: str) -> dt.datetime | None:
    for parse in _MOMENT_PARSERS:
        try:
            return parse(text)
        except ValueError:
            continue
    return None
