from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(action: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)


def nb(message: str, **params: object) -> str:
    """`message` as a Norwegian user sees it: pages are in bokmål, the source strings in English."""
    from django.utils import translation

    with translation.override("nb"):
        text = translation.gettext(message)
    return text % params if params else text


# PDFs are read back with poppler's pdftotext. Off CI a missing binary skips those tests; .ci/run installs
# poppler-utils, so on CI (CI=true) a missing binary fails them instead of passing silently.
ON_CI = bool(os.environ.get("CI"))
PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None and not ON_CI, reason="pdftotext (poppler-utils) is not installed"
)


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The words of a PDF, one space apart: table cells and long lines wrap, so compare words, not layout."""
    assert PDFTOTEXT is not None, "pdftotext (poppler-utils) is not installed"
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    result = subprocess.run(  # noqa: S603 - a fixed binary on a file this test wrote
        [PDFTOTEXT, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    )
    return " ".join(result.stdout.split())
