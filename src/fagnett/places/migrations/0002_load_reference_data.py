"""Load the 2024 reference data from the CSV files in fagnett/places/data.

Health regions, health trusts, counties, municipalities (2024 numbers: 357 municipalities, 15 counties) and
the catchment areas that map each municipality, or each of Oslo's city districts, to a health trust.
See docs/reference-data.md for where each file came from and how to load a newer year.

The code below is frozen with this migration on purpose: it reads exactly these files with exactly these
columns. A later year gets its own data migration rather than a change here.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

from django.db import migrations
from django.utils.text import slugify

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

COUNTIES_CSV = "fylker-2024.csv"
MUNICIPALITIES_CSV = "kommuner-2024.csv"
HEALTH_TRUSTS_CSV = "helseforetak.csv"
CATCHMENT_AREAS_CSV = "opptaksomrader-2024.csv"

# Letters that Unicode normalisation does not turn into ASCII, so slugify() would drop them
# ("Helse Sør-Øst RHF" would become "helse-sr-st-rhf").
_TRANSLITERATE = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "a", "Å": "A"})


def _slug(name: str) -> str:
    return slugify(name.translate(_TRANSLITERATE))


def _read(filename: str, columns: set[str]) -> list[dict[str, str]]:
    """The rows of one CSV file, with every value stripped; fails if a column is missing or a value empty."""
    path = DATA_DIR / filename
    # utf-8-sig is UTF-8 that also tolerates a byte-order mark, in case a future file is saved by Excel.
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = columns - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{filename}: missing column(s) {', '.join(sorted(missing))}")
        rows = []
        for line, raw in enumerate(reader, start=2):
            row = {column: (raw[column] or "").strip() for column in columns}
            empty = [column for column, value in row.items() if not value]
            if empty:
                raise ValueError(f"{filename}, line {line}: empty {', '.join(sorted(empty))}")
            rows.append(row)
    return rows


def _unique(filename: str, rows: list[dict[str, str]], column: str) -> None:
    duplicates = sorted(value for value, n in Counter(row[column] for row in rows).items() if n > 1)
    if duplicates:
        raise ValueError(f"{filename}: {column} repeated: {', '.join(duplicates)}")


def load(apps: Any, schema_editor: Any) -> None:
    HealthRegion = apps.get_model("places", "HealthRegion")
    HealthTrust = apps.get_model("places", "HealthTrust")
    County = apps.get_model("places", "County")
    Municipality = apps.get_model("places", "Municipality")
    CatchmentArea = apps.get_model("places", "CatchmentArea")
    db = schema_editor.connection.alias

    counties = _read(COUNTIES_CSV, {"fylkesnummer", "fylkesnavn", "fylkesnavn_kort", "rhf"})
    municipalities = _read(MUNICIPALITIES_CSV, {"kommunenummer", "kommunenavn", "fylkesnummer"})
    trusts = _read(HEALTH_TRUSTS_CSV, {"opptaksomrade", "helseforetak", "rhf", "eierform"})
    areas = _read(
        CATCHMENT_AREAS_CSV,
        {"omradenummer", "omradenavn", "type", "kommunenummer", "opptaksomrade", "helseforetak"},
    )
    _unique(COUNTIES_CSV, counties, "fylkesnummer")
    _unique(MUNICIPALITIES_CSV, municipalities, "kommunenummer")
    _unique(HEALTH_TRUSTS_CSV, trusts, "opptaksomrade")
    _unique(HEALTH_TRUSTS_CSV, trusts, "helseforetak")
    _unique(CATCHMENT_AREAS_CSV, areas, "omradenummer")

    # Health regions: every RHF named by a trust or a county.
    region_names = sorted({row["rhf"] for row in trusts} | {row["rhf"] for row in counties})
    HealthRegion.objects.using(db).bulk_create(
        [HealthRegion(name=name, slug=_slug(name)) for name in region_names]
    )
    region_by_name = {r.name: r for r in HealthRegion.objects.using(db).all()}

    HealthTrust.objects.using(db).bulk_create(
        [
            HealthTrust(
                name=row["helseforetak"],
                short_name=row["opptaksomrade"],
                region=region_by_name[row["rhf"]],
                ownership=row["eierform"],
            )
            for row in trusts
        ]
    )
    trust_by_short_name = {t.short_name: t for t in HealthTrust.objects.using(db).all()}

    for row in counties:
        if len(row["fylkesnummer"]) != 2 or not row["fylkesnummer"].isdecimal():
            raise ValueError(f"{COUNTIES_CSV}: bad fylkesnummer {row['fylkesnummer']!r}")
    County.objects.using(db).bulk_create(
        [
            County(
                number=row["fylkesnummer"],
                name=row["fylkesnavn"],
                short_name=row["fylkesnavn_kort"],
                region=region_by_name[row["rhf"]],
            )
            for row in counties
        ]
    )
    county_by_number = {c.number: c for c in County.objects.using(db).all()}

    # Two municipalities can share a name (Herøy, Våler in 2024): those are shown with their county.
    name_count = Counter(row["kommunenavn"] for row in municipalities)
    new_municipalities = []
    for row in municipalities:
        number, name = row["kommunenummer"], row["kommunenavn"]
        if len(number) != 4 or not number.isdecimal():
            raise ValueError(f"{MUNICIPALITIES_CSV}: bad kommunenummer {number!r}")
        if row["fylkesnummer"] != number[:2] or number[:2] not in county_by_number:
            raise ValueError(
                f"{MUNICIPALITIES_CSV}: kommune {number} has unknown fylke {row['fylkesnummer']!r}"
            )
        county = county_by_number[number[:2]]
        display_name = f"{name} ({county.short_name})" if name_count[name] > 1 else name
        new_municipalities.append(
            Municipality(number=number, name=name, display_name=display_name, county=county)
        )
    Municipality.objects.using(db).bulk_create(new_municipalities)
    municipality_by_number = {m.number: m for m in Municipality.objects.using(db).all()}

    new_areas = []
    for row in areas:
        code, kind, number = row["omradenummer"], row["type"], row["kommunenummer"]
        municipality = municipality_by_number.get(number)
        trust = trust_by_short_name.get(row["opptaksomrade"])
        if municipality is None:
            raise ValueError(f"{CATCHMENT_AREAS_CSV}: område {code} has unknown kommune {number!r}")
        if trust is None or trust.name != row["helseforetak"]:
            raise ValueError(
                f"{CATCHMENT_AREAS_CSV}: område {code} has unknown helseforetak "
                f"{row['opptaksomrade']!r} / {row['helseforetak']!r}"
            )
        if not (
            (kind == "kommune" and code == number)
            or (kind == "bydel" and len(code) == 6 and code.isdecimal() and code.startswith(number))
        ):
            raise ValueError(
                f"{CATCHMENT_AREAS_CSV}: område {code} does not fit type {kind!r} and kommune {number}"
            )
        new_areas.append(
            CatchmentArea(
                code=code, name=row["omradenavn"], kind=kind, municipality=municipality, health_trust=trust
            )
        )
    CatchmentArea.objects.using(db).bulk_create(new_areas)

    uncovered = sorted(set(municipality_by_number) - {row["kommunenummer"] for row in areas})
    if uncovered:
        raise ValueError(f"{CATCHMENT_AREAS_CSV}: no catchment area for kommune {', '.join(uncovered)}")


def unload(apps: Any, schema_editor: Any) -> None:
    db = schema_editor.connection.alias
    for model_name in ["CatchmentArea", "Municipality", "County", "HealthTrust", "HealthRegion"]:
        apps.get_model("places", model_name).objects.using(db).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
