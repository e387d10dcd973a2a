"""The benchmarks `make bench` runs. Each sets up its data, then times one user-facing action."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bench.runner import Result, measure


@dataclass(frozen=True)
class Benchmark:
    name: str
    prepare: Callable[[], Callable[[], object]]
    target_ms: float | None = None

    def run(self, repeat: int) -> Result:
        return measure(self.name, self.prepare(), repeat=repeat, target_ms=self.target_ms)


def _demo_dashboard() -> Callable[[], object]:
    from django.test import Client
    from django.urls import reverse

    from fagnett.accounts.models import User
    from fagnett.networks.demo import DEMO_COORDINATOR_EMAIL, DEMO_SLUG, load_demo

    load_demo()
    client = Client()
    client.force_login(User.objects.get(email=DEMO_COORDINATOR_EMAIL))
    url = reverse("networks:dashboard", args=[DEMO_SLUG])

    def get() -> object:
        response = client.get(url)
        assert response.status_code == 200
        return response

    return get


def _login_page() -> Callable[[], object]:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    url = reverse("account_login")
    return lambda: client.get(url)


BENCHMARKS = [
    Benchmark("login page (anonymous GET)", _login_page, target_ms=100),
    Benchmark("network dashboard, demo network", _demo_dashboard, target_ms=100),
]
