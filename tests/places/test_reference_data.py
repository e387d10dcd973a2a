"""The reference data loaded by migration places.0002 (the test database is built by running migrations)."""

from __future__ import annotations

import pytest
from django.db.models import F

from fagnett.places.models import CatchmentArea, County, HealthRegion, HealthTrust, Municipality
from fagnett.places.queries import (
    health_trust_by_name,
    municipalities_in_health_trust,
    normalise_municipality_number,
)

pytestmark = pytest.mark.django_db


def test_counts() -> None:
    assert HealthRegion.objects.count() == 4
    assert HealthTrust.objects.count() == 21
    assert County.objects.count() == 15
    assert Municipality.objects.count() == 357
    assert CatchmentArea.objects.count() == 374
    assert CatchmentArea.objects.filter(kind=CatchmentArea.Kind.MUNICIPALITY).count() == 356
    assert CatchmentArea.objects.filter(kind=CatchmentArea.Kind.DISTRICT).count() == 18


def test_regions_and_slugs() -> None:
    assert dict(HealthRegion.objects.values_list("name", "slug")) == {
        "Helse Midt-Norge RHF": "helse-midt-norge-rhf",
        "Helse Nord RHF": "helse-nord-rhf",
        "Helse Sør-Øst RHF": "helse-sor-ost-rhf",
        "Helse Vest RHF": "helse-vest-rhf",
    }
    trusts_per_region = {region.name: region.trusts.count() for region in HealthRegion.objects.all()}
    assert trusts_per_region == {
        "Helse Midt-Norge RHF": 3,
        "Helse Nord RHF": 4,
        "Helse Sør-Øst RHF": 10,
        "Helse Vest RHF": 4,
    }


def test_each_county_region() -> None:
    regions = dict(County.objects.values_list("number", "region__name"))
    assert regions == {
        "03": "Helse Sør-Øst RHF",
        "11": "Helse Vest RHF",
        "15": "Helse Midt-Norge RHF",
        "18": "Helse Nord RHF",
        "31": "Helse Sør-Øst RHF",
        "32": "Helse Sør-Øst RHF",
        "33": "Helse Sør-Øst RHF",
        "34": "Helse Sør-Øst RHF",
        "39": "Helse Sør-Øst RHF",
        "40": "Helse Sør-Øst RHF",
        "42": "Helse Sør-Øst RHF",
        "46": "Helse Vest RHF",
        "50": "Helse Midt-Norge RHF",
        "55": "Helse Nord RHF",
        "56": "Helse Nord RHF",
    }


def test_county_names() -> None:
    nordland = County.objects.get(number="18")
    assert nordland.name == "Nordland - Nordlánnda"
    assert nordland.short_name == "Nordland"
    assert str(nordland) == "Nordland - Nordlánnda"
    assert County.objects.get(number="56").name == "Finnmark - Finnmárku - Finmarkku"


def test_every_municipality_is_in_the_region_of_its_county() -> None:
    mismatched = CatchmentArea.objects.exclude(health_trust__region=F("municipality__county__region"))
    assert not mismatched.exists()


def test_municipality_numbers_keep_leading_zeros() -> None:
    oslo = Municipality.objects.get(number="0301")
    assert oslo.name == "Oslo"
    assert oslo.county.number == "03"
    assert all(len(number) == 4 for number in Municipality.objects.values_list("number", flat=True))
    for municipality in Municipality.objects.select_related("county"):
        assert municipality.number[:2] == municipality.county.number


def test_oslo_is_split_between_several_trusts() -> None:
    oslo = Municipality.objects.get(number="0301")
    assert set(oslo.health_trusts.values_list("name", flat=True)) == {
        "Oslo universitetssykehus HF",
        "Akershus universitetssykehus HF",
        "Lovisenberg Diakonale Sykehus",
        "Diakonhjemmet Sykehus",
    }
    districts = oslo.catchment_areas.all()
    assert districts.count() == 18
    assert {area.kind for area in districts} == {CatchmentArea.Kind.DISTRICT}
    assert CatchmentArea.objects.get(code="030110").health_trust.short_name == "Ahus"  # Grorud
    assert CatchmentArea.objects.get(code="030105").health_trust.short_name == "Diakonhjemmet"  # Frogner
    assert CatchmentArea.objects.get(code="030116").health_trust.short_name == "Lovisenberg"  # Sentrum


