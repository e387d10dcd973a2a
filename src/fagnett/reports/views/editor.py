"""The annual report's list, web page, editor and lifecycle (issue 8).

- reports, report: readers of aggregates (report_access); a draft or a missing report is the network
  coordinator's only — 404 for everyone else (report_for_user).
- edit, save_narrative, regenerate, publish, reopen: the network coordinator (report_access(write=True));
  404 for everyone else, before anything is read or written.

Nothing is written on a GET: a year without a report is shown as an unsaved draft, created by its first save.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fagnett.accounts.current import acting_user
from fagnett.networks.access import NetworkAccess
from fagnett.networks.forms import add_service_error
from fagnett.networks.models import LocalChapter
from fagnett.reports import services
from fagnett.reports.access import report_access, report_for_user
from fagnett.reports.content import Content, QuoteChoice, quote_choices, report_content, report_years
from fagnett.reports.diff import diff_facts
from fagnett.reports.forms import (
    NarrativesForm,
    NarrativeSlot,
    PublishForm,
    dom_id,
    field_name,
    narrative_url,
    word_count,
)
from fagnett.reports.models import AnnualReport
from fagnett.reports.sections import CHAPTER_PREFIX, SECTIONS, chapter_key, is_valid_key

if TYPE_CHECKING:
    pass

DOWNLOAD_FORMATS = ("docx", "pdf", "xlsx", "json")


def _page(request: HttpRequest, template: str, access: NetworkAccess, **context: Any) -> HttpResponse:
    return render(
        request,
        f"reports/{template}",
        {"access": access, "network": access.network, "nav": "reports", **context},
    )


def _edit_url(slug: str, year: int) -> str:
    return reverse("reports:edit", args=[slug, year])


@login_required
@require_safe
def reports(request: HttpRequest, slug: str) -> HttpResponse:
    access = report_access(request.user, slug)
    today = timezone.localdate()
    rows = report_years(access.network, today, drafts=access.is_coordinator)
    return _page(request, "list.html", access, rows=rows, can_edit=access.is_coordinator)


@login_required
@require_safe
def report(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    access = report_access(request.user, slug)
    annual = report_for_user(access, year)
    content = report_content(annual)
    return _page(
        request,
        "report.html",
        access,
        report=annual,
        year=year,
        content=content,
        facts=content["facts"],
        narratives=content["narratives"],
        draft=not annual.is_published,
        can_edit=access.is_coordinator,
        formats=DOWNLOAD_FORMATS,
    )


# The editor ----------------------------------------------------------------------------------------------


def _facts_template(key: str) -> str:
    """The renderers' facts fragment of a section (reports/sections/<key>.html)."""
    return f"reports/sections/{key}.html"


