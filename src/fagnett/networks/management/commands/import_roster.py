"""`python manage.py import_roster FILE --network SLUG [--dry-run]` (docs/import-roster.md)."""

from __future__ import annotations

from typing import Any

from fagnett.core.management.import_command import ImportCommand
from fagnett.lib.importing import Importer, Preview
from fagnett.networks.imports import RosterImporter, summary_line
from fagnett.networks.models import Network


class Command(ImportCommand):
    help = (
        "Import persons and memberships into a network from an .xlsx or .csv file. Writes nothing if any row "
        "has an error; then every error is printed and the exit status is 1."
    )
    format_doc = "docs/import-roster.md"

    def make_importer(self, network: Network) -> Importer[Any]:
        return RosterImporter(network)

    def summary_line(self, preview: Preview[Any]) -> str:
        return summary_line(preview)
