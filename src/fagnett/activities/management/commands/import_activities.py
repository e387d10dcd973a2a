"""`manage.py import_activities FILE --network SLUG [--dry-run]` (docs/import-activities.md)."""

from __future__ import annotations

from typing import Any

from fagnett.activities.imports import ActivityImporter, activity_summary
from fagnett.core.management.import_command import ImportCommand
from fagnett.lib.importing import Importer, Preview
from fagnett.networks.models import Network


class Command(ImportCommand):
    format_doc = "docs/import-activities.md"
    help = (
        "Import a network's past activities from an .xlsx or .csv file. Writes nothing if any row has an "
        "error; then every error is printed and the exit status is 1."
    )

    def make_importer(self, network: Network) -> Importer[Any]:
        return ActivityImporter(network)

    def summary_line(self, preview: Preview[Any]) -> str:
        return activity_summary(preview)
