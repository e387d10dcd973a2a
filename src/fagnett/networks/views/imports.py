"""PLACEHOLDER: being written by a helper; every function here must be replaced."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def import_upload(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def import_template(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def import_preview(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
