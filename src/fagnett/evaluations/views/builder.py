"""The form builder: a network's evaluation forms and templates, their sections and questions.

- forms, form_detail: network and chapter coordinators (Need.MANAGE; chapter coordinators pick forms to
  attach to their activities), read-only for chapter coordinators;
- everything that changes a form (create, copy, edit, delete, sections, questions): network coordinators
  (Need.COORDINATE); 404 for everyone else, as for a missing form.

Views parse, fetch through the access helpers, call one service in evaluations.services and render.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fagnett.accounts.current import acting_user
from fagnett.evaluations import services
from fagnett.evaluations.builder_queries import (
    form_for_user,
    form_preview,
    form_rows,
    question_for_user,
    section_for_user,
)
from fagnett.evaluations.forms import FormCreateForm, FormSettingsForm, QuestionForm, SectionForm
from fagnett.evaluations.models import EvaluationForm
from fagnett.networks.access import Need, NetworkAccess, network_for_user
from fagnett.networks.forms import add_service_error

if TYPE_CHECKING:
    pass


def _page(request: HttpRequest, template: str, access: NetworkAccess, **context: Any) -> HttpResponse:
    return render(
        request,
        f"evaluations/{template}",
        {"access": access, "network": access.network, "nav": "evaluations", **context},
    )


@contextmanager
def _errors_shown_on(form: django_forms.Form) -> Iterator[None]:
    """Around a service call: a ValidationError it raises is shown at the field it names, and the view goes
    on after the `with` block to show the form again."""
    try:
        yield
    except ValidationError as error:
        add_service_error(form, error)


def _to_form(request: HttpRequest, slug: str, form_pk: int, message: str) -> HttpResponse:
    """After a change: say what happened, on the form's page."""
    messages.success(request, message)
    return redirect("evaluations:form_detail", slug, form_pk)


def _source_param(request: HttpRequest) -> str:
    value = request.GET.get("fra", "")
    return value if value.isdigit() else ""


# Forms ----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def forms(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.MANAGE)
    return _page(request, "forms.html", access, rows=form_rows(access), can_edit=access.is_coordinator)


@login_required
@require_http_methods(["GET", "POST"])
def form_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    network_forms = EvaluationForm.objects.filter(network=access.network).order_by("title", "pk")
    form = FormCreateForm(
        request.POST or None, forms_in_network=network_forms, initial_source=_source_param(request)
    )
    if request.method == "POST" and form.is_valid():
        source = form.source()
        title = form.cleaned_data["title"]
        with _errors_shown_on(form):
            if source is None:
                created = services.create_form(
                    access.network, services.FormData(title=title), actor=acting_user(request)
                )
            else:
                created = services.copy_form(source, actor=acting_user(request), title=title)
            return _to_form(request, slug, created.pk, _("%(title)s was created.") % {"title": created.title})
    return _page(request, "form_create.html", access, form=form)


@login_required
@require_GET
def form_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The form as respondents see it (read-only), with edit links for network coordinators."""
    access = network_for_user(request.user, slug, Need.MANAGE)
    evaluation_form = form_for_user(access, pk)
    return _page(
        request,
        "form_detail.html",
        access,
        evaluation_form=evaluation_form,
        preview=form_preview(evaluation_form),
        can_edit=access.is_coordinator,
    )


@login_required
@require_http_methods(["GET", "POST"])
def form_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    evaluation_form = form_for_user(access, pk)
    title = evaluation_form.title
    form = FormSettingsForm.for_form(request.POST or None, evaluation_form)
    if request.method == "POST" and form.is_valid():
        with _errors_shown_on(form):
            services.update_form(evaluation_form, form.to_data(), actor=acting_user(request))
            message = _("%(title)s was saved.") % {"title": evaluation_form.title}
            return _to_form(request, slug, evaluation_form.pk, message)
    return _page(
        request,
        "form_edit.html",
        access,
        form=form,
        evaluation_form=evaluation_form,
        title=title,
        has_responses=services.form_has_responses(evaluation_form),
    )


@login_required
@require_POST
def form_copy(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    source = form_for_user(access, pk)
    copy = services.copy_form(source, actor=acting_user(request))
    return _to_form(request, slug, copy.pk, _("%(title)s was created.") % {"title": copy.title})


@login_required
@require_http_methods(["GET", "POST"])
def form_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A confirmation page; the POST deletes, or says why it may not."""
    access = network_for_user(request.user, slug, Need.COORDINATE)
    evaluation_form = form_for_user(access, pk)
    check = services.check_delete_form(evaluation_form)
    if request.method == "POST" and not check.refusal:
        title = evaluation_form.title
        try:
            services.delete_form(evaluation_form, actor=acting_user(request))
        except ValidationError as error:
            check.refusal = " ".join(error.messages)
        else:
            messages.success(request, _("%(title)s was deleted.") % {"title": title})
            return redirect("evaluations:forms", slug)
    return _page(request, "form_delete.html", access, evaluation_form=evaluation_form, check=check)