def test_other_municipalities_have_exactly_one_catchment_area() -> None:
    for municipality in Municipality.objects.exclude(number="0301").prefetch_related("catchment_areas"):
        areas = list(municipality.catchment_areas.all())
        assert len(areas) == 1, municipality.number
        assert areas[0].code == municipality.number
        assert areas[0].kind == CatchmentArea.Kind.MUNICIPALITY


def test_shared_names_are_shown_with_county() -> None:
    display = dict(
        Municipality.objects.filter(name__in=["Herøy", "Våler"]).values_list("number", "display_name")
    )
    assert display == {
        "1515": "Herøy (Møre og Romsdal)",
        "1818": "Herøy (Nordland)",
        "3114": "Våler (Østfold)",
        "3419": "Våler (Innlandet)",
    }
    assert str(Municipality.objects.get(number="1818")) == "Herøy (Nordland)"
    # Only those four: every other municipality is shown by its name alone.
    assert Municipality.objects.exclude(display_name=F("name")).count() == 4
    assert Municipality.objects.values("display_name").distinct().count() == 357


def test_sami_names_are_kept() -> None:
    assert Municipality.objects.get(number="5636").name == "Unjárga - Nesseby"


def test_stavanger_is_in_helse_stavanger() -> None:
    trust = HealthTrust.objects.get(name="Helse Stavanger HF")
    assert trust.short_name == "Stavanger"
    assert trust.region.name == "Helse Vest RHF"
    assert trust.ownership == "HF"
    stavanger = Municipality.objects.get(number="1103")
    assert list(stavanger.health_trusts.all()) == [trust]
    numbers = set(municipalities_in_health_trust(trust).values_list("number", flat=True))
    assert len(numbers) == 15
    assert {"1103", "1108", "1124", "1144"} <= numbers
    assert "1106" not in numbers  # Haugesund belongs to Helse Fonna


def test_municipalities_in_health_trust_is_distinct() -> None:
    ous = HealthTrust.objects.get(short_name="OUS")
    assert ous.catchment_areas.count() == 8  # eight of Oslo's districts
    assert [m.number for m in municipalities_in_health_trust(ous)] == ["0301"]
    innlandet = HealthTrust.objects.get(short_name="Innlandet")
    assert municipalities_in_health_trust(innlandet).count() == 42
    ahus = HealthTrust.objects.get(short_name="Ahus")
    assert municipalities_in_health_trust(ahus).count() == 22  # 21 municipalities and 3 Oslo districts


def test_private_hospitals() -> None:
    lovisenberg = HealthTrust.objects.get(short_name="Lovisenberg")
    assert lovisenberg.name == "Lovisenberg Diakonale Sykehus"
    assert lovisenberg.ownership == "privat ideelt sykehus (avtale med RHF)"
    assert lovisenberg.region.name == "Helse Sør-Øst RHF"


@pytest.mark.parametrize(
    "name",
    ["Helse Stavanger HF", "helse stavanger hf", "  HELSE   Stavanger HF ", "Stavanger", "stavanger"],
)
def test_health_trust_by_name(name: str) -> None:
    trust = health_trust_by_name(name)
    assert trust is not None
    assert trust.name == "Helse Stavanger HF"


def test_health_trust_by_name_outside_ascii() -> None:
    trust = health_trust_by_name("SYKEHUSET ØSTFOLD HF")
    assert trust is not None
    assert trust.short_name == "Østfold"
    assert health_trust_by_name("østfold") == trust
    assert health_trust_by_name("St. Olavs") == HealthTrust.objects.get(name="St. Olavs Hospital HF")


@pytest.mark.parametrize("name", ["", "   ", "Helse Vest RHF", "Haraldsplass", "Stavang"])
def test_health_trust_by_name_unknown(name: str) -> None:
    assert health_trust_by_name(name) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("301", "0301"),
        (301, "0301"),
        ("0301", "0301"),
        (" 0301 ", "0301"),
        ("1103", "1103"),
        (1103, "1103"),
        ("1", "0001"),
        (0, "0000"),
    ],
)
def test_normalise_municipality_number(value: str | int, expected: str) -> None:
    assert normalise_municipality_number(value) == expected


@pytest.mark.parametrize(
    "value",
    ["", "   ", "03011", "030101", 12345, -301, "-301", "+301", "3O1", "03 01", "301.0", "abc", "٣٠١", "²"],
)
def test_normalise_municipality_number_rejects_bad_input(value: str | int) -> None:
    with pytest.raises(ValueError):
        normalise_municipality_number(value)


def test_normalise_municipality_number_rejects_bool() -> None:
    with pytest.raises(ValueError):
        normalise_municipality_number(True)
