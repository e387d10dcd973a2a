"""Goals (seed 001): main goal → sub-goals → lettered actions, and per year "Delmål oppnådd?".

- goals, goals_export: readers and coordinators (plans_access);
- everything that changes goals: the network coordinator (plans_access(..., write=True)); 404 for everyone
  else, as for a missing goal.

Views parse, fetch through plans.access, call plans.goal_services and render.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fagnett.accounts.current import acting_user
from fagnett.activities.certificates import render_pdf
from fagnett.core.years import FIRST_YEAR, LAST_YEAR, year_param
from fagnett.lib.tabular import XLSX_TYPE, to_xlsx
from fagnett.networks.access import NetworkAccess
from fagnett.networks.forms import add_service_error
from fagnett.plans import goal_services as services
from fagnett.plans.access import owned, plans_access
from fagnett.plans.goal_forms import ActionForm, AssessmentForm, MainGoalForm, SubGoalForm
from fagnett.plans.goal_queries import GoalTree, assessment_count, goal_tree, goal_trees, other_goals
from fagnett.plans.models import GoalAction, MainGoal, SubGoal

if TYPE_CHECKING:
    pass

PDF_TYPE = "application/pdf"


def _page(request: HttpRequest, template: str, access: NetworkAccess, **context: Any) -> HttpResponse:
    return render(
        request,
        f"plans/goals/{template}",
        {"access": access, "network": access.network, "nav": "plans", **context},
    )


def _year(request: HttpRequest) -> int:
    return year_param(request.GET.get("aar"))


def _back(request: HttpRequest, slug: str, message: str, year: int | None = None) -> HttpResponse:
    messages.success(request, message)
    return redirect(f"{reverse('plans:goals', args=[slug])}?aar={year or _year(request)}")


def _year_of_goal(request: HttpRequest, goal: MainGoal) -> int:
    """The year to go back to: the one asked for, unless the goal does not apply then."""
    year = _year(request)
    if goal.start_year is not None and year < goal.start_year:
        return goal.start_year
    if goal.end_year is not None and year > goal.end_year:
        return goal.end_year
    return year


# The page -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def goals(request: HttpRequest, slug: str) -> HttpResponse:
    access = plans_access(request.user, slug)
    year = _year(request)
    return _page(
        request,
        "goals.html",
        access,
        year=year,
        trees=goal_trees(access.network, year),
        others=other_goals(access.network, year),
        can_edit=access.is_coordinator,
    )


# Main goals -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def main_goal_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    form = MainGoalForm.for_goal(request.POST or None, None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.create_main_goal(access.network, form.to_data(), actor=acting_user(request))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _back(request, slug, _("The main goal was added."), _year_of_goal(request, goal))
    return _page(request, "main_goal_form.html", access, form=form, goal=None, year=_year(request))


@login_required
@require_http_methods(["GET", "POST"])
def main_goal_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    goal = owned(MainGoal.objects.all(), access, pk)
    form = MainGoalForm.for_goal(request.POST or None, goal)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_main_goal(goal, form.to_data(), actor=acting_user(request))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _back(request, slug, _("The main goal was saved."), _year_of_goal(request, goal))
    return _page(request, "main_goal_form.html", access, form=form, goal=goal, year=_year(request))


@login_required
@require_http_methods(["GET", "POST"])
def main_goal_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    goal = owned(MainGoal.objects.all(), access, pk)
    if request.method == "POST":
        services.delete_main_goal(goal, actor=acting_user(request))
        return _back(request, slug, _("The main goal was deleted."))
    return _page(
        request,
        "delete.html",
        access,
        kind="main_goal",
        name=goal.text,
        year=_year(request),
        sub_goals=goal.sub_goals.count(),
        actions=GoalAction.objects.filter(sub_goal__main_goal=goal).count(),
        assessments=assessment_count(main_goal=goal),
    )


# Sub-goals ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sub_goal_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    goal = owned(MainGoal.objects.all(), access, pk)
    form = SubGoalForm.for_sub_goal(request.POST or None, None)
    if request.method == "POST" and form.is_valid():
        try:
            sub_goal = services.create_sub_goal(goal, form.to_data(), actor=acting_user(request))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            message = _("Sub-goal %(label)s was added.") % {"label": sub_goal.label}
            return _back(request, slug, message, _year_of_goal(request, goal))
    return _page(
        request, "sub_goal_form.html", access, form=form, goal=goal, sub_goal=None, year=_year(request)
    )


@login_required
@require_http_methods(["GET", "POST"])
def sub_goal_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    sub_goal = owned(SubGoal.objects.select_related("main_goal"), access, pk)
    form = SubGoalForm.for_sub_goal(request.POST or None, sub_goal)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_sub_goal(sub_goal, form.to_data(), actor=acting_user(request))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            message = _("Sub-goal %(label)s was saved.") % {"label": sub_goal.label}
            return _back(request, slug, message, _year_of_goal(request, sub_goal.main_goal))
    return _page(
        request,
        "sub_goal_form.html",
        access,
        form=form,
        goal=sub_goal.main_goal,
        sub_goal=sub_goal,
        year=_year(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def sub_goal_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    sub_goal = owned(SubGoal.objects.select_related("main_goal"), access, pk)
    if request.method == "POST":
        label = sub_goal.label
        services.delete_sub_goal(sub_goal, actor=acting_user(request))
        return _back(request, slug, _("Sub-goal %(label)s was deleted.") % {"label": label})
    return _page(
        request,
        "delete.html",
        access,
        kind="sub_goal",
        name=f"{sub_goal.label} {sub_goal.description}",
        year=_year(request),
        actions=sub_goal.actions.count(),
        assessments=assessment_count(sub_goal=sub_goal),
    )


# Actions --------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    sub_goal = owned(SubGoal.objects.select_related("main_goal"), access, pk)
    form = ActionForm.for_action(request.POST or None, None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_action(sub_goal, form.to_data(), actor=acting_user(request))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            message = _("The action was added to sub-goal %(label)s.") % {"label": sub_goal.label}
            return _back(request, slug, message, _year_of_goal(request, sub_goal.main_goal))
    return _page(
        request, "action_form.html", access, form=form, sub_goal=sub_goal, action=None, year=_year(request)
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    action = owned(GoalAction.objects.select_related("sub_goal__main_goal"), access, pk)
    form = ActionForm.for_action(request.POST or None, action)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action(action, form.to_data(), actor=acting_user(request))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _back(
                request, slug, _("The action was saved."), _year_of_goal(request, action.sub_goal.main_goal)
            )
    return _page(
        request,
        "action_form.html",
        access,
        form=form,
        sub_goal=action.sub_goal,
        action=action,
        year=_year(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    action = owned(GoalAction.objects.select_related("sub_goal__main_goal"), access, pk)
    if request.method == "POST":
        services.delete_action(action, actor=acting_user(request))
        return _back(request, slug, _("The action was deleted."))
    return _page(request, "delete.html", access, kind="action", name=action.text, year=_year(request))


# Assessments ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, slug: str, pk: int, year: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    goal = owned(MainGoal.objects.all(), access, pk)
    tree = goal_tree(goal, year)
    form = AssessmentForm(request.POST or None, tree=tree, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_assessments(goal, year, form.entries(), actor=acting_user(request))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _back(request, slug, _("The assessments for %(year)s were saved.") % {"year": year}, year)
    return _page(request, "assessment_form.html", access, form=form, tree=tree, year=year)


# Exports --------------------------------------------------------------------------------------------------


def results_rows(tree: GoalTree, year: int) -> list[list[str | int | None]]:
    """The results table as rows: the main goal as a title row, the header, one row per sub-goal."""
    rows: list[list[str | int | None]] = [
        [_("Main goal: %(goal)s") % {"goal": tree.text}],
        [
            _("Sub-goal"),
            _("Description"),
            _("Measures"),
            _("Sub-goal achieved in %(year)s?") % {"year": year},
            _("Comment"),
        ],
    ]
    for sub_goal in tree.sub_goals:
        rows.append(
            [
                sub_goal.label,
                sub_goal.description,
                "\n".join(
                    action_line(action.letter, action.text, action.new_in_year) for action in sub_goal.actions
                ),
                sub_goal.achievement_label or _("Not assessed"),
                sub_goal.narrative,
            ]
        )
    return rows


def action_line(letter: str, text: str, new_in_year: int | None) -> str:
    if new_in_year is None:
        return f"{letter}. {text}"
    return f"{letter}. {text} " + _("(new action in %(year)s)") % {"year": new_in_year}


@login_required
@require_GET
def goals_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    access = plans_access(request.user, slug)
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    goal = owned(MainGoal.objects.all(), access, pk)
    year = _year(request)
    tree = goal_tree(goal, year)
    if fmt == "xlsx":
        content = to_xlsx(results_rows(tree, year), title=_("Goals %(year)s") % {"year": year})
        content_type = XLSX_TYPE
    else:
        content = render_pdf(
            "plans/goals/goals_print.html",
            {"network": access.network, "tree": tree, "year": year},
            language=translation.get_language() or "nb",
        )
        content_type = PDF_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="maal-{goal.pk}-{year}.{fmt}"'
    return response
