"""What the public network page (/nettverk/<slug>/) shows, read in a fixed number of queries.

Everything here is for visitors without a login, so the rule of issue 9 is kept by construction: the queries
never read a person's e-mail address or phone number, and a person's name is only read when the person has
consented (`Person.public_consent`); for everybody else the database returns an empty name and the page counts
them instead.

Queries for `public_page_facts`: the coverage check (4, or 5 while the network has no rules of its own), the
memberships (1), the open activities (1), the published public annual reports (1) and, when the archive is
public, the newsletters (1). None of them depends on how many persons, municipalities, activities, reports or
newsletters there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from fagnett.activities.models import Activity, Audience
from fagnett.networks.coverage import CoverageFacts, MunicipalityCoverage, compute_coverage
from fagnett.networks.models import Membership, Network, Role
from fagnett.newsletters.models import Newsletter, NewsletterStatus
from fagnett.reports.models import AnnualReport, ReportStatus

ARCHIVE_ON_PAGE = 5  # the newest newsletters listed on the page itself; the archive page lists all


def public_network(slug: str, *, archive: bool = False) -> Network:
    """The network of a public page, or 404 when it is missing, its page is off, or (with `archive`) its
    newsletter archive is not public. One query."""
    networks = Network.objects.filter(slug=slug, public_page=True)
    if archive:
        networks = networks.filter(newsletter_archive_public=True)
    network = networks.first()
    if network is None:
        raise Http404
    return network


@dataclass(frozen=True)
class Coordinator:
    name: str
    chapter: str  # "" for the network's own coordinators


@dataclass(frozen=True)
class WorkplaceLine:
    """The active resource persons of one workplace: the consenting ones by name, the others counted."""

    name: str
    service_type: str
    names: tuple[str, ...]
    unnamed: int

    @property
    def total(self) -> int:
        return len(self.names) + self.unnamed


@dataclass(frozen=True)
class PlaceGroup:
    """A municipality (or, for hospital units, a health trust; or "no workplace") and its workplaces."""

    name: str
    number: str  # the municipality's number; "" for a health trust and for "no workplace"
    workplaces: tuple[WorkplaceLine, ...]
    unnamed_without_workplace: int = 0  # only for the "no workplace registered" group

    @property
    def total(self) -> int:
        return sum(w.total for w in self.workplaces) + self.unnamed_without_workplace


@dataclass(frozen=True)
class CoverageLine:
    municipality: MunicipalityCoverage
    missing: str  # "" when covered, otherwise the missing service types in words
    # Every active resource person with a workplace in the municipality, as the list of persons counts them;
    # the coverage check's own count leaves out service types no rule asks for.
    persons: int

    @property
    def covered(self) -> bool:
        return self.municipality.covered


@dataclass(frozen=True)
class PublicActivity:
    title: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    place: str


@dataclass(frozen=True)
class ArchivedNewsletter:
    pk: int
    subject: str
    sent_on: dt.date


@dataclass(frozen=True)
class PublicReport:
    year: int
    published_on: dt.date


def public_reports(network: Network) -> tuple[PublicReport, ...]:
    """The network's published annual reports it chose to show publicly, newest first. One query."""
    rows = (
        AnnualReport.objects.filter(
            network=network, status=ReportStatus.PUBLISHED, public=True, published_at__isnull=False
        )
        .order_by("-year")
        .values_list("year", "published_at")
    )
    return tuple(
        PublicReport(year=year, published_on=_local_date(published))
        for year, published in rows
        if published is not None
    )


@dataclass(frozen=True)
class PublicPageFacts:
    network: Network
    today: dt.date
    coverage: CoverageFacts
    coverage_lines: tuple[CoverageLine, ...]
    coordinators: tuple[Coordinator, ...]  # consenting coordinators only
    places: tuple[PlaceGroup, ...]
    activities: tuple[PublicActivity, ...]
    newsletters: tuple[ArchivedNewsletter, ...] | None  # None when the archive is not public
    more_newsletters: bool
    reports: tuple[PublicReport, ...] = ()

    @property
    def resource_persons(self) -> int:
        return sum(p.total for p in self.places)

    @property
    def resource_persons_unnamed(self) -> int:
        return sum(p.unnamed_without_workplace + sum(w.unnamed for w in p.workplaces) for p in self.places)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _coverage_lines(coverage: CoverageFacts, places: tuple[PlaceGroup, ...]) -> tuple[CoverageLine, ...]:
    persons = {place.number: place.total for place in places if place.number}
    return tuple(
        CoverageLine(
            municipality=m,
            missing=_join([coverage.type_name(code).lower() for code in m.missing]),
            persons=persons.get(m.number, 0),
        )
        for m in coverage.municipalities
    )


def _consented(field: str) -> Case:
    """The person's `field` when they consented to be listed, otherwise "" — decided in the database, so a
    non-consenting person's name never reaches this process."""
    return Case(
        When(person__public_consent=True, then=F(f"person__{field}")),
        default=Value(""),
        output_field=CharField(),
    )


