"""Results of an evaluation: the page, its PDF, the raw exports, and one question compared across activities.

The page, PDF and comparison are aggregates (Need.AGGREGATES: coordinators, chapter coordinators, readers),
suppressed below the form's smallest number of responses. The raw exports hold one row per response, so only
those who manage the activity may take them. Reads come from evaluations.results, files from
evaluations.exports.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from fagnett.accounts.current import acting_user
from fagnett.activities.access import can_manage_activity
from fagnett.activities.models import ActivityKind
from fagnett.audit.services import log_action
from fagnett.evaluations import exports
from fagnett.evaluations.charts import comparison_chart, question_displays
from fagnett.evaluations.results import (
    ComparisonChoices,
    comparison,
    comparison_choices,
    evaluation_in_network,
    evaluation_results,
    raw_responses,
)
from fagnett.networks.access import Need, NetworkAccess, network_for_user


def _context(access: NetworkAccess, **extra: Any) -> dict[str, Any]:
    return {"access": access, "network": access.network, "nav": "evaluations", **extra}


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Answers (and on a non-anonymous form, names): no shared cache may keep them.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def results(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.AGGREGATES)
    evaluation = evaluation_in_network(access.network, pk)
    facts = evaluation_results(evaluation)
    return render(
        request,
        "evaluations/results.html",
        _context(
            access,
            facts=facts,
            questions=question_displays(facts),
            can_export=can_manage_activity(access, evaluation.activity),
        ),
    )


@login_required
@require_GET
def results_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.AGGREGATES)
    evaluation = evaluation_in_network(access.network, pk)
    facts = evaluation_results(evaluation)
    pdf = exports.results_pdf(facts)
    filename = exports.file_name(
        facts.activity_title, facts.activity_starts_on, "pdf", str(facts.activity_pk)
    )
    return _attachment(pdf, exports.PDF_TYPE, filename)


@login_required
@require_GET
def export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    if fmt not in exports.RAW_EXPORTERS:
        raise Http404
    access = network_for_user(request.user, slug, Need.MANAGE)
    evaluation = evaluation_in_network(access.network, pk)
    if not can_manage_activity(access, evaluation.activity):
        raise Http404
    raw = raw_responses(evaluation)
    if raw.suppressed:
        messages.error(
            request,
            _(
                "The responses cannot be exported: there are fewer than %(minimum)s, so a respondent "
                "could be recognised."
            )
            % {"minimum": raw.min_responses_shown},
        )
        return redirect(reverse("evaluations:results", args=[access.network.slug, evaluation.pk]))
    render_file, content_type = exports.RAW_EXPORTERS[fmt]
    # The answers leave the system (with names on a non-anonymous form): who took how many is recorded.
    log_action(
        "evaluation.exported",
        actor=acting_user(request),
        target=evaluation,
        network=access.network,
        data={"rows": len(raw.rows), "format": fmt},
    )
    filename = exports.file_name(raw.activity_title, raw.activity_starts_on, fmt, str(evaluation.activity_id))
    return _attachment(render_file(raw), content_type, filename)


class CompareForm(forms.Form):
    # Short Norwegian parameter names: the address of a comparison is shared between coordinators.
    sporsmal = forms.ChoiceField(label=gettext_lazy("Question"))
    aar = forms.TypedChoiceField(label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None)
    type = forms.ChoiceField(label=gettext_lazy("Kind of activity"), required=False)

    def __init__(self, *args: Any, choices: ComparisonChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = ("", _("All"))
        questions = [("", _("Choose a question")), *((text, text) for text in choices.questions)]
        cast(forms.ChoiceField, self.fields["sporsmal"]).choices = questions
        years = [every, *((str(year), str(year)) for year in choices.years)]
        cast(forms.ChoiceField, self.fields["aar"]).choices = years
        cast(forms.ChoiceField, self.fields["type"]).choices = [every, *ActivityKind.choices]


@login_required
@require_GET
def compare(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.AGGREGATES)
    choices = comparison_choices(access.network)
    form = CompareForm(request.GET or None, choices=choices)
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        result = comparison(access.network, data["sporsmal"], year=data["aar"], kind=data["type"])
    return render(
        request,
        "evaluations/compare.html",
        _context(
            access,
            form=form,
            choices=choices,
            result=result,
            chart=comparison_chart(result) if result is not None else None,
        ),
    )
