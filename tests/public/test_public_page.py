"""The public network page /nettverk/<slug>/ and its newsletter archive (issue 9): what an anonymous visitor
sees, and above all what they never see — a scan of the HTML for the contact details and names of persons who
did not agree to be listed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities.models import Activity, ActivityKind, Audience
from fagnett.networks.models import LocalChapter, Membership, Network, Person, Role, ServiceType, Workplace
from fagnett.newsletters.models import Newsletter, NewsletterStatus
from fagnett.places.models import Municipality
from fagnett.public.facts import public_page_facts
from tests.conftest import login
from tests.helpers import count_queries, nb

TODAY = dt.date(2025, 5, 20)
CONTACT = "post@barnepalliasjon.example.no"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.fixture(autouse=True)
def frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 5, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def public(network: Network) -> Network:
    network.public_page = True
    network.public_contact_email = CONTACT
    network.purpose = "Likeverdig palliativ omsorg for barn i hele regionen."
    network.anchoring = "Samarbeidsavtale mellom helseforetaket og kommunene."
    network.anchoring_reference = "Delavtale 11"
    network.owner_organisation = "Stavanger kommune"
    network.established_year = 2022
    network.initiative = "Kommunalt palliativt team"
    network.save()
    return network


def workplace(network: Network, name: str, number: str, code: str) -> Workplace:
    return Workplace.objects.create(
        network=network,
        name=name,
        municipality=Municipality.objects.get(number=number),
        service_type=ServiceType.objects.get(code=code, network=None),
    )


def person(
    network: Network,
    first: str,
    last: str,
    *,
    consent: bool,
    place: Workplace | None = None,
    phone: str = "",
    role: str = Role.RESOURCE_PERSON,
    chapter: LocalChapter | None = None,
    start: dt.date = dt.date(2024, 1, 1),
    end: dt.date | None = None,
) -> Person:
    email = f"{first}.{last}@kommune.example.no".lower()
    row = Person.objects.create(
        network=network,
        first_name=first,
        last_name=last,
        email=email,
        phone=phone,
        workplace=place,
        public_consent=consent,
        leader_name="Leif Lederhemmelig",
        leader_email=f"leder.{last}@kommune.example.no".lower(),
    )
    Membership.objects.create(
        person=row,
        network=network,
        role=Role.objects.get(code=role, network=None),
        start=start,
        end=end,
        chapter=chapter,
    )
    return row


def activity(network: Network, title: str, day: dt.date, audience: str) -> Activity:
    return Activity.objects.create(
        network=network,
        kind=ActivityKind.STUDY_DAY,
        title=title,
        starts_on=day,
        ends_on=day,
        start_time=dt.time(9, 0),
        end_time=dt.time(15, 0),
        hours=Decimal(6),
        place="Sandnes kulturhus",
        audience=audience,
    )


def newsletter(
    network: Network, subject: str, status: str = NewsletterStatus.SENT, day: int = 1, html: str = ""
) -> Newsletter:
    moment = dt.datetime(2025, 3, day, 10, tzinfo=dt.UTC)
    return Newsletter.objects.create(
        network=network,
        subject=subject,
        body="# Hei",
        status=status,
        sent_html=html or f"<p>Innhold i {subject}</p>",
        queued_at=moment if status != NewsletterStatus.DRAFT else None,
        finished_at=moment if status == NewsletterStatus.SENT else None,
    )


@pytest.fixture
def roster(public: Network) -> dict[str, Person]:
    """Stavanger: two consenting and one non-consenting resource person in home care; Sandnes: one
    non-consenting person in a nursing home; one consenting person without a workplace; a coordinator who
    consented and one who did not; a person whose membership has ended."""
    home = workplace(public, "Hjemmesykepleien Hundvåg", "1103", ServiceType.HOME_CARE)
    nursing = workplace(public, "Lura bo- og aktivitetssenter", "1108", ServiceType.NURSING_HOME)
    return {
        "synnove": person(public, "Synnøve", "Synligsen", consent=True, place=home, phone="+47 911 11 111"),
        "vilde": person(public, "Vilde", "Viseberg", consent=True, place=home, phone="922 22 222"),
        "ukjent": person(public, "Ukjenta", "Hemmeligsen", consent=False, place=home, phone="+4793333333"),
        "skjult": person(public, "Skjulfrid", "Usynligvik", consent=False, place=nursing, phone="944 44 444"),
        "uten": person(public, "Frida", "Frittstående", consent=True, phone="955 55 555"),
        "koord": person(
            public, "Kari", "Koordinatorsen", consent=True, role=Role.COORDINATOR, phone="966 66 666"
        ),
        "taus": person(
            public, "Tore", "Taushetsen", consent=False, role=Role.COORDINATOR, phone="977 77 777"
        ),
        "sluttet": person(
            public,
            "Sigrid",
            "Sluttetsen",
            consent=True,
            place=home,
            phone="988 88 888",
            start=dt.date(2020, 1, 1),
            end=dt.date(2024, 12, 31),
        ),
    }


def page(client: Client, network: Network) -> str:
    response = client.get(reverse("public:network", args=[network.slug]))
    assert response.status_code == 200
    return response.content.decode()


# --- What the visitor sees -------------------------------------------------------------------------------


def test_it_shows_purpose_anchoring_and_the_shared_contact_address(client: Client, public: Network) -> None:
    html = page(client, public)
    assert "Likeverdig palliativ omsorg for barn i hele regionen." in html
    assert "Samarbeidsavtale mellom helseforetaket og kommunene." in html
    assert "Delavtale 11" in html
    assert "Stavanger kommune" in html
    assert "2022" in html
    assert f'href="mailto:{CONTACT}"' in html
    assert reverse("core:accessibility") in html


def test_it_names_consenting_persons_and_counts_the_others(
    client: Client, public: Network, roster: dict[str, Person]
) -> None:
    html = page(client, public)
    assert "Synnøve Synligsen" in html
    assert "Vilde Viseberg" in html
    assert "Frida Frittstående" in html
    assert "Hjemmesykepleien Hundvåg" in html
    assert "Lura bo- og aktivitetssenter" in html
    # Five active resource persons, two of them not named; the one who left is neither named nor counted.
    facts = public_page_facts(public, TODAY)
    assert facts.resource_persons == 5
    assert facts.resource_persons_unnamed == 2
    assert "Sigrid" not in html
    stavanger = next(p for p in facts.places if p.name == "Stavanger")
    (line,) = stavanger.workplaces
    assert line.names == ("Synnøve Synligsen", "Vilde Viseberg")
    assert line.unnamed == 1
    assert line.total == 3
    sandnes = next(p for p in facts.places if p.name == "Sandnes")
    assert sandnes.workplaces[0].names == ()
    assert sandnes.workplaces[0].unnamed == 1


def test_it_names_only_the_coordinators_who_consented(
    client: Client, public: Network, roster: dict[str, Person], chapter: LocalChapter
) -> None:
    person(public, "Lokal", "Lagsen", consent=True, role=Role.COORDINATOR, chapter=chapter)
    html = page(client, public)
    assert "Kari Koordinatorsen" in html
    assert "Tore" not in html and "Taushetsen" not in html
    assert nb("%(name)s (local chapter %(chapter)s)", name="Lokal Lagsen", chapter="Stavanger") in html


def test_it_shows_coverage_per_municipality_with_the_gaps_in_words(
    client: Client, public: Network, roster: dict[str, Person]
) -> None:
    school = workplace(public, "Hundvåg skole", "1103", "skole")
    person(public, "Skule", "Skulesen", consent=True, place=school)
    html = page(client, public)
    facts = public_page_facts(public, TODAY)
    lines = {line.municipality.name: line for line in facts.coverage_lines}
    # The table counts every resource person in the municipality, as the list of persons below does, also
    # those from service types no coverage rule asks for.
    assert lines["Stavanger"].persons == 4
    assert lines["Sandnes"].persons == 1
    # The standard rules ask for home care and a nursing home in every municipality: Stavanger lacks a
    # nursing home, Sandnes home care.
    assert not lines["Stavanger"].covered
    assert lines["Stavanger"].missing == ServiceType.objects.get(code=ServiceType.NURSING_HOME).name.lower()
    assert lines["Sandnes"].missing == ServiceType.objects.get(code=ServiceType.HOME_CARE).name.lower()
    assert nb("No: missing %(missing)s", missing=lines["Stavanger"].missing) in html
    assert nb("Coverage per municipality") in html
    assert '<th scope="row">Stavanger</th>' in html


def test_it_lists_only_upcoming_open_activities_and_links_the_public_feed(
    client: Client, public: Network
) -> None:
    activity(public, "Åpen fagdag om smerte", dt.date(2025, 6, 2), Audience.OPEN)
    activity(public, "Åpen fagdag i dag", TODAY, Audience.OPEN)
    activity(public, "Internt for ressurspersoner", dt.date(2025, 6, 3), Audience.RESOURCE_PERSONS)
    activity(public, "Med lederne", dt.date(2025, 6, 4), Audience.WITH_LEADERS)
    activity(public, "Åpen, men forbi", dt.date(2025, 5, 1), Audience.OPEN)
    html = page(client, public)
    assert "Åpen fagdag om smerte" in html
    assert "02.06.2025" in html
    assert "Sandnes kulturhus" in html
    assert "Åpen fagdag i dag" in html
    assert "Internt for ressurspersoner" not in html
    assert "Med lederne" not in html
    assert "Åpen, men forbi" not in html
    assert html.index("Åpen fagdag i dag") < html.index("Åpen fagdag om smerte")
    feed = reverse("activities:public_feed", args=[public.slug])
    assert f'href="{settings.FAGNETT_BASE_URL.rstrip("/")}{feed}"' in html
    assert "webcal://" in html


def test_the_scan_finds_no_contact_details_and_no_names_of_persons_who_did_not_consent(
    client: Client, public: Network, roster: dict[str, Person], chapter: LocalChapter
) -> None:
    activity(public, "Åpen fagdag", dt.date(2025, 6, 2), Audience.OPEN)
    public.newsletter_archive_public = True
    public.save()
    newsletter(public, "Vårbrevet")
    html = page(client, public)

    # No e-mail address at all but the network's shared one.
    assert set(EMAIL.findall(html)) == {CONTACT}
    digits = re.sub(r"\D", "", html)
    for row in Person.objects.filter(network=public):
        # Nobody's e-mail, leader's e-mail or phone number, consenting or not; also not with spaces removed.
        assert row.email not in html
        assert row.leader_email not in html
        assert row.phone
        assert row.phone not in html
        assert re.sub(r"\D", "", row.phone)[-8:] not in digits
        if not row.public_consent or row.pk == roster["sluttet"].pk:
            assert row.first_name not in html, row.first_name
            assert row.last_name not in html, row.last_name
    assert "Leif Lederhemmelig" not in html


def test_the_page_is_404_while_the_network_has_not_turned_it_on(
    client: Client, network: Network, alice: User
) -> None:
    url = reverse("public:network", args=[network.slug])
    assert client.get(url).status_code == 404
    # Not even the network's own coordinator sees it before it is on.
    assert login(Client(), alice).get(url).status_code == 404
    assert client.get(reverse("public:network", args=["finnes-ikke"])).status_code == 404


# --- For search engines, caches and privacy --------------------------------------------------------------


def test_it_is_indexable_cacheable_and_sets_no_cookie(client: Client, public: Network) -> None:
    response = client.get(reverse("public:network", args=[public.slug]))
    html = response.content.decode()
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    assert "<form" not in html
    assert "csrf" not in html.lower()
    assert "noindex" not in html
    cache = response.headers["Cache-Control"]
    assert "public" in cache and "max-age=300" in cache
    canonical = settings.FAGNETT_BASE_URL.rstrip("/") + reverse("public:network", args=[public.slug])
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert '<meta name="description" content="Likeverdig palliativ omsorg for barn i hele regionen.">' in html
    assert f'<meta property="og:title" content="{public.name}">' in html
    assert 'property="og:image"' not in html
    assert "<script" not in html


def test_it_asks_no_other_host_for_anything(
    client: Client, public: Network, roster: dict[str, Person]
) -> None:
    html = page(client, public)
    base = settings.FAGNETT_BASE_URL.rstrip("/")
    for attribute, value in re.findall(r'\b(src|href|action)="([^"]*)"', html):
        allowed = (
            value.startswith(("/", "#"))
            or value.startswith(base + "/")
            or value == f"mailto:{CONTACT}"
            or value.startswith("webcal://" + base.split("://", 1)[1] + "/")
        )
        assert allowed, f"{attribute}={value}"
    assert "url(http" not in html


@pytest.mark.parametrize("size", [3, 30])
def test_the_page_takes_the_same_number_of_queries_whatever_the_size(
    client: Client, public: Network, size: int
) -> None:
    public.newsletter_archive_public = True
    public.save()
    home = workplace(public, "Hjemmesykepleien", "1103", ServiceType.HOME_CARE)
    for index in range(size):
        person(public, f"Navn{index}", f"Etternavn{index}", consent=index % 2 == 0, place=home)
        activity(public, f"Åpen dag {index}", TODAY + dt.timedelta(days=index), Audience.OPEN)
        newsletter(public, f"Brev {index}", day=1 + index % 28)
    url = reverse("public:network", args=[public.slug])
    client.get(url)  # the map's geometry is read once per process
    assert count_queries(lambda: client.get(url)) == EXPECTED_QUERIES


# The network (1), coverage (rules 2 while the defaults stand in, area 1, counts 1, hospital units 1),
# memberships (1), activities (1), newsletters (1), published annual reports (1).
EXPECTED_QUERIES = 10


# --- The newsletter archive ------------------------------------------------------------------------------


def test_the_archive_is_404_unless_both_the_page_and_the_archive_are_public(
    client: Client, public: Network
) -> None:
    sent = newsletter(public, "Vårbrevet")
    urls = [
        reverse("public:newsletters", args=[public.slug]),
        reverse("public:newsletter", args=[public.slug, sent.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
    assert nb("Newsletters") not in page(client, public).split('id="fn-persons-heading"')[1]

    public.newsletter_archive_public = True
    public.save()
    for url in urls:
        assert client.get(url).status_code == 200

    public.public_page = False
    public.save()
    for url in urls:
        assert client.get(url).status_code == 404


def test_the_archive_lists_sent_newsletters_newest_first_and_never_drafts(
    client: Client, public: Network
) -> None:
    public.newsletter_archive_public = True
    public.save()
    newsletter(public, "Vårbrevet", day=10)
    newsletter(public, "Vinterbrevet", day=2)
    draft = newsletter(public, "Utkast til høstbrev", status=NewsletterStatus.DRAFT)
    queued = newsletter(public, "Brev i kø", status=NewsletterStatus.QUEUED)
    sending = newsletter(public, "Brev som sendes", status=NewsletterStatus.SENDING)
    for html in (
        page(client, public),
        client.get(reverse("public:newsletters", args=[public.slug])).content.decode(),
    ):
        assert html.index("Vårbrevet") < html.index("Vinterbrevet")
        assert "10.03.2025" in html
        assert "Utkast til høstbrev" not in html
        assert "Brev i kø" not in html
        assert "Brev som sendes" not in html
    for hidden in (draft, queued, sending):
        assert client.get(reverse("public:newsletter", args=[public.slug, hidden.pk])).status_code == 404


def test_a_newsletter_shows_its_frozen_html_in_an_article(client: Client, public: Network) -> None:
    public.newsletter_archive_public = True
    public.save()
    sent = newsletter(
        public, "Vårbrevet", day=10, html="<h2>Velkommen</h2><p>Til <strong>våren</strong>.</p>"
    )
    response = client.get(reverse("public:newsletter", args=[public.slug, sent.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    assert "Vårbrevet" in article
    assert "10.03.2025" in article
    assert "<h2>Velkommen</h2><p>Til <strong>våren</strong>.</p>" in article
    assert "Set-Cookie" not in response.headers
    assert "max-age=300" in response.headers["Cache-Control"]


def test_another_networks_newsletter_is_404(client: Client, public: Network, other_network: Network) -> None:
    public.newsletter_archive_public = True
    public.save()
    other_network.public_page = True
    other_network.newsletter_archive_public = True
    other_network.save()
    theirs = newsletter(other_network, "Bergensbrevet")
    assert client.get(reverse("public:newsletter", args=[public.slug, theirs.pk])).status_code == 404
    assert client.get(reverse("public:newsletter", args=[other_network.slug, theirs.pk])).status_code == 200
    assert (
        "Bergensbrevet" not in client.get(reverse("public:newsletters", args=[public.slug])).content.decode()
    )


def test_the_public_pages_answer_only_get_and_head(client: Client, public: Network) -> None:
    assert client.post(reverse("public:network", args=[public.slug])).status_code == 405
