"""A facts dict that follows the schema in reports/facts.py's docstring, for the renderers' tests.

The numbers are chosen to be distinct (47 members, 41 the year before, 9 joined, 3 left…), so a test that
finds "47" after the heading of a section knows it came from the right key.
"""

from __future__ import annotations

import copy
from typing import Any

YEAR = 2024


def _chapter_members() -> dict[str, Any]:
    return {
        "at_year_end": 23,
        "at_previous_year_end": 19,
        "change": 4,
        "joined": 5,
        "left": 1,
        "by_year": [{"year": y, "members": m} for y, m in ((2022, 14), (2023, 19), (2024, 23))],
    }


SAMPLE_FACTS: dict[str, Any] = {
    "schema": 1,
    "network": {
        "name": "Sør-Rogaland barnepalliasjon",
        "slug": "sor-rogaland-barnepalliasjon",
        "established_year": 2019,
        "initiative": "Stavanger universitetssjukehus og kommunene",
        "anchoring": "Samarbeidsavtale 2 mellom helseforetaket og kommunene.",
        "anchoring_reference": "Delavtale 2",
        "owner_organisation": "Utviklingssenter for sykehjem og hjemmetjenester",
        "purpose": "Bygge opp og spre kompetanse innen palliasjon til barn.",
    },
    "year": YEAR,
    "as_of": "2024-12-31",
    "members": {
        "at_year_end": 47,
        "at_previous_year_end": 41,
        "change": 6,
        "joined": 9,
        "left": 3,
        "by_year": [
            {"year": y, "members": m} for y, m in ((2020, 18), (2021, 26), (2022, 33), (2023, 41), (2024, 47))
        ],
    },
    "coverage": {
        "municipalities_covered": 14,
        "municipalities_total": 15,
        "units_covered": 5,
        "units_total": 6,
        "gaps": ["Kvitsøy: ingen ressursperson fra sykehjem"],
        "statement": "Disse mangler: Kvitsøy: ingen ressursperson fra sykehjem.",
        "municipalities": [
            {"number": "1103", "name": "Stavanger", "covered": True, "persons": 12},
            {"number": "1144", "name": "Kvitsøy", "covered": False, "persons": 1},
        ],
    },
    "intro_courses": [
        {
            "date": "2024-02-08",
            "title": "Introduksjonskurs vår",
            "hours": 6.5,
            "participants": 11,
            "other_participants": 2,
        }
    ],
    "study_days": [
        {
            "date": "2024-10-17",
            "title": "Felles fagdag: smerte hos barn",
            "hours": 6,
            "participants": 38,
            "other_participants": 17,
        }
    ],
    "gatherings": {
        "count": 3,
        "hours": 4,
        "participants": 73,
        "themes": ["Sorg", "Smertelindring"],
        "sentence": "3 samlinger à 4 timer",
    },
    "hours_by_kind": [
        {"kind": "samling", "label": "Nettverkssamling", "activities": 3, "hours": 12, "participants": 73},
        {"kind": "fagdag", "label": "Fagdag", "activities": 1, "hours": 6, "participants": 38},
        {
            "kind": "introkurs",
            "label": "Introduksjonskurs",
            "activities": 1,
            "hours": 6.5,
            "participants": 11,
        },
    ],
    "themes": ["Sorg", "Smertelindring", "Kommunikasjon"],
    "shadowing": [
        {
            "from_municipality": "Sandnes",
            "host": "Barneklinikken SUS",
            "persons": 4,
            "days": 2,
            "sentence": "4 fra Sandnes kommune har hospitert ved Barneklinikken SUS i 2 dager",
        }
    ],
    "groups": [
        {
            "kind": "Styringsgruppe",
            "name": "Styringsgruppen",
            "mandate": "Forankre og prioritere nettverkets arbeid.",
            "meetings_per_year": 4,
            "members": [
                {
                    "name": "Kari Nordmann",
                    "title": "Avdelingsleder",
                    "workplace": "Barneklinikken SUS",
                    "function": "Leder",
                }
            ],
        }
    ],
    "competence": {
        "plan": "Kompetanseplan for ressurssykepleiere",
        "requirements": [
            {"requirement": "Introduksjonskurs", "applicable": 20, "met": 17, "percent": 85},
            {"requirement": "Hospitering", "applicable": 20, "met": 9, "percent": 45},
        ],
    },
    "evaluations": [
        {
            "activity": "Felles fagdag: smerte hos barn",
            "date": "2024-10-17",
            "responses": 29,
            "attendees": 38,
            "questions": [
                {"text": "Hvor nyttig var dagen?", "mean": 4.3, "responses": 29},
                {"text": "Var tiden godt brukt?", "mean": None, "responses": 3},
            ],
            "quotes": ["Veldig lærerikt om smertekartlegging."],
        }
    ],
    "goals": [
        {
            "main_goal": "Barn og unge med palliative behov får et helhetlig tilbud.",
            "sub_goals": [
                {
                    "label": "1.1",
                    "description": "Styrke kompetansen i kommunene",
                    "actions": [{"letter": "a", "text": "Nettverkssamlinger", "new_in_year": False}],
                    "achievement": "ja",
                    "achievement_label": "Ja",
                    "narrative": "Alle samlinger ble holdt.",
                },
                {
                    "label": "1.2",
                    "description": "Etablere hospitering",
                    "actions": [{"letter": "a", "text": "Hospitering på SUS", "new_in_year": True}],
                    "achievement": "delvis",
                    "achievement_label": "Delvis",
                    "narrative": "",
                },
            ],
        }
    ],
    "indicators": [
        {
            "name": "Antall hjemmebesøk",
            "unit": "besøk",
            "source": "entered",
            "computed": False,
            "value": 132,
            "target": 150,
            "periods": [{"period": "Q1", "value": 30}],
            "footnote": "",
        }
    ],
    "dissemination": [
        {
            "plan": "Kompetansespredningsplan 2024–2026",
            "plan_period": "2024–2026",
            "category": "Undervisning",
            "title": "Fagdag for kommunene",
            "target_groups": ["H"],
            "means": ["Fagdag"],
            "timeframe": "Årlig",
            "priority_area": True,
            "is_new": False,
            "status": "gjennomfort",
            "status_label": "Gjennomført",
            "comment": "",
            "linked_count": 1,
            "per_year_min": 1,
            "per_year_max": 1,
        }
    ],
    "priority_areas": {
        "continued": [{"title": "Smertelindring", "description": ""}],
        "new": [{"title": "Sorgstøtte til søsken", "description": "Nytt i 2024."}],
    },
    "economy": {
        "grants": [{"source": "Helsedirektoratet", "purpose": "Drift", "amount": 250000}],
        "course_fees": [{"source": "Fagdag", "purpose": "", "amount": 12500}],
        "other_income": [],
        "costs": [{"source": "Lokaler", "purpose": "", "amount": 30000}],
        "totals": {
            "grants": 250000,
            "course_fees": 12500,
            "other_income": 0,
            "income": 262500,
            "costs": 30000,
            "result": 232500,
        },
    },
    "partners": [
        {
            "name": "Kompetansenettverk Haugesund",
            "organisation": "Helse Fonna",
            "link": "",
            "collaboration": "Felles fagdag",
            "since_year": 2022,
            "until_year": None,
            "network": None,
        }
    ],
    "chapters": [
        {
            "name": "Stavanger lokallag",
            "slug": "stavanger",
            "members": _chapter_members(),
            "coverage": {
                "municipalities_covered": 1,
                "municipalities_total": 1,
                "units_covered": 0,
                "units_total": 0,
                "gaps": [],
                "statement": (
                    "Alle kommuner i området har minst én ressursperson fra hjemmetjenesten og én fra "
                    "sykehjemmet."
                ),
                "municipalities": [{"number": "1103", "name": "Stavanger", "covered": True, "persons": 12}],
            },
            "gatherings": {
                "count": 2,
                "hours": 3,
                "participants": 29,
                "themes": ["Lokalt samarbeid"],
                "sentence": "2 samlinger à 3 timer",
            },
            "themes": ["Lokalt samarbeid"],
            "shadowing": [
                {
                    "from_municipality": "Stavanger",
                    "host": "Stavanger hospice",
                    "persons": 2,
                    "days": 3,
                    "sentence": "2 fra Stavanger kommune har hospitert ved Stavanger hospice i 3 dager",
                }
            ],
            "priority_areas": {"continued": [{"title": "Lokale samlinger", "description": ""}], "new": []},
        }
    ],
}

SAMPLE_NARRATIVES: dict[str, str] = {
    "purpose": "Vi arbeider for barn.\n\nOg for familiene <deres>.",
    "governing_documents": "Nasjonalt handlingsprogram for palliasjon.",
    "chapter:stavanger": "Lokallaget i Stavanger hadde et godt år.",
}


def sample_facts() -> dict[str, Any]:
    """A fresh copy, so a test may change it."""
    return copy.deepcopy(SAMPLE_FACTS)


def sample_content(*, narratives: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "facts": sample_facts(),
        "narratives": dict(SAMPLE_NARRATIVES if narratives is None else narratives),
    }
