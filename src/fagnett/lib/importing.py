"""The one import machine (ARCHITECTURE.md §6): file → table → preview → apply.

A concrete importer (the roster's is networks/imports.py; activities and attendance follow the same shape)
subclasses `Importer` and defines:

- `columns`: the columns it knows, which of them are required, and a help text for the upload page;
- `validate_rows(table, preview)`: pure validation of every row into `preview` (errors with row and column,
  counts, and one item per row describing what would happen). It must not write, and it should load what it
  needs up front so that the number of queries does not grow with the number of rows;
- `write(preview, actor)`: carry out a preview that has no errors.

The machine does the rest: reads the file (lib/tabular.py), checks the header row (a missing required column
is an error on the header row, an unknown column only a warning), and `apply` re-validates inside one
transaction before writing, so that what is written matches the data as it is at that moment and a failure
anywhere writes nothing.

Uploaded files wait between preview and confirm on disk under MEDIA_ROOT/imports (`store_upload`), so that
nothing is written to the database before the coordinator confirms.
"""

from __future__ import annotations

import abc
import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from fagnett.lib.tabular import Cell, Row, Table, TabularError, cell_text, parse_date, read_table

if TYPE_CHECKING:
    from fagnett.accounts.models import User

# A file larger than this is refused by the upload form; beyond this many rows the preview page and the
# single transaction stop being reasonable for a network's roster.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000

ItemT = TypeVar("ItemT")


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    help: str | Promise = ""
    example: str = ""


@dataclass(frozen=True)
class RowError:
    """What is wrong, where: `row` as the spreadsheet numbers it, `column` by its header ("" for the file)."""

    row: int
    column: str
    message: str

    def describe(self) -> str:
        if not self.column:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Preview(Generic[ItemT]):
    """What an import would do. Counts are of distinct things: `to_create` and `to_update` count the main
    records (the roster: persons), `to_add` records added beside them (the roster: memberships), `to_end`
    records that get an end date, and `unchanged` rows that would change nothing."""

    rows_total: int = 0
    to_create: int = 0
    to_update: int = 0
    to_end: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    items: list[ItemT] = field(default_factory=list)
    to_add: int = 0
    warnings: list[str] = field(default_factory=list)
    table: Table | None = None
    source_name: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return bool(self.to_create or self.to_update or self.to_add or self.to_end)

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row=row, column=column, message=message))


class ImportRejected(Exception):
    """Raised by `apply` when the rows do not validate (any more); nothing has been written."""

    def __init__(self, preview: Preview[Any]) -> None:
        super().__init__(f"{len(preview.errors)} error(s)")
        self.preview = preview
        self.errors = preview.errors


def tabular_error_message(error: TabularError) -> str:
    """The reading error in the user's language (lib/tabular.py is Django-free and says it in Norwegian)."""
    messages: dict[str, str] = {
        "extension": _("The file type “.%(extension)s” is not supported. Use .xlsx or .csv."),
        "empty": _("The file is empty."),
        "encoding": _("The text in the file cannot be read. Save it as UTF-8 or as an Excel file (.xlsx)."),
        "unreadable": _("The file cannot be read. Save it as an Excel file (.xlsx) or as CSV."),
        "duplicate_header": _("The column “%(header)s” appears twice in the header row."),
    }
    template = messages.get(error.code)
    return template % error.params if template else error.message


class RowReader:
    """Reads the cells of one row, recording an error naming the row and column for each bad value."""

    def __init__(self, row: Row, preview: Preview[Any]) -> None:
        self.row = row
        self.preview = preview
        self.failed = False

    def error(self, column: str, message: str) -> None:
        self.failed = True
        self.preview.error(self.row.number, column, message)

    def raw(self, column: str) -> Cell:
        return self.row.get(column)

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = cell_text(self.row.get(column))
        if required and not value:
            self.error(column, _("A value is required."))
        elif max_length is not None and len(value) > max_length:
            self.error(
                column,
                _("The value is too long (%(length)s characters; at most %(max)s).")
                % {"length": len(value), "max": max_length},
            )
            return ""
        return value

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        value = self.row.get(column)
        if value is None:
            if required:
                self.error(column, _("A value is required."))
            return None
        try:
            return parse_date(value)
        except ValueError:
            self.error(
                column,
                _("“%(value)s” is not a date. Write it as dd.mm.yyyy or yyyy-mm-dd.")
                % {"value": cell_text(value)},
            )
            return None


