"""The annual report as PDF and as one standalone HTML file, both from the content dict alone.

The PDF goes through activities.certificates.render_pdf: WeasyPrint with PDF/UA tagging (real h1–h3, so a
screen reader and the bookmarks follow the report's outline), A4, "Side X av Y" in the footer, and a URL
fetcher that refuses everything. The report is a Norwegian document, rendered in bokmål whatever language the
user browses in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from fagnett.activities.certificates import DOCUMENT_LANGUAGE, page_numbers_css, render_pdf

TEMPLATE = "reports/pdf.html"


def render_report_pdf(content: Mapping[str, Any], *, draft: bool = False) -> bytes:
    return render_pdf(TEMPLATE, {"content": content, "draft": draft})


def render_report_html(content: Mapping[str, Any], *, draft: bool = False) -> str:
    """The same document as one HTML file (styles inline, charts as inline SVG, nothing fetched)."""
    with translation.override(DOCUMENT_LANGUAGE):
        # Safe: page_numbers_css quotes and escapes the only text it holds.
        page_numbers = mark_safe(page_numbers_css())  # noqa: S308
        return render_to_string(
            TEMPLATE,
            {
                "content": content,
                "draft": draft,
                "page_numbers": page_numbers,
                "document_language": DOCUMENT_LANGUAGE,
            },
        )
