"""The built-in measure categories (seeds 000 and 004) and target groups (seed 004's P, H, B, R)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

CATEGORIES = (
    ("informasjon", "Informasjon om tjenesten"),
    ("radgivning", "Rådgivning og veiledning"),
    ("nettverksarbeid", "Nettverksarbeid"),
    ("utdanning", "Utdanning og kursvirksomhet"),
    ("digitale-ressurser", "Digitale læringsressurser"),
    ("formidling", "Skriftlig og elektronisk formidling"),
    ("forskning", "Forskning og fagutvikling"),
    ("referansegruppen", "Samarbeid med referansegruppen"),
    ("myndigheter", "Arbeid opp mot offentlige myndigheter"),
    ("kvalitetsregister", "Kvalitetsregister"),
    ("annet", "Annet"),
)
TARGET_GROUPS = (
    ("P", "Pasienter og pårørende"),
    ("H", "Helsepersonell og andre faggrupper"),
    ("B", "Befolkningen"),
    ("R", "Referansegruppen"),
)


def load(apps: Any, schema_editor: Any) -> None:
    category = apps.get_model("plans", "MeasureCategory")
    group = apps.get_model("plans", "TargetGroup")
    for code, name in CATEGORIES:
        category.objects.get_or_create(code=code, network=None, defaults={"name": name})
    for code, name in TARGET_GROUPS:
        group.objects.get_or_create(code=code, network=None, defaults={"name": name})


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("plans", "MeasureCategory").objects.filter(network=None).delete()
    apps.get_model("plans", "TargetGroup").objects.filter(network=None).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
