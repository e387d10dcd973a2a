from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fagnett.core.years import FIRST_YEAR, LAST_YEAR
from fagnett.networks.management.cli import network_from_options
from fagnett.reports.content import report_content
from fagnett.reports.models import AnnualReport
from fagnett.reports.rendering import render_document

FORMATS = ("docx", "pdf", "html", "json", "xlsx")


class Command(BaseCommand):
    help = (
        "Write a network's annual report for a year as DOCX, PDF, standalone HTML, JSON facts or an XLSX "
        "data appendix. A published report is written as published (its frozen snapshot); otherwise the "
        "draft with today's data. See docs/reports.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", required=True, metavar="SLUG", help="The network's short name.")
        parser.add_argument("--year", required=True, type=int, metavar="YYYY", help="The report's year.")
        parser.add_argument("--format", required=True, choices=FORMATS, help="The document's format.")
        parser.add_argument(
            "--output", required=True, metavar="PATH", help="The file to write; - writes to standard output."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            network = network_from_options(options)
        except CommandError as error:
            raise CommandError(f"--network: {error}") from error
        year: int = options["year"]
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CommandError(f"--year must be between {FIRST_YEAR} and {LAST_YEAR}, not {year}.")
        output: str = options["output"]
        target = None if output == "-" else Path(output)
        if target is not None and not target.parent.is_dir():
            raise CommandError(f"--output: the folder {str(target.parent)!r} does not exist.")
        report = AnnualReport.objects.filter(network=network, year=year).select_related("network").first()
        if report is None:
            report = AnnualReport(network=network, year=year)
        data = render_document(report, report_content(report), options["format"])
        if target is None:
            sys.stdout.buffer.write(data)
            return
        try:
            target.write_bytes(data)
        except OSError as error:
            raise CommandError(f"--output: cannot write {str(target)!r}: {error.strerror}.") from error
        status = "published" if report.is_published else "draft"
        self.stdout.write(f"Wrote {target} ({len(data)} bytes, {status}).")
