"""PLACEHOLDER: being written by a helper; every function here must be replaced."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def signup(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def participants(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def attendance(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def checkin_display(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def checkin(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
