from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class DesignsystemetFormRenderer(TemplatesSetting):
    """Every Django form, allauth's included, renders its fields as Designsystemet fields."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
