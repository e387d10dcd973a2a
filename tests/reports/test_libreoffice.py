"""Word-compatible software opens the annual report's DOCX: LibreOffice converts the demo network's 2024
report to PDF (issue 8's check). Off CI a missing LibreOffice skips this; .ci/run installs
libreoffice-writer-nogui, so on CI (CI=true) a missing binary fails instead of passing silently."""

from __future__ import annotations

import shutil
import subprocess
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from fagnett.networks.demo import DEMO_SLUG
from fagnett.networks.models import Network
from fagnett.reports.content import report_content
from fagnett.reports.models import AnnualReport
from fagnett.reports.rendering import render_document
from tests.helpers import ON_CI, needs_pdftotext, pdf_text

LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(
    LIBREOFFICE is None and not ON_CI, reason="LibreOffice (libreoffice-writer-nogui) is not installed"
)

pytestmark = pytest.mark.django_db


@needs_libreoffice
@needs_pdftotext
def test_libreoffice_converts_the_demo_report_to_pdf(settings: Any, tmp_path: Path) -> None:
    assert LIBREOFFICE is not None, "LibreOffice is not installed"
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=StringIO())
    network = Network.objects.get(slug=DEMO_SLUG)
    report = AnnualReport(network=network, year=2024)
    source = tmp_path / "arsrapport.docx"
    source.write_bytes(render_document(report, report_content(report), "docx"))
    out = tmp_path / "pdf"
    profile = tmp_path / "profile"  # its own profile: a user's running LibreOffice would take the job
    subprocess.run(
        [
            LIBREOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = out / "arsrapport.pdf"
    assert converted.exists()
    text = pdf_text(converted.read_bytes(), tmp_path)
    # The title as the words pdftotext reads back (a hyphen at a line break is lost).
    assert f"Årsrapport 2024 for {network.name.split(',')[0]}" in text
    assert "Aktiviteter i nettverket" in text
