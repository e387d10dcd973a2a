"""Forms for the organisation pages. They parse and check input; the writes happen in
`networks.organisation_services`, whose `ValidationError`s are put back on the form with `add_service_errors`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fagnett.networks.models import (
    CoverageScope,
    GroupKind,
    LocalChapter,
    Network,
    Person,
    ServiceType,
    Workplace,
    validate_organisation_number,
)
from fagnett.networks.organisation_queries import (
    CountyChoices,
    chapters_outside_area,
    municipalities_by_county,
)
from fagnett.networks.organisation_services import EARLIEST_YEAR, workplace_place_errors
from fagnett.places.models import HealthTrust, Municipality


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's errors on the fields they name, or above the form for fields it does not have."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class _MunicipalityChoice(forms.ModelChoiceField[Municipality]):
    def label_from_instance(self, obj: Municipality) -> str:
        return obj.display_name


class _MunicipalityChoices(forms.ModelMultipleChoiceField[Municipality]):
    def label_from_instance(self, obj: Municipality) -> str:
        return obj.display_name


def _area(network: Network) -> QuerySet[Municipality]:
    return Municipality.objects.filter(networks=network).order_by("display_name")


class WorkplaceFilterForm(forms.Form):
    """The filters above the workplaces table (GET)."""

    service_type = forms.ModelChoiceField(
        label=_("Service type"), queryset=ServiceType.objects.none(), required=False, empty_label=_("All")
    )
    municipality = _MunicipalityChoice(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, network: Network, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = ServiceType.objects.for_network(network)  # type: ignore[attr-defined]
        self.fields["municipality"].queryset = _area(network)  # type: ignore[attr-defined]


class WorkplaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    service_type = forms.ModelChoiceField(
        label=_("Service type"), queryset=ServiceType.objects.none(), empty_label=_("Choose service type")
    )
    municipality = _MunicipalityChoice(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("Required for every workplace except hospital units."),
    )
    health_trust = forms.ModelChoiceField(
        label=_("Health trust"),
        queryset=HealthTrust.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("Required for hospital units."),
    )
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        max_length=11,  # nine digits, with the spaces people often write ("974 743 179")
        required=False,
        help_text=_("Nine digits, from the Central Coordinating Register for Legal Entities."),
    )
    in_scope = forms.BooleanField(
        label=_("In the coverage check"),
        required=False,
        help_text=_("Only for hospital units: the unit must have at least one resource person."),
    )

    def __init__(
        self, network: Network, *args: Any, instance: Workplace | None = None, **kwargs: Any
    ) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": instance.name,
                    "service_type": instance.service_type_id,
                    "municipality": instance.municipality_id,
                    "health_trust": instance.health_trust_id,
                    "organisation_number": instance.organisation_number,
                    "in_scope": instance.in_scope,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = ServiceType.objects.for_network(network)  # type: ignore[attr-defined]
        municipalities = _area(network)
        if instance is not None and instance.municipality_id is not None:
            # A workplace keeps its municipality even after the area shrank, so that editing its name does
            # not force the coordinator to move it.
            municipalities = Municipality.objects.filter(
                pk__in=[*municipalities.values_list("pk", flat=True), instance.municipality_id]
            ).order_by("display_name")
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        self.fields["health_trust"].queryset = HealthTrust.objects.order_by("name")  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        return str(self.cleaned_data["name"]).strip()

    def clean_organisation_number(self) -> str:
        number = "".join(str(self.cleaned_data["organisation_number"]).split())
        if number:
            validate_organisation_number(number)
        return number

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        errors = workplace_place_errors(
            cleaned.get("service_type"),
            cleaned.get("municipality"),
            cleaned.get("health_trust"),
            bool(cleaned.get("in_scope")),
        )
        for name, message in errors.items():
            self.add_error(name, message)
        return cleaned


class GroupForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of group"), choices=GroupKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    mandate = forms.CharField(
        label=_("Mandate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the group is responsible for, as the annual report describes it."),
    )
    meetings_per_year = forms.IntegerField(
        label=_("Meetings per year"), required=False, min_value=0, max_value=366
    )


class GroupMemberForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person in the roster"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Not in the roster"),
        help_text=_("Leave name and workplace empty to use the person's from the roster."),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    workplace = forms.CharField(label=_("Workplace"), max_length=300, required=False)
    function = forms.CharField(
        label=_("Function in the group"),
        max_length=200,
        required=False,
        help_text=_("For example leader, secretary or member."),
    )

    def __init__(self, network: Network, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(network=network).order_by("last_name", "first_name", "pk")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not str(cleaned.get("name", "")).strip() and cleaned.get("person") is None:
            self.add_error("name", _("Enter the member's name or choose a person from the roster."))
        return cleaned


class ChapterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name (in addresses)"),
        max_length=80,
        required=False,
        help_text=_("Letters a–z, digits and hyphens. Made from the name when left empty."),
    )
    municipalities = _MunicipalityChoices(
        label=_("Municipalities"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ds-input"}),
        help_text=_("Only municipalities in the network's area can be chosen."),
    )

    def __init__(
        self, network: Network, *args: Any, instance: LocalChapter | None = None, **kwargs: Any
    ) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": instance.name,
                    "slug": instance.slug,
                    "municipalities": list(instance.municipalities.values_list("pk", flat=True)),
                },
            )
        super().__init__(*args, **kwargs)
        choices = Municipality.objects.filter(networks=network)
        if instance is not None:
            # Show (checked) what the chapter covers even when the network's area no longer includes it, so
            # the coordinator sees why saving is refused and can uncheck it.
            choices = Municipality.objects.filter(
                pk__in=[
                    *choices.values_list("pk", flat=True),
                    *instance.municipalities.values_list("pk", flat=True),
                ]
            )
        self.fields["municipalities"].queryset = choices.order_by("display_name")  # type: ignore[attr-defined]


class NetworkProfileForm(forms.Form):
    name = forms.CharField(label=_("Name of the network"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    established_year = forms.IntegerField(
        label=_("Year established"), required=False, min_value=EARLIEST_YEAR
    )
    initiative = forms.CharField(label=_("Established on whose initiative"), max_length=300, required=False)
    anchoring = forms.CharField(
        label=_("Anchoring agreement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the network is anchored, for example a cooperation agreement."),
    )
    anchoring_reference = forms.CharField(
        label=_("Reference to the anchoring agreement"), max_length=300, required=False
    )
    owner_organisation = forms.CharField(label=_("Owner organisation"), max_length=300, required=False)

    def clean_established_year(self) -> int | None:
        year: int | None = self.cleaned_data["established_year"]
        this_year = timezone.localdate().year
        if year is not None and year > this_year:
            raise ValidationError(
                _("Enter a year between %(first)s and %(last)s."),
                params={"first": EARLIEST_YEAR, "last": this_year},
            )
        return year

    @classmethod
    def for_network(cls, network: Network, *args: Any, **kwargs: Any) -> NetworkProfileForm:
        kwargs.setdefault("initial", {name: getattr(network, name) for name in cls.base_fields})
        return cls(*args, **kwargs)


class AreaForm(forms.Form):
    municipalities = _MunicipalityChoices(
        label=_("Municipalities in the area"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ds-input"}),
    )

    def __init__(self, network: Network, *args: Any, **kwargs: Any) -> None:
        self.network = network
        kwargs.setdefault(
            "initial", {"municipalities": list(network.municipalities.values_list("pk", flat=True))}
        )
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.select_related(  # type: ignore[attr-defined]
            "county"
        ).order_by("county__number", "display_name")

    def counties(self) -> list[CountyChoices]:
        """The checkboxes grouped by county, checked as submitted (or as stored)."""
        field = self["municipalities"]
        selected = {int(value) for value in field.value() or [] if str(value).isdigit()}
        queryset: QuerySet[Municipality] = self.fields["municipalities"].queryset  # type: ignore[attr-defined]
        return municipalities_by_county(queryset, selected)

    def clean_municipalities(self) -> list[Municipality]:
        chosen = list(self.cleaned_data["municipalities"])
        outside = chapters_outside_area(self.network, [m.pk for m in chosen])
        if outside:
            raise ValidationError(
                [
                    _("The local chapter %(chapter)s covers %(names)s; remove them from the chapter first.")
                    % {"chapter": chapter, "names": ", ".join(names)}
                    for chapter, names in outside.items()
                ]
            )
        return chosen


class CoverageRuleForm(forms.Form):
    scope = forms.ChoiceField(label=_("Applies to"), choices=CoverageScope.choices)
    service_type = forms.ModelChoiceField(
        label=_("Service type"),
        queryset=ServiceType.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("For municipalities: the kind of workplace the resource persons must come from."),
    )
    minimum = forms.IntegerField(
        label=_("At least (resource persons)"), min_value=1, max_value=999, initial=1
    )

    def __init__(self, network: Network, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = ServiceType.objects.for_network(network)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("scope") == CoverageScope.MUNICIPALITY and cleaned.get("service_type") is None:
            self.add_error(
                "service_type",
                _("Choose the service type the resource persons in each municipality must come from."),
            )
        return cleaned


class UnitsInScopeForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Hospital units in the coverage check"),
        queryset=Workplace.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ds-input"}),
    )

    def __init__(self, network: Network, *args: Any, **kwargs: Any) -> None:
        units = Workplace.objects.filter(
            network=network, service_type__code=ServiceType.HOSPITAL_UNIT
        ).select_related("health_trust")
        kwargs.setdefault("initial", {"units": [u.pk for u in units if u.in_scope]})
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units.order_by("name", "pk")  # type: ignore[attr-defined]


class VocabularyEntryForm(forms.Form):
    """A network's own service type or role."""

    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.SlugField(
        label=_("Code"),
        max_length=50,
        required=False,
        help_text=_(
            "Used in imports. Letters a–z, digits, hyphens and underscores; made from the name when "
            "left empty."
        ),
    )
