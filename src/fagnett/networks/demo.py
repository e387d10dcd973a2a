"""The demo network `make run` sets up, so a newcomer has something real to look at.

Built from seed 001's description of the interdisciplinary network in child palliative care in the
Helse Stavanger area. Running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from fagnett.accounts.models import User
from fagnett.networks.models import Membership, Network, Person, Role
from fagnett.places.queries import health_trust_by_name, municipalities_in_health_trust

DEMO_SLUG = "sor-rogaland-barnepalliasjon"
DEMO_COORDINATOR_EMAIL = "koordinator@demo.fagnett.no"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    network: Network


def _password_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-login.txt"


@transaction.atomic
def load_demo() -> DemoLogin:
    trust = health_trust_by_name("Helse Stavanger HF")
    if trust is None:
        raise RuntimeError("The reference data is missing: run the migrations first.")
    network, created = Network.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={
            "name": "Regionalt nettverk i barnepalliasjon, Sør-Rogaland",
            "purpose": (
                "Et tverrfaglig nettverk som skal sikre at barn med palliative behov og deres familier får "
                "et likeverdig tilbud uansett hvor de bor, ved å bygge kompetanse i kommunene."
            ),
            "established_year": 2021,
            "initiative": "Stavanger kommune og Helse Stavanger HF",
            "owner_organisation": "Stavanger kommune",
        },
    )
    if created:
        network.municipalities.set(municipalities_in_health_trust(trust))

    password_file = _password_file()
    user = User.objects.filter(email=DEMO_COORDINATOR_EMAIL).first()
    if user is None or not password_file.exists():
        # The password is made here, on this machine, and kept under var/ (never in the repository).
        password = secrets.token_urlsafe(12)
        if user is None:
            user = User.objects.create_user(DEMO_COORDINATOR_EMAIL, password, name="Kari Koordinator")
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password)
    password = password_file.read_text().strip()

    person, _ = Person.objects.get_or_create(
        network=network,
        email=DEMO_COORDINATOR_EMAIL,
        defaults={"first_name": "Kari", "last_name": "Koordinator", "profession": "Sykepleier", "user": user},
    )
    coordinator = Role.objects.get(code=Role.COORDINATOR, network=None)
    Membership.objects.get_or_create(
        person=person, network=network, role=coordinator, defaults={"start": dt.date(2021, 1, 1)}
    )
    return DemoLogin(email=user.email, password=password, network=network)
