"""Absolute links to this installation, for what is read outside a request: e-mails, calendar feeds, QR codes,
PDFs and the public page's canonical link. FAGNETT_BASE_URL (docs/operations.md) says where Fagnett lives."""

from __future__ import annotations

from django.conf import settings


def base_url() -> str:
    return str(settings.FAGNETT_BASE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """`path` (as reverse() gives it, starting with "/") on this installation."""
    return base_url() + path
