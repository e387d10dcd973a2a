"""What every import command shares (import_roster, import_activities, import_attendance, import_shadowing):
the same options, behaviour and output, so operators script them all alike.

The output is fixed Norwegian so that operators' scripts can read it; the row errors come from the same
translated messages as a web preview would show.
"""

from __future__ import annotations

import abc
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fagnett.lib.importing import Importer, ImportRejected, Preview, RowError
from fagnett.lib.tabular import TabularError, read_path
from fagnett.networks.models import Network


def error_line(error: RowError) -> str:
    if not error.column:
        return f"Rad {error.row}: {error.message}"
    return f"Rad {error.row}, kolonne {error.column}: {error.message}"


class ImportCommand(BaseCommand, abc.ABC):
    """Subclasses give the importer, the summary line and the page documenting the format."""

    format_doc = "docs/"

    @abc.abstractmethod
    def make_importer(self, network: Network) -> Importer[Any]: ...

    @abc.abstractmethod
    def summary_line(self, preview: Preview[Any]) -> str: ...

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=f"The .xlsx or .csv file (format: {self.format_doc}).")
        parser.add_argument("--network", required=True, help="The network's short name (slug).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and print the summary; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["network"]
        network = Network.objects.filter(slug=slug).first()
        if network is None:
            raise CommandError(f"Fant ikke nettverket «{slug}».")
        path = Path(options["file"])
        try:
            table = read_path(path)
        except TabularError as error:
            raise CommandError(f"{path.name}: {error.message}") from error
        importer = self.make_importer(network)
        summary = self.summary_line
        preview = importer.validate(table)
        preview.source_name = path.name
        for warning in preview.warnings:
            self.stderr.write(f"Advarsel: {warning}")
        self._fail_on_errors(preview)
        if options["dry_run"]:
            self.stdout.write(summary(preview))
            self.stdout.write("Prøvekjøring (--dry-run): ingenting er lagret.")
            return
        try:
            done = importer.apply(preview, actor=None)
        except ImportRejected as rejected:
            # The data changed between the check above and the transaction (another import, the web).
            self._fail_on_errors(rejected.preview)
            raise CommandError("Ingenting er lagret.") from rejected
        self.stdout.write(summary(done))

    def _fail_on_errors(self, preview: Preview[Any]) -> None:
        if preview.errors:
            for error in preview.errors:
                self.stderr.write(error_line(error))
            raise CommandError(f"{len(preview.errors)} feil i filen. Ingenting er lagret.")
