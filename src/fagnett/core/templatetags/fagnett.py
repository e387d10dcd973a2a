from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()

_CHOICE_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def ds_widget(field: forms.BoundField) -> SafeString:
    """Render a field's widget with Designsystemet's class and the ids of its help text and errors."""
    widget = field.field.widget
    attrs: dict[str, str | bool] = {}
    if not isinstance(widget, _CHOICE_WIDGETS):
        attrs["class"] = f"ds-input {widget.attrs.get('class', '')}".strip()
    elif isinstance(widget, forms.CheckboxInput):
        attrs["class"] = "ds-input"
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
