"""Forms for partner networks and learning resources. They check types only; the rules are checked by
`plans.partner_services`, whose errors the views show at the field they name."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Field as DjangoField
from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fagnett.activities.models import Activity
from fagnett.competence.models import Requirement
from fagnett.competence.queries import describe_requirement
from fagnett.core.years import FIRST_YEAR, LAST_YEAR
from fagnett.networks.models import Network
from fagnett.plans.models import LearningResource, Partner, ResourceKind
from fagnett.plans.partner_services import PartnerData, ResourceData

_YEAR_ERROR = _("Write a year with four digits, for example 2024.")
_LINK_ERROR = _("The link must be a web address that starts with http:// or https://.")


def _label(model: type[Model], name: str) -> StrOrPromise:
    field = model._meta.get_field(name)
    if not isinstance(field, DjangoField):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return capfirst(field.verbose_name)


def _year_field(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=help_text,
        error_messages={"invalid": _YEAR_ERROR, "min_value": _YEAR_ERROR, "max_value": _YEAR_ERROR},
    )


def _link_field(label: StrOrPromise) -> forms.URLField:
    return forms.URLField(
        label=label,
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("A web address starting with https://."),
        error_messages={"invalid": _LINK_ERROR},
    )


# Partners ------------------------------------------------------------------------------------------------


class NetworkChoiceField(forms.ModelChoiceField[Network]):
    def label_from_instance(self, obj: Network) -> str:
        return obj.name


class PartnerForm(forms.Form):
    name = forms.CharField(
        label=_label(Partner, "name"),
        max_length=200,
        error_messages={"required": _("Write the name of the partner network.")},
    )
    organisation = forms.CharField(label=_label(Partner, "organisation"), max_length=200, required=False)
    link = _link_field(_label(Partner, "link"))
    collaboration = forms.CharField(
        label=_label(Partner, "collaboration"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example joint study days, shared teaching material or meetings."),
    )
    since_year = _year_field(_label(Partner, "since_year"), _("The year the collaboration began."))
    until_year = _year_field(_label(Partner, "until_year"), _("Empty while the collaboration goes on."))
    partner_network = NetworkChoiceField(
        label=_label(Partner, "partner_network"),
        queryset=Network.objects.none(),
        required=False,
        empty_label=_("Not a network in Fagnett"),
        help_text=_("When the partner is itself a network in Fagnett."),
        error_messages={"invalid_choice": _("Choose a network from the list.")},
    )

    def __init__(self, data: Any = None, *, network: Network, partner: Partner | None = None) -> None:
        initial: dict[str, Any] = {}
        if partner is not None:
            initial = {
                "name": partner.name,
                "organisation": partner.organisation,
                "link": partner.link,
                "collaboration": partner.collaboration,
                "since_year": partner.since_year,
                "until_year": partner.until_year,
                "partner_network": partner.partner_network_id,
            }
        super().__init__(data, initial=initial)
        choice = cast(NetworkChoiceField, self.fields["partner_network"])
        choice.queryset = Network.objects.exclude(pk=network.pk).order_by("name")

    def partner_data(self) -> PartnerData:
        data = self.cleaned_data
        return PartnerData(
            name=data["name"],
            organisation=data.get("organisation") or "",
            link=data.get("link") or "",
            collaboration=data.get("collaboration") or "",
            since_year=data.get("since_year"),
            until_year=data.get("until_year"),
            partner_network=data.get("partner_network"),
        )


# Learning resources --------------------------------------------------------------------------------------


class ActivityChoiceField(forms.ModelMultipleChoiceField[Activity]):
    def label_from_instance(self, obj: Activity) -> str:
        return f"{obj.title} ({obj.starts_on:%d.%m.%Y})"


class RequirementChoiceField(forms.ModelMultipleChoiceField[Requirement]):
    def label_from_instance(self, obj: Requirement) -> str:
        # Several versions of the plan may hold a requirement of the same name: the version tells them apart.
        return f"{obj.name} – {describe_requirement(obj)} ({obj.plan})"


class ResourceForm(forms.Form):
    title = forms.CharField(
        label=_label(LearningResource, "title"),
        max_length=300,
        error_messages={"required": _("Write the title of the learning resource.")},
    )
    kind = forms.ChoiceField(
        label=_label(LearningResource, "kind"),
        choices=[("", _("Choose a kind")), *ResourceKind.choices],
        error_messages={
            "required": _("Choose what kind of learning resource it is."),
            "invalid_choice": _("Choose what kind of learning resource it is."),
        },
    )
    author = forms.CharField(label=_label(LearningResource, "author"), max_length=300, required=False)
    year = _year_field(_label(LearningResource, "year"), _("The year it was published."))
    link = _link_field(_label(LearningResource, "link"))
    description = forms.CharField(
        label=_label(LearningResource, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What it is about and who it is for."),
    )
    activities = ActivityChoiceField(
        label=_("Linked activities"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The resource is shown on the page of each activity chosen here."),
        error_messages={"invalid_choice": _("Choose activities from the list.")},
    )
    requirements = RequirementChoiceField(
        label=_("Linked competence-plan requirements"),
        queryset=Requirement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The resource is shown beside each requirement chosen here in the competence plan."),
        error_messages={"invalid_choice": _("Choose requirements from the list.")},
    )

    def __init__(
        self, data: Any = None, *, network: Network, resource: LearningResource | None = None
    ) -> None:
        initial: dict[str, Any] = {}
        if resource is not None:
            initial = {
                "title": resource.title,
                "kind": resource.kind,
                "author": resource.author,
                "year": resource.year,
                "link": resource.link,
                "description": resource.description,
                "activities": [activity.pk for activity in resource.activities.all()],
                "requirements": [requirement.pk for requirement in resource.requirements.all()],
            }
        super().__init__(data, initial=initial)
        activities = cast(ActivityChoiceField, self.fields["activities"])
        activities.queryset = Activity.objects.filter(network=network).order_by("-starts_on", "title")
        requirements = cast(RequirementChoiceField, self.fields["requirements"])
        requirements.queryset = (
            Requirement.objects.filter(plan__network=network)
            .select_related("plan")
            .order_by("-plan__valid_from", "position", "code")
        )

    def resource_data(self) -> ResourceData:
        data = self.cleaned_data
        return ResourceData(
            title=data["title"],
            kind=data["kind"],
            author=data.get("author") or "",
            year=data.get("year"),
            link=data.get("link") or "",
            description=data.get("description") or "",
            activities=list(data.get("activities") or []),
            requirements=list(data.get("requirements") or []),
        )


class ResourceFilterForm(forms.Form):
    """The list's choice of kind (GET ?type=)."""

    type = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("All kinds")), *ResourceKind.choices],
    )

    def kind(self) -> str | None:
        if self.is_valid():
            return self.cleaned_data.get("type") or None
        return None
