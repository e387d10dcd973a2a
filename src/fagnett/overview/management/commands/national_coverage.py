"""`manage.py national_coverage [--date YYYY-MM-DD] --format json|csv`: the coverage of every municipality of
Norway across all networks (issue 10). The same facts as the coverage map (overview.facts.national_coverage)
for a site-wide reader. The keys and columns are a public interface (docs: national_coverage)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fagnett.networks.models import Network
from fagnett.overview.facts import MunicipalityCoverage, national_coverage


def municipality_json(m: MunicipalityCoverage) -> dict[str, Any]:
    return {
        "number": m.number,
        "name": m.name,
        "county": m.county_name,
        "county_number": m.county_number,
        "networks": m.network_slugs,
        "resource_persons": m.counts,
        "covered": m.covered,
        "status": str(m.status),
    }


def coverage_json(on: dt.date, municipalities: list[MunicipalityCoverage]) -> dict[str, Any]:
    return {"date": on.isoformat(), "municipalities": [municipality_json(m) for m in municipalities]}


def coverage_csv(municipalities: list[MunicipalityCoverage]) -> str:
    """Comma-separated, a header row, one row per municipality; `networks` holds the slugs separated by spaces
    and each service type code seen anywhere has a column of its own (0 where nobody is counted)."""
    codes = sorted({code for m in municipalities for code in m.counts})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["number", "name", "county", "county_number", "networks", *codes, "covered", "status"])
    for m in municipalities:
        counts = m.counts
        writer.writerow(
            [
                m.number,
                m.name,
                m.county_name,
                m.county_number,
                " ".join(m.network_slugs),
                *(counts.get(code, 0) for code in codes),
                "true" if m.covered else "false",
                str(m.status),
            ]
        )
    return out.getvalue()


class Command(BaseCommand):
    help = (
        "Print every municipality of Norway with the networks whose area includes it, their active resource "
        "persons per service type and whether at least one network's coverage rules are met there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="The day to count on (default: today).")
        parser.add_argument("--format", choices=("json", "csv"), required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        on = timezone.localdate()
        if options["date"]:
            try:
                if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", options["date"]):
                    raise ValueError(options["date"])
                on = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"--date må være en dato som YYYY-MM-DD, ikke {options['date']!r} "
                    f"(--date must be a date written YYYY-MM-DD)."
                ) from None
        municipalities = national_coverage(on, Network.objects.all())
        if options["format"] == "json":
            self.stdout.write(json.dumps(coverage_json(on, municipalities), ensure_ascii=False))
        else:
            self.stdout.write(coverage_csv(municipalities), ending="")
