from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