class Importer(abc.ABC, Generic[ItemT]):
    columns: ClassVar[tuple[Column, ...]] = ()

    @classmethod
    def column_names(cls) -> list[str]:
        return [column.name for column in cls.columns]

    def preview_file(self, data: bytes, filename: str) -> Preview[ItemT]:
        """Read and validate a file; a file that cannot be read gives a preview with that one error."""
        try:
            table = read_table(data, filename)
        except TabularError as error:
            preview: Preview[ItemT] = Preview(source_name=filename)
            preview.error(1, "", tabular_error_message(error))
            return preview
        preview = self.validate(table)
        preview.source_name = filename
        return preview

    def validate(self, table: Table) -> Preview[ItemT]:
        """Check the header row, then every row. Never writes."""
        preview: Preview[ItemT] = Preview(rows_total=len(table.rows), table=table)
        known = set(self.column_names())
        for column in self.columns:
            if column.required and column.name not in table.headers:
                preview.error(
                    table.header_row,
                    column.name,
                    _("The required column “%(column)s” is missing.") % {"column": column.name},
                )
        for header in table.headers:
            if header not in known:
                preview.warnings.append(
                    _("The column “%(column)s” is not used and will be ignored.") % {"column": header}
                )
        if not table.rows:
            preview.error(table.header_row + 1, "", _("The file has no rows below the header row."))
        elif len(table.rows) > MAX_ROWS:
            preview.error(
                table.rows[MAX_ROWS].number,
                "",
                _("The file has more than %(max)s rows. Split it into several files.") % {"max": MAX_ROWS},
            )
        if preview.errors:
            return preview
        self.validate_rows(table, preview)
        preview.errors.sort(key=lambda error: error.row)
        return preview

    @abc.abstractmethod
    def validate_rows(self, table: Table, preview: Preview[ItemT]) -> None:
        """Fill in counts, items and errors for every row of `table`."""

    @abc.abstractmethod
    def write(self, preview: Preview[ItemT], *, actor: User | None) -> None:
        """Carry out a preview without errors (called inside apply's transaction)."""

    def lock(self) -> None:
        """Hook: take the database lock that keeps two imports into the same place apart (default none)."""

    def apply(self, preview: Preview[ItemT], *, actor: User | None) -> Preview[ItemT]:
        """Validate `preview.table` again inside one transaction and write all of it, or nothing.

        Returns the preview that was carried out; raises ImportRejected if the rows do not validate now.
        """
        if preview.table is None:
            raise ImportRejected(preview)
        with transaction.atomic():
            self.lock()
            fresh = self.validate(preview.table)
            fresh.source_name = preview.source_name
            if fresh.errors:
                raise ImportRejected(fresh)
            if fresh.has_changes:
                self.write(fresh, actor=actor)
        return fresh


# --- Uploaded files between preview and confirm --------------------------------------------------------

STALE_AFTER = dt.timedelta(hours=24)


@dataclass(frozen=True)
class StoredUpload:
    pk: int
    kind: str
    network_id: int
    user_id: int
    name: str
    sha256: str
    created: dt.datetime
    path: Path

    def read(self) -> bytes:
        """The file as uploaded; FileNotFoundError if it is gone or no longer what was uploaded."""
        data = self.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise FileNotFoundError(self.path)
        return data


def upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _sidecar(network_id: int, pk: int) -> Path:
    # ".meta.json", not ".json": an uploaded JSON file (a Nettskjema form definition) is stored as
    # "<network>-<pk>.json" and must not overwrite its own notes.
    return upload_dir() / f"{network_id}-{pk}.meta.json"


def _paths(network_id: int, pk: int, extension: str) -> tuple[Path, Path]:
    return upload_dir() / f"{network_id}-{pk}.{extension}", _sidecar(network_id, pk)


def store_upload(data: bytes, filename: str, *, kind: str, network_id: int, user_id: int) -> StoredUpload:
    """Keep an uploaded file until it is confirmed: MEDIA_ROOT/imports/<network>-<pk>.<ext> plus a
    <network>-<pk>.meta.json sidecar saying who uploaded it, for which network and import, and its SHA-256."""
    extension = Path(filename).suffix.lower().lstrip(".")
    directory = upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    while True:
        # Nine random digits: the address of the preview, not guessable, and never reused.
        pk = 100_000_000 + secrets.randbelow(900_000_000)
        path, sidecar = _paths(network_id, pk, extension)
        try:
            with sidecar.open("x", encoding="utf-8") as handle:
                upload = StoredUpload(
                    pk=pk,
                    kind=kind,
                    network_id=network_id,
                    user_id=user_id,
                    name=Path(filename).name[:200],
                    sha256=hashlib.sha256(data).hexdigest(),
                    created=timezone.now(),
                    path=path,
                )
                json.dump(
                    {
                        "kind": kind,
                        "network_id": network_id,
                        "user_id": user_id,
                        "name": upload.name,
                        "sha256": upload.sha256,
                        "created": upload.created.isoformat(),
                        "extension": extension,
                    },
                    handle,
                )
        except FileExistsError:
            continue
        path.write_bytes(data)
        return upload


def load_upload(pk: int, *, kind: str, network_id: int, user_id: int) -> StoredUpload | None:
    """The stored upload if it exists, is of `kind`, and belongs to this network and this uploader."""
    try:
        meta = json.loads(_sidecar(network_id, pk).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict):
        return None
    if (meta.get("kind"), meta.get("network_id"), meta.get("user_id")) != (kind, network_id, user_id):
        return None
    path, _meta = _paths(network_id, pk, str(meta.get("extension", "")))
    if not path.is_file():
        return None
    return StoredUpload(
        pk=pk,
        kind=kind,
        network_id=network_id,
        user_id=user_id,
        name=str(meta.get("name", path.name)),
        sha256=str(meta.get("sha256", "")),
        created=dt.datetime.fromisoformat(str(meta["created"])),
        path=path,
    )


def discard_upload(upload: StoredUpload) -> None:
    upload.path.unlink(missing_ok=True)
    _sidecar(upload.network_id, upload.pk).unlink(missing_ok=True)


def purge_stale_uploads(now: dt.datetime | None = None) -> int:
    """Delete uploads older than 24 hours (called on every new upload); returns how many files went."""
    directory = upload_dir()
    if not directory.is_dir():
        return 0
    cutoff = (now or timezone.now()).timestamp() - STALE_AFTER.total_seconds()
    removed = 0
    for path in directory.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:
            continue  # another request removed it first
    return removed
