"""`manage.py import_shadowing FILE --network SLUG [--dry-run]` (docs/import-activities.md)."""

from __future__ import annotations

from typing import Any

from fagnett.activities.imports import ShadowingImporter, shadowing_summary
from fagnett.core.management.import_command import ImportCommand
from fagnett.lib.importing import Importer, Preview
from fagnett.networks.models import Network


class Command(ImportCommand):
    format_doc = "docs/import-activities.md"
    help = (
        "Import a network's past job shadowing from an .xlsx or .csv file. Writes nothing if any row has an "
        "error; then every error is printed and the exit status is 1."
    )

    def make_importer(self, network: Network) -> Importer[Any]:
        return ShadowingImporter(network)

    def summary_line(self, preview: Preview[Any]) -> str:
        return shadowing_summary(preview)
