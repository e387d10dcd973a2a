from __future__ import annotations

from typing import Any

from django.db import migrations

# The codes the roster import and CLI accept in every installation (the fixed vocabulary); networks
# may add their own.
BUILTIN_SERVICE_TYPES = (
    ("hjemmetjeneste", "Hjemmetjeneste"),
    ("sykehjem", "Sykehjem"),
    ("sykehusavdeling", "Sykehusavdeling"),
    ("avlastningsbolig", "Avlastningsbolig"),
    ("barnebolig", "Barnebolig"),
    ("barnehage", "Barnehage"),
    ("skole", "Skole"),
    ("fastlege", "Fastlege"),
    ("koordinerende_enhet", "Koordinerende enhet"),
    ("palliativt_team", "Palliativt team"),
    ("frivillig_organisasjon", "Frivillig organisasjon"),
    ("annet", "Annet"),
)


def create(apps: Any, schema_editor: Any) -> None:
    ServiceType = apps.get_model("networks", "ServiceType")
    for code, name in BUILTIN_SERVICE_TYPES:
        ServiceType.objects.update_or_create(code=code, network=None, defaults={"name": name})


def delete(apps: Any, schema_editor: Any) -> None:
    apps.get_model("networks", "ServiceType").objects.filter(
        network=None, code__in=[code for code, _ in BUILTIN_SERVICE_TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("networks", "0002_builtin_roles")]
    operations = [migrations.RunPython(create, delete)]
