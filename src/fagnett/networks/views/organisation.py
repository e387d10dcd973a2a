"""PLACEHOLDER: being written by a helper; every function here must be replaced."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def workplaces(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def workplace_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def workplace_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def groups(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def group_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def group_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def group_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def chapters(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def chapter_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def chapter_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def network_settings(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
