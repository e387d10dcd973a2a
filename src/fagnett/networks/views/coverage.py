"""The coverage page and its CSV export: the same facts (networks.coverage) as the `coverage` command."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fagnett.networks.access import Need, NetworkAccess, chapter_for_user, network_for_user
from fagnett.networks.coverage import compute_coverage, coverage_csv
from fagnett.networks.models import LocalChapter
from fagnett.overview.maps import legend
from fagnett.overview.network_map import network_map

MAP_ID = "coverage-map"


class CoverageFilterForm(forms.Form):
    # The parameter names are Norwegian because they are part of the addresses users share and bookmark.
    dato = forms.DateField(
        label=_("Date"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _(
                "Write the date as dd.mm.yyyy, for example 31.12.2024. The coverage today is shown instead."
            )
        },
    )
    lokallag = forms.ChoiceField(label=_("Local chapter"), required=False)

    def __init__(self, *args: Any, chapters: list[LocalChapter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lokallag"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [("", _("The whole network")), *((c.slug, c.name) for c in chapters)]


@dataclass(frozen=True)
class Selection:
    on: dt.date
    chapter: LocalChapter | None
    form: CoverageFilterForm

    def query(self) -> str:
        params = {"dato": self.on.isoformat()}
        if self.chapter is not None:
            params["lokallag"] = self.chapter.slug
        return urlencode(params)


def _select(request: HttpRequest, access: NetworkAccess) -> Selection:
    """The date (?dato=, today when missing or wrong) and chapter (?lokallag=, 404 when unknown)."""
    slug = request.GET.get("lokallag", "").strip()
    chapter = chapter_for_user(access, slug) if slug else None
    today = timezone.localdate()
    chapters = list(LocalChapter.objects.filter(network=access.network).order_by("name"))
    if "dato" in request.GET or "lokallag" in request.GET:
        form = CoverageFilterForm(request.GET, chapters=chapters)
        on = (form.cleaned_data.get("dato") if form.is_valid() else None) or today
    else:
        form = CoverageFilterForm(initial={"dato": today}, chapters=chapters)
        on = today
    return Selection(on=on, chapter=chapter, form=form)


@login_required
def coverage(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.AGGREGATES)
    selection = _select(request, access)
    facts = compute_coverage(access.network, selection.on, selection.chapter)
    return render(
        request,
        "networks/coverage.html",
        {
            "access": access,
            "network": access.network,
            "nav": "coverage",
            "form": selection.form,
            "facts": facts,
            "map_id": MAP_ID,
            "map_legend": legend(),
            # Zoomed to the chapter's area when the page shows a chapter; each municipality links to its row.
            "coverage_map": network_map(facts, map_id=MAP_ID, link=lambda number: f"#kommune-{number}"),
            "chapter": selection.chapter,
            "today": timezone.localdate(),
            "export_query": selection.query(),
        },
    )


@login_required
def coverage_export(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.AGGREGATES)
    selection = _select(request, access)
    facts = compute_coverage(access.network, selection.on, selection.chapter, with_chapters=False)
    parts = ["dekning", access.network.slug, *([selection.chapter.slug] if selection.chapter else [])]
    filename = f"{'-'.join(parts)}-{selection.on.isoformat()}.csv"
    response = HttpResponse(coverage_csv(facts), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
