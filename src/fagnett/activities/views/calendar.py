"""The network calendar (list and month view) and the activity pages: create, detail, edit.

Everyone with a role in the network sees the calendar and the activity pages (Need.ANY); creating needs
`can_create_activities`, editing `can_manage_activity` — anyone else gets 404, as everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from fagnett.accounts.current import acting_user
from fagnett.activities.access import activity_for_user, can_create_activities
from fagnett.activities.forms import ActivityForms, CalendarFilterForm, CalendarView
from fagnett.activities.queries import activity_page_facts, calendar_choices, calendar_facts, month_facts
from fagnett.activities.services import create_activity, update_activity
from fagnett.networks.access import Need, NetworkAccess, network_for_user

if TYPE_CHECKING:
    pass


def _page(request: HttpRequest, template: str, access: NetworkAccess, **context: Any) -> HttpResponse:
    return render(
        request,
        f"activities/{template}",
        {"access": access, "network": access.network, "nav": "activities", **context},
    )


@login_required
def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.ANY)
    today = timezone.localdate()
    filters_form = CalendarFilterForm(request.GET, choices=calendar_choices(access))
    filters = filters_form.filters()
    context: dict[str, Any] = {
        "filters_form": filters_form,
        "filters": filters,
        "view": filters_form.view,
        "today": today,
        "can_create": can_create_activities(access),
    }
    if filters_form.view == CalendarView.MONTH:
        month = month_facts(access, filters, month=filters_form.month(today), today=today)
        context["month"] = month
        # Django's own translated names: "man"/"mandag" in Norwegian.
        context["weekdays"] = [(WEEKDAYS_ABBR[day], WEEKDAYS[day]) for day in range(7)]
        context["previous_month"] = f"{month.previous_month:%Y-%m}"
        context["next_month"] = f"{month.next_month:%Y-%m}"
    else:
        start, end = filters_form.period(today)
        context["facts"] = calendar_facts(access, filters, start=start, end=end)
        context["upcoming"] = start == today and end is None
        # "Earlier activities" shows the year before today; the dates can be widened in the form.
        context["earlier_from"] = f"{today - dt.timedelta(days=365):%Y-%m-%d}"
        context["earlier_to"] = f"{today - dt.timedelta(days=1):%Y-%m-%d}"
    return _page(request, "calendar.html", access, **context)


@login_required
def activity_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.ANY)
    if not can_create_activities(access):
        raise Http404
    forms = ActivityForms(request.POST if request.method == "POST" else None, access=access)
    if request.method == "POST" and forms.is_valid():
        try:
            activity = create_activity(
                access.network,
                forms.activity_data(),
                actor=acting_user(request),
                programme=forms.programme_items(),
                literature=forms.literature_items(),
            )
        except ValidationError as error:
            forms.add_service_error(error)
        else:
            messages.success(request, _("%(title)s was created.") % {"title": activity.title})
            return redirect("activities:activity_detail", slug, activity.pk)
    return _page(request, "activity_form.html", access, forms=forms, form=forms.summary, activity=None)


@login_required
def activity_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.ANY)
    activity = activity_for_user(access, pk)
    facts = activity_page_facts(access, activity, timezone.localdate())
    return _page(request, "activity_detail.html", access, activity=activity, facts=facts)


@login_required
def activity_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.ANY)
    activity = activity_for_user(access, pk, manage=True)
    forms = ActivityForms(
        request.POST if request.method == "POST" else None, access=access, activity=activity
    )
    if request.method == "POST" and forms.is_valid():
        try:
            update_activity(
                activity,
                forms.activity_data(),
                actor=acting_user(request),
                programme=forms.programme_items(),
                literature=forms.literature_items(),
            )
        except ValidationError as error:
            forms.add_service_error(error)
        else:
            messages.success(request, _("%(title)s was saved.") % {"title": activity.title})
            return redirect("activities:activity_detail", slug, activity.pk)
    return _page(request, "activity_form.html", access, forms=forms, form=forms.summary, activity=activity)
