"""Job shadowing pages: the network's list with totals, and the form that registers or changes a placement.

Coordinators (Need.MANAGE): a network coordinator sees and changes every placement, a local-chapter
coordinator those of the persons in their chapters (activities.access.shadowing_for_user); everyone else gets
404. Reads come from activities.shadowing, writes go through its services.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fagnett.accounts.current import acting_user
from fagnett.activities.access import shadowing_for_user
from fagnett.activities.forms import DecimalCommaField
from fagnett.activities.models import Shadowing, ShadowingStatus
from fagnett.activities.shadowing import (
    SHADOWING_FIELDS,
    NewHost,
    ShadowingData,
    create_shadowing,
    days_error,
    shadowing_list,
    shadowing_years,
    span_error,
    update_shadowing,
)
from fagnett.networks.access import Need, NetworkAccess, network_for_user
from fagnett.networks.forms import PersonChoiceField, add_service_error, date_field
from fagnett.networks.models import Person, ServiceType, Workplace
from fagnett.places.models import Municipality

# Forms --------------------------------------------------------------------------------------------------


class HostChoiceField(forms.ModelChoiceField[Workplace]):
    def label_from_instance(self, obj: Workplace) -> str:
        return str(obj)  # "name (municipality)": two hosts may share a name


class MunicipalityChoiceField(forms.ModelChoiceField[Municipality]):
    def label_from_instance(self, obj: Municipality) -> str:
        return obj.display_name


class ShadowingForm(forms.Form):
    person = PersonChoiceField(
        label=gettext_lazy("Person"),
        queryset=Person.objects.none(),
        empty_label=gettext_lazy("Choose person"),
    )
    host = HostChoiceField(
        label=gettext_lazy("Host workplace"),
        queryset=Workplace.objects.none(),
        required=False,
        empty_label=gettext_lazy("A new host (fill in below)"),
        help_text=gettext_lazy("Where the person shadows. Not in the list? Add it below."),
    )
    new_host_name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    new_host_service_type = forms.ModelChoiceField(
        label=gettext_lazy("Service type"),
        queryset=ServiceType.objects.none(),
        required=False,
        empty_label=gettext_lazy("Choose service type"),
    )
    new_host_municipality = MunicipalityChoiceField(
        label=gettext_lazy("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=gettext_lazy("Choose municipality"),
        help_text=gettext_lazy("Where the host lies; it may be outside the network's area."),
    )
    starts_on = date_field(gettext_lazy("Start date"))
    ends_on = date_field(gettext_lazy("End date"))
    days = DecimalCommaField(
        label=gettext_lazy("Days"),
        error_messages={
            "invalid": gettext_lazy("Write the number of days as a number, for example 1 or 1,5.")
        },
    )
    goals = forms.CharField(
        label=gettext_lazy("Goals"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "What the person wants to learn, set from their own competence and workplace."
        ),
    )
    reflection = forms.CharField(
        label=gettext_lazy("Reflection note"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ShadowingStatus.choices)

    NEW_HOST_FIELDS = ("new_host_name", "new_host_service_type", "new_host_municipality")

    def __init__(
        self, access: NetworkAccess, *args: Any, instance: Shadowing | None = None, **kwargs: Any
    ) -> None:
        if instance is not None:
            kwargs.setdefault("initial", {name: getattr(instance, name) for name in SHADOWING_FIELDS})
        super().__init__(*args, **kwargs)
        network = access.network
        self.network = network
        persons = cast(forms.ModelChoiceField[Person], self.fields["person"])
        hosts = cast(forms.ModelChoiceField[Workplace], self.fields["host"])
        types = cast(forms.ModelChoiceField[ServiceType], self.fields["new_host_service_type"])
        municipalities = cast(forms.ModelChoiceField[Municipality], self.fields["new_host_municipality"])
        persons.queryset = access.editable_persons().order_by("last_name", "first_name", "pk")
        hosts.queryset = network.workplaces.select_related("municipality", "health_trust").order_by(
            "name", "pk"
        )
        types.queryset = ServiceType.objects.for_network(network).order_by("name")
        municipalities.queryset = Municipality.objects.order_by("display_name")
        self.fields["days"].help_text = _(
            "0.5 to 10; the competence plan recommends 1 to 3. Each day counts as %(hours)s hours of "
            "clinical supervision."
        ) % {"hours": floatformat(network.shadowing_hours_per_day, -2)}

    def clean_new_host_name(self) -> str:
        return " ".join(str(self.cleaned_data.get("new_host_name") or "").split())

    def clean_days(self) -> Decimal:
        days = cast(Decimal, self.cleaned_data["days"])
        message = days_error(days)
        if message:
            raise ValidationError(message)
        return days

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        host, name = cleaned.get("host"), cleaned.get("new_host_name")
        if host is None and not name:
            if "host" not in self.errors:
                self.add_error("host", _("Choose the host workplace, or add a new one below."))
        elif host is not None and name:
            self.add_error("new_host_name", _("Choose a host from the list or add a new one, not both."))
        elif host is None:
            if cleaned.get("new_host_service_type") is None:
                self.add_error("new_host_service_type", _("Choose the new host's service type."))
            if cleaned.get("new_host_municipality") is None:
                self.add_error("new_host_municipality", _("Choose the new host's municipality."))
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on is not None and ends_on is not None:
            found = span_error(starts_on, ends_on, cleaned.get("days"))
            if found is not None:
                self.add_error(found[0], found[1])
        return cleaned

    def new_host(self) -> NewHost | None:
        if self.cleaned_data.get("host") is not None:
            return None
        return NewHost(
            name=self.cleaned_data["new_host_name"],
            service_type=self.cleaned_data["new_host_service_type"],
            municipality=self.cleaned_data["new_host_municipality"],
        )

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in SHADOWING_FIELDS}


class ShadowingFilterForm(forms.Form):
    """The list's filters, from GET parameters with Norwegian names (`ar`, `status`)."""

    ar = forms.ChoiceField(label=gettext_lazy("Year"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, data: Any, *, years: list[int]) -> None:
        super().__init__(data)
        year_field = cast(forms.ChoiceField, self.fields["ar"])
        status_field = cast(forms.ChoiceField, self.fields["status"])
        year_field.choices = [("", _("All years")), *((str(year), str(year)) for year in years)]
        status_field.choices = [("", _("All")), *ShadowingStatus.choices]

    def chosen(self) -> tuple[int | None, str]:
        """(year, status); a value that is not among the choices (an old link) shows everything."""
        if not self.is_valid():
            return None, ""
        year = self.cleaned_data.get("ar") or ""
        return (int(year) if year else None), self.cleaned_data.get("status") or ""


# Views --------------------------------------------------------------------------------------------------


def _page(request: HttpRequest, template: str, access: NetworkAccess, **context: Any) -> HttpResponse:
    return render(
        request,
        f"activities/{template}",
        {"access": access, "network": access.network, "nav": "shadowing", **context},
    )


def _to_list(slug: str, shadowing: Shadowing) -> HttpResponseRedirect:
    # The list shows one year at a time: the year of the placement just saved.
    url = reverse("activities:shadowings", args=[slug])
    return HttpResponseRedirect(f"{url}?ar={shadowing.starts_on.year}")


@login_required
def shadowings(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.MANAGE)
    this_year = timezone.localdate().year
    data = request.GET.copy()
    # Without a choice the list shows this year; "All years" is an explicit empty choice.
    data.setdefault("ar", str(this_year))
    years = sorted({*shadowing_years(access), this_year}, reverse=True)
    filters = ShadowingFilterForm(data, years=years)
    year, status = filters.chosen()
    facts = shadowing_list(access, year=year, status=status)
    return _page(request, "shadowings.html", access, filters=filters, facts=facts, year=year)


@login_required
def shadowing_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.MANAGE)
    initial = {"status": ShadowingStatus.PLANNED, "person": request.GET.get("person") or None}
    form = ShadowingForm(access, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            shadowing = create_shadowing(
                access.network,
                ShadowingData(**form.values()),
                actor=acting_user(request),
                new_host=form.new_host(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The job shadowing of %(name)s was registered.") % {"name": shadowing.person}
            )
            return _to_list(slug, shadowing)
    return _page(request, "shadowing_form.html", access, form=form, shadowing=None)


@login_required
def shadowing_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.MANAGE)
    shadowing = shadowing_for_user(access, pk)
    form = ShadowingForm(access, request.POST or None, instance=shadowing)
    if request.method == "POST" and form.is_valid():
        changes = form.values()
        new_host = form.new_host()
        if new_host is not None:
            changes.pop("host")
        try:
            update_shadowing(shadowing, changes, actor=acting_user(request), new_host=new_host)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The job shadowing of %(name)s was saved.") % {"name": shadowing.person}
            )
            return _to_list(slug, shadowing)
    return _page(request, "shadowing_form.html", access, form=form, shadowing=shadowing)
