"""Forms for the roster pages. They validate input only; every write goes through networks.services."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Field as DjangoField
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fagnett.networks.access import NetworkAccess
from fagnett.networks.models import CompetenceLevel, LocalChapter, Membership, Person, Role, Workplace
from fagnett.networks.roster import SORT_LABELS, STATUS_LABELS, RosterChoices, RosterFilters, Sort, Status
from fagnett.networks.services import PERSON_FIELDS, PersonData

# <input type="date"> sends ISO dates; people typing (or browsers without a date picker) write dd.mm.yyyy.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def _label(model: type[Model], name: str) -> StrOrPromise:
    field = model._meta.get_field(name)
    if not isinstance(field, DjangoField):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return capfirst(field.verbose_name)


def date_field(label: StrOrPromise, *, required: bool = True, initial: Any = None) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError at the field it names, or at the top when the form has no such
    field (the error summary lists both)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)


class PersonChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        # Two persons may share a name; the e-mail tells them apart.
        return f"{obj.full_name} ({obj.email})"


def _chapter_field(access: NetworkAccess) -> forms.ModelChoiceField[LocalChapter]:
    """Chapter coordinators must pick one of their own chapters; network coordinators any, or none."""
    return forms.ModelChoiceField(
        label=_label(Membership, "chapter"),
        queryset=access.editable_chapters().order_by("name"),
        required=not access.is_coordinator,
        empty_label=_("No local chapter (the whole network)") if access.is_coordinator else None,
    )


def _role_field(access: NetworkAccess) -> forms.ModelChoiceField[Role]:
    roles = Role.objects.for_network(access.network).order_by("name")
    return forms.ModelChoiceField(label=_label(Membership, "role"), queryset=roles, empty_label=None)


def _default_role() -> Role | None:
    return Role.objects.filter(network=None, code=Role.RESOURCE_PERSON).first()


class RosterFilterForm(forms.Form):
    """The roster's search, filters and sort order, read from GET parameters with Norwegian names."""

    q = forms.CharField(
        label=_("Search"), help_text=_("Name or e-mail address"), required=False, max_length=200
    )
    kommune = forms.ChoiceField(label=_("Municipality"), required=False)
    tjenestetype = forms.ChoiceField(label=_("Service type"), required=False)
    yrke = forms.ChoiceField(label=_("Profession"), required=False)
    lokallag = forms.ChoiceField(label=_("Local chapter"), required=False)
    rolle = forms.ChoiceField(label=_("Role"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[(s.value, label) for s, label in STATUS_LABELS.items()]
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=[(s.value, label) for s, label in SORT_LABELS.items()]
    )

    def __init__(self, data: Any, *, choices: RosterChoices) -> None:
        super().__init__(data)
        everyone: list[tuple[str, str]] = [("", str(_("All")))]
        self._set_choices("kommune", everyone + choices.municipalities)
        self._set_choices("tjenestetype", everyone + choices.service_types)
        self._set_choices("yrke", everyone + [(p, p) for p in choices.professions])
        self._set_choices("lokallag", everyone + choices.chapters)
        self._set_choices("rolle", everyone + choices.roles)

    def _set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices

    def filters(self) -> RosterFilters:
        """The valid filters; a value that is not among the choices (an old link) is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return RosterFilters(
            q=" ".join(str(data.get("q") or "").split()),
            municipality=data.get("kommune") or "",
            service_type=data.get("tjenestetype") or "",
            profession=data.get("yrke") or "",
            chapter=data.get("lokallag") or "",
            role=data.get("rolle") or "",
            status=Status(data.get("status") or Status.ACTIVE),
            sort=Sort(data.get("sort") or Sort.NAME),
        )


class PersonForm(forms.Form):
    """A person's fields and, when creating, their first membership (created in the same transaction)."""

    first_name = forms.CharField(label=_label(Person, "first_name"), max_length=100)
    last_name = forms.CharField(label=_label(Person, "last_name"), max_length=100)
    email = forms.EmailField(label=_label(Person, "email"), max_length=254)
    phone = forms.CharField(label=_label(Person, "phone"), max_length=30, required=False)
    profession = forms.CharField(
        label=_label(Person, "profession"),
        max_length=100,
        required=False,
        help_text=_("For example nurse, physiotherapist or teacher."),
    )
    competence_level = forms.ChoiceField(
        label=_label(Person, "competence_level"),
        required=False,
        choices=[("", _("Not given")), *CompetenceLevel.choices],
    )
    workplace = forms.ModelChoiceField(
        label=_label(Person, "workplace"),
        queryset=Workplace.objects.none(),
        required=False,
        empty_label=_("Not given"),
    )
    leader = PersonChoiceField(
        label=_label(Person, "leader"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Not in the roster"),
        help_text=_(
            "Choose the line manager if they are in the roster; otherwise write name and e-mail below."
        ),
    )
    leader_name = forms.CharField(label=_label(Person, "leader_name"), max_length=200, required=False)
    leader_email = forms.EmailField(label=_label(Person, "leader_email"), max_length=254, required=False)
    public_consent = forms.BooleanField(
        label=_label(Person, "public_consent"),
        required=False,
        help_text=Person._meta.get_field("public_consent").help_text,
    )

    MEMBERSHIP_FIELDS = ("role", "chapter", "start")

    def __init__(self, data: Any = None, *, access: NetworkAccess, person: Person | None = None) -> None:
        self.person = person
        initial: dict[str, Any] = {}
        if person is not None:
            initial = {name: getattr(person, name) for name in PERSON_FIELDS}
        super().__init__(data, initial=initial)
        network = access.network
        workplaces = Workplace.objects.filter(network=network).select_related("municipality", "health_trust")
        cast(forms.ModelChoiceField[Workplace], self.fields["workplace"]).queryset = workplaces
        # Only persons the user may see are offered (a chapter coordinator does not get the whole network's
        # names and addresses); the current line manager stays offered so that saving does not drop them.
        leaders = Q(pk__in=access.visible_persons().values("pk"))
        if person is not None and person.leader_id is not None:
            leaders |= Q(pk=person.leader_id)
        leader_persons: QuerySet[Person] = Person.objects.filter(network=network).filter(leaders)
        if person is not None:
            leader_persons = leader_persons.exclude(pk=person.pk)
        leader_field = cast(PersonChoiceField, self.fields["leader"])
        leader_field.queryset = leader_persons.order_by("last_name", "first_name")
        if person is None:
            self.fields["role"] = _role_field(access)
            self.fields["chapter"] = _chapter_field(access)
            self.fields["start"] = date_field(_label(Membership, "start"), initial=timezone.localdate)
            self.initial["role"] = _default_role()

    @property
    def creating(self) -> bool:
        return self.person is None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("leader") is not None and (cleaned.get("leader_name") or cleaned.get("leader_email")):
            self.add_error(
                "leader",
                _("Choose the line manager from the roster, or write their name and e-mail – not both."),
            )
        return cleaned

    def person_data(self) -> PersonData:
        return PersonData(**{name: self.cleaned_data[name] for name in PERSON_FIELDS})

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS}


class MembershipForm(forms.Form):
    role = forms.ModelChoiceField(label=_label(Membership, "role"), queryset=Role.objects.none())
    chapter = forms.ModelChoiceField(
        label=_label(Membership, "chapter"), queryset=LocalChapter.objects.none()
    )
    start = date_field(_label(Membership, "start"), initial=timezone.localdate)
    end = date_field(_label(Membership, "end"), required=False)
    end_reason = forms.CharField(label=_label(Membership, "end_reason"), max_length=300, required=False)

    def __init__(self, data: Any = None, *, access: NetworkAccess) -> None:
        super().__init__(data)
        self.fields["role"] = _role_field(access)
        self.fields["chapter"] = _chapter_field(access)
        self.initial["role"] = _default_role()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is not None and end is not None and end < start:
            self.add_error("end", _("The end date cannot be before the start date."))
        return cleaned


class EndMembershipForm(forms.Form):
    end = date_field(_label(Membership, "end"), initial=timezone.localdate)
    reason = forms.CharField(label=_label(Membership, "end_reason"), max_length=300)

    def __init__(self, data: Any = None, *, membership: Membership) -> None:
        super().__init__(data)
        self.membership = membership

    def clean_end(self) -> dt.date:
        end: dt.date = self.cleaned_data["end"]
        if end < self.membership.start:
            raise ValidationError(_("The end date cannot be before the start date."))
        return end


class MoveMembershipForm(forms.Form):
    chapter = forms.ModelChoiceField(label=_("New local chapter"), queryset=LocalChapter.objects.none())
    on = date_field(_("Date of the move"), initial=timezone.localdate)

    def __init__(self, data: Any = None, *, access: NetworkAccess, membership: Membership) -> None:
        super().__init__(data)
        self.membership = membership
        field = _chapter_field(access)
        field.label = _("New local chapter")
        self.fields["chapter"] = field

    def clean_chapter(self) -> LocalChapter | None:
        chapter: LocalChapter | None = self.cleaned_data.get("chapter")
        if chapter == self.membership.chapter:
            raise ValidationError(_("The membership is already in this local chapter."))
        return chapter