# Sections -------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def section_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    evaluation_form = form_for_user(access, pk)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with _errors_shown_on(form):
            section = services.create_section(evaluation_form, form.to_data(), actor=acting_user(request))
            message = _("The section %(title)s was added.") % {"title": section.title}
            return _to_form(request, slug, evaluation_form.pk, message)
    return _page(
        request, "section_form.html", access, form=form, evaluation_form=evaluation_form, section=None
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    section = section_for_user(access, pk)
    title = section.title
    form = SectionForm.for_section(request.POST or None, section)
    if request.method == "POST" and form.is_valid():
        with _errors_shown_on(form):
            services.update_section(section, form.to_data(), actor=acting_user(request))
            message = _("The section %(title)s was saved.") % {"title": section.title}
            return _to_form(request, slug, section.form_id, message)
    return _page(
        request,
        "section_form.html",
        access,
        form=form,
        evaluation_form=section.form,
        section=section,
        title=title,
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    section = section_for_user(access, pk)
    if request.method == "POST":
        form_pk, title = section.form_id, section.title
        services.delete_section(section, actor=acting_user(request))
        return _to_form(request, slug, form_pk, _("The section %(title)s was deleted.") % {"title": title})
    return _page(
        request,
        "section_delete.html",
        access,
        section=section,
        evaluation_form=section.form,
        question_count=section.questions.count(),
    )


# Questions ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    evaluation_form = form_for_user(access, pk)
    form = QuestionForm(request.POST or None, form=evaluation_form)
    if request.method == "GET" and request.GET.get("seksjon", "").isdigit() and "section" in form.fields:
        form.initial["section"] = int(request.GET["seksjon"])
    if request.method == "POST" and form.is_valid():
        with _errors_shown_on(form):
            services.create_question(evaluation_form, form.to_data(), actor=acting_user(request))
            return _to_form(request, slug, evaluation_form.pk, _("The question was added."))
    return _page(
        request,
        "question_form.html",
        access,
        form=form,
        evaluation_form=evaluation_form,
        question=None,
        answered=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    question = question_for_user(access, pk)
    evaluation_form = question.form
    text = question.text
    form = QuestionForm(request.POST or None, form=evaluation_form, question=question)
    if request.method == "POST" and form.is_valid():
        with _errors_shown_on(form):
            services.update_question(question, form.to_data(), actor=acting_user(request))
            return _to_form(request, slug, evaluation_form.pk, _("The question was saved."))
    return _page(
        request,
        "question_form.html",
        access,
        form=form,
        evaluation_form=evaluation_form,
        question=question,
        text=text,
        answered=services.question_has_answers(question),
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    question = question_for_user(access, pk)
    refusal = services.question_delete_refusal(question)
    if request.method == "POST" and not refusal:
        form_pk = question.form_id
        try:
            services.delete_question(question, actor=acting_user(request))
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            return _to_form(request, slug, form_pk, _("The question was deleted."))
    return _page(
        request,
        "question_delete.html",
        access,
        question=question,
        evaluation_form=question.form,
        refusal=refusal,
    )
