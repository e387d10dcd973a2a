"""PLACEHOLDER: being written by a helper; every function here must be replaced."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def my_activities(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def certificate(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def yearly_statement(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def feed_settings(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def private_feed(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def public_feed(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def verify(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
