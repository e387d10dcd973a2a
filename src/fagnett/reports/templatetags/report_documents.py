"""Template helpers of the annual report's HTML (reports/_document.html and the section fragments)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from fagnett.plans.annual_queries import format_nok
from fagnett.reports import charts
from fagnett.reports.document import Document, build_document

register = template.Library()


@register.simple_tag
def report_document(content: Mapping[str, Any]) -> Document:
    """`{% report_document content as doc %}`: the sections, narratives and charts of the content."""
    return build_document(content)


@register.filter
def iso_date(value: Any) -> str:
    """ "2024-03-14" (the facts' ISO dates) as 14.03.2024."""
    if not value:
        return "–"
    try:
        return dt.date.fromisoformat(str(value)[:10]).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)


@register.filter
def number(value: Any) -> str:
    """A JSON number as the pages show it: "12", "6,5", "1 234"."""
    try:
        return charts.number(value)
    except (InvalidOperation, ValueError):
        return str(value)


@register.filter
def nok(value: Any) -> str:
    """An amount in kroner: "250 000 kr"."""
    try:
        return format_nok(Decimal(str(value or 0)))
    except InvalidOperation:
        return str(value)


@register.filter
def absolute(value: Any) -> Any:
    try:
        return abs(value)
    except TypeError:
        return value
