"""The person's own pages: "My activities", certificates and yearly statements as PDF, the calendar-feed
page; and the pages without login: the private and public calendar feeds and the certificate check.

Reads come from activities.person and activities.feeds, PDFs from activities.certificates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from fagnett.accounts.current import acting_user
from fagnett.activities import feeds
from fagnett.activities import person as person_queries
from fagnett.activities.certificates import (
    certificate_filename,
    certificate_pdf,
    statement_filename,
    yearly_statement_pdf,
)
from fagnett.audit.services import log_action
from fagnett.networks.access import Need, NetworkAccess, network_for_user

CALENDAR_TYPE = "text/calendar; charset=utf-8"
# The years a statement can be asked for; anything else is not a page (404), not an error.
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _context(access: NetworkAccess, nav: str, **extra: Any) -> dict[str, Any]:
    return {"access": access, "network": access.network, "nav": nav, **extra}


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Personal data: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


def _calendar_response(body: bytes, filename: str, *, private: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=900"
    if private:
        # The address is the secret: keep it out of search engines.
        response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_GET
def my_activities(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.ANY)
    person = person_queries.own_person(access)
    facts = person_queries.my_activities(access.network, person, timezone.localdate())
    return render(request, "activities/my_activities.html", _context(access, "my_activities", facts=facts))


@login_required
@require_GET
def certificate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.ANY)
    attendance = person_queries.attendance_for_certificate(access, pk)
    if attendance.person_id not in access.own_person_ids:
        # A certificate of someone else takes personal data out of the system: who did it is recorded.
        log_action(
            "activities.certificate.downloaded",
            actor=acting_user(request),
            target=attendance,
            network=access.network,
        )
    return _pdf_response(certificate_pdf(attendance), certificate_filename(attendance))


@login_required
@require_GET
def yearly_statement(request: HttpRequest, slug: str, person_pk: int, year: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.ANY)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    person = person_queries.person_for_statement(access, person_pk)
    statement = person_queries.yearly_statement(access.network, person, year)
    if person.pk not in access.own_person_ids:
        log_action(
            "activities.yearly_statement.downloaded",
            actor=acting_user(request),
            target=person,
            network=access.network,
            data={"year": year},
        )
    return _pdf_response(yearly_statement_pdf(statement), statement_filename(statement))


@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.ANY)
    person = person_queries.own_person(access)
    if request.method == "POST":
        if "revoke" in request.POST:
            feeds.revoke_calendar_feed(person, actor=acting_user(request))
            messages.success(request, _("You have a new calendar address. The old one no longer works."))
        return redirect("activities:feed_settings", slug=access.network.slug)
    feed = feeds.ensure_calendar_feed(person, actor=acting_user(request))
    private_url = feeds.private_feed_url(feed)
    public_url = feeds.public_feed_url(access.network)
    return render(
        request,
        "activities/feed_settings.html",
        _context(
            access,
            "my_activities",
            private_url=private_url,
            private_webcal=feeds.webcal(private_url),
            public_url=public_url,
            public_webcal=feeds.webcal(public_url),
        ),
    )


# Calendar programs and link checkers may ask with HEAD first.
@require_safe
def private_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = feeds.feed_by_token(token)
    if feed is None:
        raise Http404
    return _calendar_response(feeds.private_calendar(feed), "mine-aktiviteter.ics", private=True)


@require_safe
def public_feed(request: HttpRequest, slug: str) -> HttpResponse:
    network = feeds.network_for_public_feed(slug)
    body = feeds.public_calendar(network, timezone.localdate())
    return _calendar_response(body, f"{network.slug}.ics", private=False)


@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    attendance = person_queries.attendance_by_code(code)
    context: dict[str, Any] = {"code": code.strip().upper()[:10], "attendance": attendance}
    if attendance is None:
        return render(request, "activities/verify.html", context, status=404)
    context["organiser"] = person_queries.organiser_name(attendance.activity)
    return render(request, "activities/verify.html", context)
