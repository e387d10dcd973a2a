"""Every network that exists when the app is installed gets the default evaluation template (new ones get it
when they are created, evaluations.apps)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from fagnett.evaluations.defaults import build_default_template


def create_default_templates(apps: Any, schema_editor: Any) -> None:
    network_model = apps.get_model("networks", "Network")
    form_model = apps.get_model("evaluations", "EvaluationForm")
    section_model = apps.get_model("evaluations", "Section")
    question_model = apps.get_model("evaluations", "Question")
    # A network that already has forms keeps what it has (the same rule as services.ensure_default_template).
    for network in network_model.objects.exclude(evaluation_forms__isnull=False):
        build_default_template(
            network, form_model=form_model, section_model=section_model, question_model=question_model
        )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(create_default_templates, migrations.RunPython.noop)]