def _chapters(annual: AnnualReport, facts: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(slug, name, facts) of each local chapter: a published report's from its snapshot; a draft's from
    the network's chapters now, with their facts where the facts have them."""
    by_slug = {chapter.get("slug", ""): chapter for chapter in facts.get("chapters") or []}
    if annual.is_published:
        return [(slug, str(chapter.get("name", slug)), chapter) for slug, chapter in by_slug.items()]
    return [
        (slug, name, by_slug.get(slug, {}))
        for slug, name in LocalChapter.objects.filter(network=annual.network)
        .order_by("name", "pk")
        .values_list("slug", "name")
    ]


def _slots(chapters: list[tuple[str, str, dict[str, Any]]]) -> list[NarrativeSlot]:
    slots: list[NarrativeSlot] = []
    for section in SECTIONS:
        slots.append(NarrativeSlot(section.key, section.title, section.prompt))
        if section.key == "chapters":
            slots.extend(
                NarrativeSlot(
                    chapter_key(slug),
                    _("Local chapter %(name)s") % {"name": name},
                    _("The chapter's year: what it did, and what it will continue with."),
                )
                for slug, name, _facts in chapters
            )
    return slots


def _editor_items(
    form: NarrativesForm | None,
    chapters: list[tuple[str, str, dict[str, Any]]],
    narratives: dict[str, str],
) -> list[dict[str, Any]]:
    """What the editor shows per section, in SECTIONS order, each local chapter after "chapters"."""
    chapter_facts = {chapter_key(slug): (name, data) for slug, name, data in chapters}
    items: list[dict[str, Any]] = []
    for section in SECTIONS:
        keys = [section.key]
        if section.key == "chapters":
            keys.extend(chapter_key(slug) for slug, _name, _data in chapters)
        for key in keys:
            name, data = chapter_facts.get(key, ("", None))
            is_chapter = key in chapter_facts
            text = narratives.get(key, "")
            field = form[field_name(key)] if form is not None else None
            items.append(
                {
                    "key": key,
                    "dom_id": dom_id(key),
                    "title": name if is_chapter else section.title,
                    "level": 3 if is_chapter else section.level,
                    # The chapters' facts are shown per chapter, as the document does.
                    "facts_template": None
                    if key == "chapters"
                    else _facts_template("chapters" if is_chapter else section.key),
                    "chapter": data,
                    "is_chapter": is_chapter,
                    "field": field,
                    "text": text,
                    "words": word_count((field.value() or "") if field is not None else text),
                }
            )
    return items


def _changes(annual: AnnualReport, facts: dict[str, Any]) -> dict[str, Any]:
    """What changed since the draft was last generated, and (after reopening) since it was published."""
    if annual.is_published:
        return {}
    since_published = None
    if annual.snapshot is not None:
        since_published = diff_facts(annual.snapshot.get("facts"), facts)
    return {
        "since_generated": diff_facts(annual.generated, facts) if annual.generated is not None else None,
        "since_published": since_published,
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    access = report_access(request.user, slug, write=True)
    annual = report_for_user(access, year)
    if request.method == "POST" and annual.is_published:
        messages.error(request, _("The report is published and cannot be changed. Reopen it first."))
        return redirect(_edit_url(slug, year))
    content: Content = report_content(annual)
    facts, narratives = content["facts"], content["narratives"]
    chapters = _chapters(annual, facts)
    form: NarrativesForm | None = None
    quotes: tuple[QuoteChoice, ...] = ()
    if not annual.is_published:
        quotes = quote_choices(access.network, year)
        form = NarrativesForm(
            request.POST if request.method == "POST" else None,
            slots=_slots(chapters),
            initial_texts=narratives,
            narrative_url=narrative_url(slug, year),
            quotes=quotes,
            chosen=annual.chosen_quotes or [],
        )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            annual = services.get_or_create_report(access.network, year, actor=acting_user(request))
            services.save_narratives(annual, form.texts(), actor=acting_user(request), titles=form.titles())
            chosen = form.chosen_quotes()
            if chosen is not None:
                services.choose_quotes(annual, chosen, actor=acting_user(request))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The report was saved."))
            return redirect(_edit_url(slug, year))
    return _page(
        request,
        "edit.html",
        access,
        report=annual,
        year=year,
        content=content,
        facts=facts,
        form=form,
        items=_editor_items(form, chapters, narratives),
        has_quotes=bool(quotes),
        changes=_changes(annual, facts),
    )


def _status(request: HttpRequest, key: str, message: str, words: int | None) -> HttpResponse:
    return render(
        request,
        "reports/_narrative.html",
        {"dom_id": dom_id(key), "message": message, "words": words},
    )


@login_required
@require_POST
def save_narrative(request: HttpRequest, slug: str, year: int, section: str) -> HttpResponse:
    """Autosave of one section (htmx: answers the status text and the word count). Without htmx it saves and
    goes back to the editor."""
    access = report_access(request.user, slug, write=True)
    if not is_valid_key(section) or not services.section_exists(access.network, section):
        raise Http404
    annual = report_for_user(access, year)
    text = request.POST.get("text", request.POST.get(field_name(section), ""))
    htmx = request.headers.get("HX-Request") == "true"
    try:
        if annual.pk is None:
            annual = services.get_or_create_report(access.network, year, actor=acting_user(request))
        services.save_narrative(
            annual, section, text, actor=acting_user(request), title=_section_title(section)
        )
    except ValidationError as error:
        message = _("Not saved: %(error)s") % {"error": " ".join(error.messages)}
        if htmx:
            return _status(request, section, message, None)
        messages.error(request, message)
        return redirect(_edit_url(slug, year))
    saved = _("Saved at %(time)s") % {"time": timezone.localtime().strftime("%H.%M")}
    if htmx:
        return _status(request, section, saved, word_count(text))
    messages.success(request, saved)
    return redirect(f"{_edit_url(slug, year)}#{dom_id(section)}")


def _section_title(key: str) -> str:
    for section in SECTIONS:
        if section.key == key:
            return str(section.title)
    return _("Local chapter %(name)s") % {"name": key.removeprefix(CHAPTER_PREFIX)}


@login_required
@require_POST
def regenerate(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    access = report_access(request.user, slug, write=True)
    annual = report_for_user(access, year)
    try:
        if annual.pk is None:
            annual = services.get_or_create_report(access.network, year, actor=acting_user(request))
        services.regenerate(annual, actor=acting_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The facts were generated from the data as it is now."))
    return redirect(f"{_edit_url(slug, year)}#fn-report-changes")


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Publish a draft (a confirmation page on GET); for a published report, show or hide it publicly."""
    access = report_access(request.user, slug, write=True)
    annual = report_for_user(access, year)
    form = PublishForm(request.POST if request.method == "POST" else None, initial={"public": annual.public})
    if request.method == "POST" and form.is_valid():
        public = bool(form.cleaned_data["public"])
        try:
            if annual.is_published:
                services.set_public(annual, public, actor=acting_user(request))
                message = _("The report's visibility was saved.")
            else:
                if annual.pk is None:
                    annual = services.get_or_create_report(access.network, year, actor=acting_user(request))
                services.publish(annual, actor=acting_user(request), public=public)
                message = _("The report for %(year)s was published.") % {"year": year}
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, message)
            return redirect(reverse("reports:report", args=[slug, year]))
    return _page(request, "publish.html", access, report=annual, year=year, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def reopen(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    access = report_access(request.user, slug, write=True)
    annual = report_for_user(access, year)
    if not annual.is_published:
        raise Http404
    if request.method == "POST":
        services.reopen(annual, actor=acting_user(request))
        messages.success(request, _("The report for %(year)s is a draft again.") % {"year": year})
        return redirect(_edit_url(slug, year))
    return _page(request, "reopen.html", access, report=annual, year=year)
