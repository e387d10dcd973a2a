"""The public network page, its newsletter archive (no login) and the coordinator's settings for them.

The public pages are for anyone and for search engines: no login, no cookies, no forms, nothing from other
hosts, and cacheable for five minutes. They answer 404 while the network has not turned its page on, so a
network's existence is not revealed before it chooses to be seen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from fagnett.activities.feeds import public_feed_url, webcal
from fagnett.core.links import absolute_url
from fagnett.networks.access import Need, network_for_user
from fagnett.networks.models import Network
from fagnett.networks.organisation_forms import add_service_errors
from fagnett.overview.maps import legend
from fagnett.overview.network_map import network_map
from fagnett.public.facts import (
    archived_newsletter,
    archived_newsletters,
    public_network,
    public_page_facts,
)
from fagnett.public.forms import PublicSettingsForm
from fagnett.public.services import update_public_settings

if TYPE_CHECKING:
    from fagnett.accounts.models import User

CACHE_SECONDS = 300
MAP_ID = "public-map"
DESCRIPTION_LENGTH = 160


def _public(response: HttpResponse) -> HttpResponse:
    """Shared caches may keep the page for five minutes; the language cookie chooses the language, so a cache
    keeps one copy per cookie."""
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    patch_vary_headers(response, ["Cookie"])
    return response


def _description(network: Network) -> str:
    if network.purpose.strip():
        return Truncator(" ".join(network.purpose.split())).chars(DESCRIPTION_LENGTH)
    return _("%(name)s: a competence network. Its area, coverage, resource persons and open activities.") % {
        "name": network.name
    }


def _render(request: HttpRequest, template: str, network: Network, path: str, **context: Any) -> HttpResponse:
    response = render(
        request,
        f"public/{template}",
        {
            "network": network,
            "canonical_url": absolute_url(path),
            "description": _description(network),
            **context,
        },
    )
    return _public(response)


@require_safe
def network(request: HttpRequest, slug: str) -> HttpResponse:
    network = public_network(slug)
    facts = public_page_facts(network, timezone.localdate())
    feed = public_feed_url(network)
    return _render(
        request,
        "network.html",
        network,
        reverse("public:network", args=[slug]),
        facts=facts,
        feed_url=feed,
        webcal_url=webcal(feed),
        map_id=MAP_ID,
        map_legend=legend(),
        # The map draws from the coverage facts already computed: no query, nothing from another host.
        coverage_map=network_map(facts.coverage, map_id=MAP_ID),
    )


@require_safe
def newsletters(request: HttpRequest, slug: str) -> HttpResponse:
    network = public_network(slug, archive=True)
    return _render(
        request,
        "newsletters.html",
        network,
        reverse("public:newsletters", args=[slug]),
        newsletters=archived_newsletters(network),
    )


@require_safe
def newsletter(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = public_network(slug, archive=True)
    return _render(
        request,
        "newsletter.html",
        network,
        reverse("public:newsletter", args=[slug, pk]),
        newsletter=archived_newsletter(network, pk),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    network = access.network
    if request.method == "POST":
        form = PublicSettingsForm.for_network(network, request.POST)
        if form.is_valid():
            try:
                changed = update_public_settings(
                    network,
                    public_page=form.cleaned_data["public_page"],
                    public_contact_email=form.cleaned_data["public_contact_email"],
                    newsletter_archive_public=form.cleaned_data["newsletter_archive_public"],
                    actor=cast("User", request.user),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if changed:
                    messages.success(request, _("The settings for the public page are saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return HttpResponseRedirect(reverse("public:settings", args=[slug]))
    else:
        form = PublicSettingsForm.for_network(network)
    return render(
        request,
        "public/settings.html",
        {
            "access": access,
            "network": network,
            "nav": "settings",
            "form": form,
            "public_url": reverse("public:network", args=[slug]),
            "archive_url": reverse("public:newsletters", args=[slug]),
        },
    )
