"""PLACEHOLDER: being written by a helper; every function here must be replaced."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def shadowings(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def shadowing_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def shadowing_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
