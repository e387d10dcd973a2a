"""The report's documents (reports/views/documents.py): downloads in four formats for whoever may read the
report, the network's own Word template, and the public page and PDF of a published, public report."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import Network
from fagnett.reports.docx import DEFAULT_TEMPLATE, DOCX_TYPE
from fagnett.reports.models import AnnualReport, ReportStatus, ReportTemplate
from tests.conftest import login
from tests.helpers import count_queries, nb
from tests.reports.sample_facts import sample_content, sample_facts

YEAR = 2024
NOW = dt.datetime(2025, 3, 3, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))
LIVE_MEMBERS = 999  # what the live facts say; a published report's snapshot says 47
FORMATS = ("docx", "pdf", "json", "xlsx")
OUTSIDERS = ("charlie", "nobody", "rita", "lena")

pytestmark = pytest.mark.django_db


def fake_annual_facts(network: Network, year: int, *, quote_ids: Any = ()) -> dict[str, Any]:
    facts = sample_facts()
    facts.update(year=year, as_of=f"{year}-12-31")
    facts["network"].update(name=network.name, slug=network.slug)
    facts["members"]["at_year_end"] = LIVE_MEMBERS
    return facts


@pytest.fixture(autouse=True)
def _setup(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr("fagnett.reports.content.annual_facts", fake_annual_facts)
    with time_machine.travel(NOW, tick=False):
        yield


def publish(network: Network, *, public: bool = False) -> AnnualReport:
    content = sample_content()
    content["facts"]["network"].update(name=network.name, slug=network.slug)
    return AnnualReport.objects.create(
        network=network,
        year=YEAR,
        status=ReportStatus.PUBLISHED,
        public=public,
        snapshot=content,
        published_at=NOW,
    )


def download_url(network: Network, fmt: str, year: int = YEAR) -> str:
    return reverse("reports:download", args=[network.slug, year, fmt])


def word_template(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(client: Client, network: Network, data: bytes, name: str = "var-mal.docx") -> Any:
    return client.post(
        reverse("reports:template", args=[network.slug]), {"file": SimpleUploadedFile(name, data, DOCX_TYPE)}
    )


# --- Downloads --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_coordinator_downloads_a_draft_in_every_format(
    client: Client, network: Network, alice: User, fmt: str
) -> None:
    response = login(client, alice).get(download_url(network, fmt))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="arsrapport-barnepalliasjon-{YEAR}.{fmt}"'
    )
    body = response.content
    if fmt == "docx":
        assert response["Content-Type"] == DOCX_TYPE
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)
        assert f"hadde kompetansenettverket {LIVE_MEMBERS} medlemmer" in text
        assert "UTKAST" in text
    elif fmt == "pdf":
        assert body.startswith(b"%PDF")
    elif fmt == "json":
        assert json.loads(body)["members"]["at_year_end"] == LIVE_MEMBERS
        assert "Sør-Rogaland".encode() in body  # ensure_ascii=False: the letters as they are
    else:
        assert load_workbook(io.BytesIO(body))["Nøkkeltall"]["B4"].value == LIVE_MEMBERS


@pytest.mark.parametrize("fmt", ["doc", "html", "csv"])
def test_an_unknown_format_is_404(client: Client, network: Network, alice: User, fmt: str) -> None:
    assert login(client, alice).get(download_url(network, fmt)).status_code == 404


@pytest.mark.parametrize("persona", ["rolf", "carl"])
def test_readers_and_chapter_coordinators_get_404_for_a_draft(
    client: Client, network: Network, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    AnnualReport.objects.create(network=network, year=YEAR)
    assert login(client, user).get(download_url(network, "pdf")).status_code == 404


@pytest.mark.parametrize("persona", ["alice", "rolf", "carl"])
def test_a_published_report_is_downloaded_from_its_snapshot(
    client: Client, network: Network, persona: str, request: pytest.FixtureRequest
) -> None:
    publish(network)
    response = login(client, request.getfixturevalue(persona)).get(download_url(network, "json"))
    assert response.status_code == 200
    assert json.loads(response.content)["members"]["at_year_end"] == 47


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_even_for_a_published_report(
    client: Client, network: Network, persona: str, request: pytest.FixtureRequest
) -> None:
    publish(network, public=True)
    user = request.getfixturevalue(persona)
    for fmt in FORMATS:
        assert login(client, user).get(download_url(network, fmt)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client: Client, network: Network) -> None:
    publish(network, public=True)
    response = client.get(download_url(network, "pdf"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_download_is_audited_as_an_export(client: Client, network: Network, rolf: User) -> None:
    report = publish(network)
    login(client, rolf).get(download_url(network, "xlsx"))
    entry = AuditEntry.objects.get(action="report.exported")
    assert (entry.actor_id, entry.network_id, entry.target_id) == (rolf.pk, network.pk, str(report.pk))
    assert entry.data == {"year": YEAR, "format": "xlsx", "status": ReportStatus.PUBLISHED}


def test_the_docx_uses_the_networks_template_in_use(client: Client, network: Network, alice: User) -> None:
    login(client, alice)
    upload(client, network, word_template("Vårt nettverk: {{ facts.members.at_year_end }} medlemmer"))
    body = client.get(download_url(network, "docx")).content
    assert [p.text for p in docx.Document(io.BytesIO(body)).paragraphs] == [
        f"Vårt nettverk: {LIVE_MEMBERS} medlemmer"
    ]


def test_a_template_that_fails_on_a_later_report_falls_back_to_the_default(
    client: Client, network: Network, alice: User
) -> None:
    login(client, alice)
    upload(client, network, word_template("{{ facts.chapters[0].name }}"))
    assert ReportTemplate.objects.get().active
    content = sample_content()
    content["facts"]["chapters"] = []
    AnnualReport.objects.create(
        network=network, year=YEAR, status=ReportStatus.PUBLISHED, snapshot=content, published_at=NOW
    )
    body = client.get(download_url(network, "docx")).content
    assert "Aktiviteter i nettverket" in [p.text for p in docx.Document(io.BytesIO(body)).paragraphs]


# --- The network's Word template ----------------------------------------------------------------------------


def test_the_template_page_lists_the_placeholders(client: Client, network: Network, alice: User) -> None:
    response = login(client, alice).get(reverse("reports:template", args=[network.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<code>facts.members.at_year_end</code>" in html
    assert nb("Fagnett's default template.") in html
    assert reverse("reports:default_template", args=[network.slug]) in html


@pytest.mark.parametrize("persona", ["carl", "rolf", "rita", "lena", "charlie", "nobody"])
def test_only_the_network_coordinator_may_see_or_change_the_template(
    client: Client, network: Network, persona: str, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(reverse("reports:template", args=[network.slug])).status_code == 404
    assert upload(client, network, word_template("{{ year }}")).status_code == 404
    assert client.get(reverse("reports:default_template", args=[network.slug])).status_code == 404
    assert not ReportTemplate.objects.exists()


def test_a_good_template_is_taken_into_use(client: Client, network: Network, alice: User) -> None:
    response = upload(login(client, alice), network, word_template("{{ facts.members.at_year_end }}"))
    assert response.status_code == 302
    template = ReportTemplate.objects.get()
    assert (template.active, template.error, template.original_name) == (True, "", "var-mal.docx")
    assert template.uploaded_by == alice
    page = client.get(reverse("reports:template", args=[network.slug])).content.decode()
    assert "var-mal.docx" in page
    assert AuditEntry.objects.filter(action="report_template.uploaded", target_id=str(template.pk)).exists()


def test_a_template_error_names_the_placeholder_and_the_template_in_use_stays(
    client: Client, network: Network, alice: User
) -> None:
    login(client, alice)
    upload(client, network, word_template("{{ year }}"), name="god.docx")
    upload(client, network, word_template("{{ facts.members.foo }}"), name="feil.docx")
    good, bad = ReportTemplate.objects.order_by("pk")
    assert good.active and not bad.active
    assert bad.error == "Plassholderen «facts.members.foo» finnes ikke."
    page = client.get(reverse("reports:template", args=[network.slug])).content.decode()
    assert "Plassholderen «facts.members.foo» finnes ikke." in page
    assert nb("The template that was in use before is still in use.") in page


def test_with_no_good_template_the_default_stays_in_use(
    client: Client, network: Network, alice: User
) -> None:
    login(client, alice)
    upload(client, network, word_template("{% if %}"))
    page = client.get(reverse("reports:template", args=[network.slug])).content.decode()
    assert nb("The default template is still in use.") in page
    assert not ReportTemplate.objects.filter(active=True).exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("mal.pdf", b"%PDF-1.7", "The file must be a Word document (.docx)."),
        (None, b"", "Choose a Word file (.docx) to upload."),
    ],
)
def test_it_rejects_an_upload_that_is_not_a_word_file(
    client: Client, network: Network, alice: User, name: str | None, data: bytes, message: str
) -> None:
    login(client, alice)
    url = reverse("reports:template", args=[network.slug])
    files = {} if name is None else {"file": SimpleUploadedFile(name, data)}
    response = client.post(url, files)
    assert response.status_code == 400
    assert nb(message) in response.content.decode()
    assert not ReportTemplate.objects.exists()


def test_the_coordinator_may_go_back_to_the_default_template(
    client: Client, network: Network, alice: User
) -> None:
    login(client, alice)
    upload(client, network, word_template("{{ year }}"))
    response = client.post(reverse("reports:template", args=[network.slug]), {"action": "default"})
    assert response.status_code == 302
    assert not ReportTemplate.objects.filter(active=True).exists()
    assert AuditEntry.objects.filter(action="report_template.reset").count() == 1


def test_the_coordinator_downloads_the_default_template(
    client: Client, network: Network, alice: User
) -> None:
    response = login(client, alice).get(reverse("reports:default_template", args=[network.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert response.content == DEFAULT_TEMPLATE.read_bytes()


# --- Public ------------------------------------------------------------------------------------------------


def public_urls(network: Network) -> tuple[str, str]:
    return (
        reverse("reports:public", args=[network.slug, YEAR]),
        reverse("reports:public_pdf", args=[network.slug, YEAR]),
    )


def test_a_published_public_report_is_shown_to_anyone(client: Client, network: Network) -> None:
    network.public_page = True
    network.save()
    publish(network, public=True)
    page_url, pdf_url = public_urls(network)
    response = client.get(page_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert nb("Annual report %(year)s for %(name)s", year=YEAR, name=network.name) in html
    assert "Set-Cookie" not in response
    assert "public" in response["Cache-Control"]
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("case", ["draft", "not_public", "no_public_page", "other_year"])
def test_the_public_report_is_404_unless_published_public_and_on_the_public_page(
    client: Client, network: Network, case: str
) -> None:
    network.public_page = case != "no_public_page"
    network.save()
    report = publish(network, public=case != "not_public")
    if case == "draft":
        report.status = ReportStatus.DRAFT
        report.save()
    if case == "other_year":
        report.year = YEAR - 1
        report.save()
    for url in public_urls(network):
        assert client.get(url).status_code == 404


def test_the_public_page_reads_a_fixed_number_of_queries(client: Client, network: Network) -> None:
    network.public_page = True
    network.save()
    report = publish(network, public=True)
    page_url, _pdf = public_urls(network)
    few = count_queries(lambda: client.get(page_url))
    snapshot = dict(report.snapshot or {})
    snapshot["facts"]["chapters"] = snapshot["facts"]["chapters"] * 8
    report.snapshot = snapshot
    report.save()
    assert count_queries(lambda: client.get(page_url)) == few
