from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fagnett.audit.models import AuditEntry
from fagnett.networks.models import CoverageRule, Network, Workplace


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_network", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_creates_a_network_from_a_health_trust_with_units_and_default_rules() -> None:
    output = run(
        "sor-rogaland",
        "--name",
        "Barnepalliasjon Sør-Rogaland",
        "--health-trust",
        "Helse Stavanger HF",
        "--hospital-units",
        "Barneavdelingen; Nyfødtintensiv",
    )
    network = Network.objects.get(slug="sor-rogaland")
    assert output.startswith("Created network sor-rogaland: 15 municipalities, 2 hospital units")
    assert network.municipalities.count() == 15
    units = Workplace.objects.filter(network=network, in_scope=True, service_type__code="sykehusavdeling")
    assert sorted(units.values_list("name", flat=True)) == ["Barneavdelingen", "Nyfødtintensiv"]
    assert {u.health_trust.name for u in units if u.health_trust} == {"Helse Stavanger HF"}
    rules = CoverageRule.objects.filter(network=network)
    assert sorted((r.scope, r.service_type.code if r.service_type else "") for r in rules) == [
        ("kommune", "hjemmetjeneste"),
        ("kommune", "sykehjem"),
        ("sykehusavdeling", ""),
    ]


@pytest.mark.django_db
def test_a_second_run_with_the_same_arguments_changes_nothing() -> None:
    args = (
        "bergen",
        "--name",
        "Lindrende Bergen",
        "--municipalities",
        "4601,4631",
        "--hospital-units",
        "Barneklinikken",
    )
    args_with_trust = (*args, "--health-trust-of-units", "Helse Bergen HF")
    run(*args_with_trust)
    audit_rows = AuditEntry.objects.count()
    output = run(*args_with_trust)
    assert output.startswith("Unchanged: network bergen")
    assert AuditEntry.objects.count() == audit_rows
    assert Workplace.objects.filter(network__slug="bergen").count() == 1


@pytest.mark.django_db
def test_municipality_numbers_may_lose_their_leading_zero() -> None:
    run("oslo", "--name", "Oslo", "--municipalities", "301")
    assert list(Network.objects.get(slug="oslo").municipalities.values_list("number", flat=True)) == ["0301"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x", "--name", "X", "--municipalities", "9999"), "Unknown municipality numbers: 9999"),
        (("x", "--name", "X", "--health-trust", "Helse Atlantis HF"), "Unknown health trust"),
        (("Ugyldig Slug", "--name", "X", "--municipalities", "1103"), "may only contain"),
        (("x", "--name", "X", "--municipalities", "1103", "--hospital-units", "A"), "need a health trust"),
    ],
)
def test_it_refuses_bad_arguments_and_creates_nothing(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Network.objects.exists()
