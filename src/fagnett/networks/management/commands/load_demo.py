from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fagnett.networks.demo import load_demo


class Command(BaseCommand):
    help = "Create the demo network and its coordinator account (idempotent) and print how to log in."

    def handle(self, *args: Any, **options: Any) -> None:
        login = load_demo()
        self.stdout.write(f"Demo network: {login.network.name} ({login.network.slug})")
        self.stdout.write(f"Demo login (demo-innlogging): {login.email} / {login.password}")
