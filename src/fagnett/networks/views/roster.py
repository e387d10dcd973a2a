"""PLACEHOLDER: being written by a helper; every function here must be replaced."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def roster(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def roster_export(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def person_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def person_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def person_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def membership_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def membership_end(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def membership_move(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
