"""One entry point for every document format of a report, shared by the download view and the CLI
(ARCHITECTURE.md §5: the renderers take the content dict and nothing else; only the network's Word template
is read here)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from fagnett.lib.tabular import XLSX_TYPE
from fagnett.reports.docx import DOCX_TYPE, TemplateProblem, render_docx
from fagnett.reports.models import AnnualReport
from fagnett.reports.pdf import render_report_html, render_report_pdf
from fagnett.reports.template_services import active_template
from fagnett.reports.xlsx import render_xlsx

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    "docx": DOCX_TYPE,
    "pdf": "application/pdf",
    "json": "application/json; charset=utf-8",
    "xlsx": XLSX_TYPE,
    "html": "text/html; charset=utf-8",
}


def facts_json(content: Mapping[str, Any]) -> bytes:
    """The facts with stable keys (reports/facts.py), Norwegian letters as they are, indented."""
    return json.dumps(content["facts"], ensure_ascii=False, indent=2).encode("utf-8")


def network_docx(report: AnnualReport, content: Mapping[str, Any], *, draft: bool) -> bytes:
    """The report with the network's template in use; the default one when there is none, or when the
    network's template fails on this content (it was tried on other facts when it was uploaded)."""
    template = active_template(report.network)
    if template is not None:
        try:
            with template.file.open("rb") as handle:
                data = handle.read()
            return render_docx(content, template=data, draft=draft)
        except (TemplateProblem, OSError) as error:
            # The coordinator still gets a report; the operator's log says why it is not in their template.
            logger.warning(
                "Annual report %s of network %s: its Word template %s failed (%s); the default was used.",
                report.year,
                report.network.slug,
                template.pk,
                error,
            )
    return render_docx(content, draft=draft)


def render_document(report: AnnualReport, content: Mapping[str, Any], fmt: str) -> bytes:
    """The report in `fmt` (a key of CONTENT_TYPES); a report not published is marked as a draft."""
    draft = not report.is_published
    if fmt == "docx":
        return network_docx(report, content, draft=draft)
    if fmt == "pdf":
        return render_report_pdf(content, draft=draft)
    if fmt == "xlsx":
        return render_xlsx(content)
    if fmt == "html":
        return render_report_html(content, draft=draft).encode("utf-8")
    if fmt == "json":
        return facts_json(content)
    raise ValueError(fmt)
