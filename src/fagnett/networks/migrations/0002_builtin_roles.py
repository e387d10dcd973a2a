from __future__ import annotations

from typing import Any

from django.db import migrations

# The codes the roster import and CLI accept in every installation; networks may add their own roles.
BUILTIN_ROLES = (
    ("ressursperson", "Ressursperson"),
    ("arbeidsgruppe", "Arbeidsgruppemedlem"),
    ("koordinator", "Koordinator"),
)


def create_roles(apps: Any, schema_editor: Any) -> None:
    Role = apps.get_model("networks", "Role")
    for code, name in BUILTIN_ROLES:
        Role.objects.update_or_create(code=code, network=None, defaults={"name": name})


def delete_roles(apps: Any, schema_editor: Any) -> None:
    apps.get_model("networks", "Role").objects.filter(
        network=None, code__in=[c for c, _ in BUILTIN_ROLES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]
    operations = [migrations.RunPython(create_roles, delete_roles)]