def _people(network: Network, today: dt.date) -> tuple[tuple[Coordinator, ...], tuple[PlaceGroup, ...]]:
    """Coordinators (consenting, by name) and resource persons per place and workplace, in one query."""
    rows = (
        Membership.objects.active_on(today)
        .filter(network=network, role__code__in=(Role.RESOURCE_PERSON, *Role.COORDINATING_CODES))
        .values_list(
            "person_id",
            "role__code",
            "chapter__name",
            "person__public_consent",
            "person__workplace_id",
            "person__workplace__name",
            "person__workplace__service_type__name",
            "person__workplace__municipality__display_name",
            "person__workplace__municipality__number",
            "person__workplace__health_trust__name",
        )
        .annotate(first=_consented("first_name"), last=_consented("last_name"))
        .order_by("person__last_name", "person__first_name", "person_id")
    )
    coordinators: list[Coordinator] = []
    seen_coordinators: set[tuple[int, str]] = set()
    seen_resource: set[int] = set()
    # (kind, name, number) → workplace id → (name, type, names, unnamed)
    places: dict[tuple[str, str, str], dict[int, tuple[str, str, list[str], list[int]]]] = {}
    without_workplace: list[str] = []
    unnamed_without_workplace = 0
    for (
        person_id,
        code,
        chapter,
        consent,
        workplace_id,
        workplace,
        service_type,
        municipality,
        number,
        trust,
        first,
        last,
    ) in rows:
        name = f"{first} {last}".strip() if consent else ""
        if code != Role.RESOURCE_PERSON:
            key = (person_id, chapter or "")
            if name and key not in seen_coordinators:
                seen_coordinators.add(key)
                coordinators.append(Coordinator(name=name, chapter=chapter or ""))
            continue
        # A person with two resource-person memberships (two chapters) is still one person.
        if person_id in seen_resource:
            continue
        seen_resource.add(person_id)
        if workplace_id is None:
            if name:
                without_workplace.append(name)
            else:
                unnamed_without_workplace += 1
            continue
        place = ("m", municipality, number) if municipality else ("t", trust or "", "")
        line = places.setdefault(place, {}).setdefault(workplace_id, (workplace, service_type, [], [0]))
        if name:
            line[2].append(name)
        else:
            line[3][0] += 1
    groups = [
        PlaceGroup(
            name=place_name or _("Place not registered"),
            number=place_number,
            workplaces=tuple(
                WorkplaceLine(name=w[0], service_type=w[1], names=tuple(w[2]), unnamed=w[3][0])
                for w in sorted(lines.values(), key=lambda w: w[0].lower())
            ),
        )
        # Municipalities first, then health trusts, each by name.
        for (_kind, place_name, place_number), lines in sorted(places.items(), key=lambda item: item[0])
    ]
    if without_workplace or unnamed_without_workplace:
        groups.append(
            PlaceGroup(
                name=_("No workplace registered"),
                number="",
                workplaces=(
                    (WorkplaceLine(name="", service_type="", names=tuple(without_workplace), unnamed=0),)
                    if without_workplace
                    else ()
                ),
                unnamed_without_workplace=unnamed_without_workplace,
            )
        )
    coordinators.sort(key=lambda c: (c.chapter != "", c.chapter, c.name))
    return tuple(coordinators), tuple(groups)


def _activities(network: Network, today: dt.date) -> tuple[PublicActivity, ...]:
    """Open activities starting today or later (the model has no cancelled state)."""
    return tuple(
        PublicActivity(
            title=a.title,
            kind=a.get_kind_display(),
            starts_on=a.starts_on,
            ends_on=a.ends_on,
            start_time=a.start_time,
            end_time=a.end_time,
            place=a.place,
        )
        for a in Activity.objects.filter(network=network, audience=Audience.OPEN, starts_on__gte=today)
        .only("title", "kind", "starts_on", "ends_on", "start_time", "end_time", "place")
        .order_by("starts_on", "start_time", "pk")
    )


def archived_newsletters(network: Network, limit: int | None = None) -> tuple[ArchivedNewsletter, ...]:
    """The network's sent newsletters, newest first. Drafts and sends in progress are never listed. One
    query."""
    rows = (
        Newsletter.objects.filter(network=network, status=NewsletterStatus.SENT)
        .annotate(sent=Coalesce("finished_at", "queued_at", "created"))
        .order_by("-sent", "-pk")
        .values_list("pk", "subject", "sent")
    )
    if limit is not None:
        rows = rows[:limit]
    return tuple(
        ArchivedNewsletter(pk=pk, subject=subject, sent_on=_local_date(sent)) for pk, subject, sent in rows
    )


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


@dataclass(frozen=True)
class PublishedNewsletter:
    subject: str
    sent_on: dt.date
    html: SafeString


def archived_newsletter(network: Network, pk: int) -> PublishedNewsletter:
    """One sent newsletter of the network, or 404 (a draft, a send in progress, another network's, a missing
    one). One query."""
    row = (
        Newsletter.objects.filter(network=network, status=NewsletterStatus.SENT, pk=pk)
        .annotate(sent=Coalesce("finished_at", "queued_at", "created"))
        .values_list("subject", "sent", "sent_html")
        .first()
    )
    if row is None:
        raise Http404
    subject, sent, sent_html = row
    # sent_html was rendered from Markdown with raw HTML disabled and sanitised with nh3 when the send was
    # queued (newsletters.rendering), and is never edited afterwards: it is the one field trusted as markup.
    return PublishedNewsletter(subject=subject, sent_on=_local_date(sent), html=mark_safe(sent_html))  # noqa: S308


def public_page_facts(network: Network, today: dt.date) -> PublicPageFacts:
    coverage = compute_coverage(network, today, with_chapters=False)
    coordinators, places = _people(network, today)
    newsletters: tuple[ArchivedNewsletter, ...] | None = None
    more = False
    if network.newsletter_archive_public:
        # One more than shown tells whether to link to the whole archive, without a count query.
        fetched = archived_newsletters(network, ARCHIVE_ON_PAGE + 1)
        newsletters, more = fetched[:ARCHIVE_ON_PAGE], len(fetched) > ARCHIVE_ON_PAGE
    return PublicPageFacts(
        network=network,
        today=today,
        coverage=coverage,
        coverage_lines=_coverage_lines(coverage, places),
        coordinators=coordinators,
        places=places,
        activities=_activities(network, today),
        newsletters=newsletters,
        more_newsletters=more,
        reports=public_reports(network),
    )
