from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from fagnett.networks.services import setup_network
from fagnett.places.models import Municipality
from fagnett.places.queries import (
    health_trust_by_name,
    municipalities_in_health_trust,
    normalise_municipality_number,
)


class Command(BaseCommand):
    help = (
        "Create a network with its area (municipalities or a health trust's catchment area), its "
        "in-scope hospital units and the default coverage rules. Running it again with the same "
        "arguments changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="short name used in addresses, e.g. sor-rogaland-barnepalliasjon")
        parser.add_argument("--name", required=True, help="the network's full name")
        area = parser.add_mutually_exclusive_group(required=True)
        area.add_argument("--municipalities", help="comma-separated municipality numbers, e.g. 1103,1108")
        area.add_argument(
            "--health-trust",
            help='every municipality in this trust\'s catchment area, e.g. "Helse Stavanger HF"',
        )
        parser.add_argument(
            "--hospital-units",
            default="",
            help='semicolon-separated unit names, e.g. "Barneavdelingen;Nyfødtintensiv"',
        )
        parser.add_argument(
            "--health-trust-of-units",
            default="",
            help="the health trust the units belong to (default: --health-trust)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug: str = options["slug"]
        if slugify(slug) != slug:
            raise CommandError(f"The slug {slug!r} may only contain lower-case letters, digits and hyphens.")
        if options["municipalities"]:
            numbers = []
            for raw in options["municipalities"].split(","):
                if not raw.strip():
                    continue
                try:
                    numbers.append(normalise_municipality_number(raw))
                except ValueError:
                    raise CommandError(f"{raw.strip()!r} is not a municipality number.") from None
            municipalities = list(Municipality.objects.filter(number__in=numbers))
            unknown = sorted(set(numbers) - {m.number for m in municipalities})
            if unknown:
                raise CommandError(f"Unknown municipality numbers: {', '.join(unknown)}.")
            area_trust = None
        else:
            area_trust = health_trust_by_name(options["health_trust"])
            if area_trust is None:
                raise CommandError(f"Unknown health trust: {options['health_trust']!r}.")
            municipalities = list(municipalities_in_health_trust(area_trust))
        units_trust = area_trust
        if options["health_trust_of_units"]:
            units_trust = health_trust_by_name(options["health_trust_of_units"])
            if units_trust is None:
                raise CommandError(f"Unknown health trust: {options['health_trust_of_units']!r}.")
        units = [name.strip() for name in options["hospital_units"].split(";") if name.strip()]
        if units and units_trust is None:
            raise CommandError("Hospital units need a health trust: give --health-trust-of-units.")
        try:
            result = setup_network(
                slug,
                name=options["name"],
                municipalities=municipalities,
                hospital_units=units,
                units_health_trust=units_trust,
                actor=None,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        verb = "Created" if result.created else ("Updated" if result.changes else "Unchanged:")
        self.stdout.write(
            f"{verb} network {result.network.slug}: {len(municipalities)} municipalities, "
            f"{len(units)} hospital units"
            + (f" ({', '.join(result.changes)})" if result.changes and not result.created else "")
        )
