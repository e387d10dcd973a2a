"""Benchmarks of the overview across networks (issue 10) on the national data set (bench.national): the
coverage map of Norway and the overview table, for a site-wide reader who sees all 200 networks.

Registered in bench/benchmarks.py with `BENCHMARKS += overview.benchmarks()` (after `from bench import
overview`; Benchmark is imported inside the function, so the two modules do not import each other at load
time); also runnable alone with
`python -m bench.overview [--repeat N]`, which migrates its own database like `make bench`.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.benchmarks import Benchmark

MAP_TARGET_MS = 300.0  # issue 10: the national map page under 300 ms p95 on a 2-core machine


@functools.cache
def _reader_client() -> Any:
    """A logged-in client of a site-wide reader, on the national data set."""
    from django.test import Client

    from bench.benchmarks import _national
    from fagnett.accounts.models import User
    from fagnett.networks.models import ReaderScope, ReaderScopeKind

    _national()
    user, _ = User.objects.get_or_create(email="leser@nasjonal.example.no")
    ReaderScope.objects.get_or_create(user=user, kind=ReaderScopeKind.SITE)
    client = Client()
    client.force_login(user)
    return client


def _page(name: str, query: str = "") -> Callable[[], Callable[[], object]]:
    def prepare() -> Callable[[], object]:
        from django.urls import reverse

        from bench.benchmarks import _client_get

        # The first request (the runner's warm-up) prepares the map geometry and caches the competence shares.
        return _client_get(_reader_client(), reverse(f"overview:{name}") + query)

    return prepare


def benchmarks() -> list[Benchmark]:
    from bench.benchmarks import Benchmark

    return [
        Benchmark(
            "coverage map of Norway, 200 networks (site-wide reader)", _page("map"), target_ms=MAP_TARGET_MS
        ),
        Benchmark(
            "coverage map zoomed to a county, 200 networks",
            _page("map", "?fylke=11"),
            target_ms=MAP_TARGET_MS,
        ),
        Benchmark("overview of 200 networks (competence shares cached)", _page("networks"), target_ms=None),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.overview", description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fagnett.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("FAGNETT_REQUIRE_MFA_FOR_STAFF", "0")
    from bench.runner import machine, setup_database

    setup_database()
    results = [b.run(args.repeat) for b in benchmarks()]
    print(f"Machine: {machine()}")
    print("| benchmark | runs | p50 ms | p95 ms | max ms | target (p95) |")
    print("|---|---|---|---|---|---|")
    for result in results:
        print(result.row())
    return 0


if __name__ == "__main__":
    sys.exit(main())
