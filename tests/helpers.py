from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(action: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)
