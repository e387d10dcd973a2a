"""The report editor's forms: every section's narrative in one form (the submit that works without
JavaScript; each field also autosaves through htmx), the quotes to use, and the publish confirmation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fagnett.reports.content import QuoteChoice
from fagnett.reports.services import MAX_NARRATIVE

QUOTES_FIELD = "sitater"


def field_name(key: str) -> str:
    """The form field of a section's narrative (a chapter key's colon is not wanted in names and ids)."""
    return "tekst-" + key.replace(":", "--")


def dom_id(key: str) -> str:
    return "fn-narrative-" + key.replace(":", "--")


@dataclass(frozen=True)
class NarrativeSlot:
    """One narrative field of the editor: a section of SECTIONS or one local chapter's part."""

    key: str
    title: str | Promise
    prompt: str | Promise

    @property
    def field_name(self) -> str:
        return field_name(self.key)

    @property
    def dom_id(self) -> str:
        return dom_id(self.key)


def word_count(text: str) -> int:
    return len(text.split())


def quote_label(choice: QuoteChoice) -> str:
    return f"«{choice.text}» – {choice.activity}, {choice.date:%d.%m.%Y} ({choice.question})"


class NarrativesForm(forms.Form):
    def __init__(
        self,
        data: Any,
        *,
        slots: Sequence[NarrativeSlot],
        initial_texts: dict[str, str],
        narrative_url: Any,
        quotes: Sequence[QuoteChoice] = (),
        chosen: Sequence[int] = (),
    ) -> None:
        super().__init__(data)
        self.slots = tuple(slots)
        for slot in self.slots:
            url = narrative_url(slot.key)
            self.fields[slot.field_name] = forms.CharField(
                label=str(slot.title),
                help_text=str(slot.prompt),
                required=False,
                strip=False,
                max_length=MAX_NARRATIVE,
                initial=initial_texts.get(slot.key, ""),
                widget=forms.Textarea(
                    attrs={
                        "rows": 6,
                        # Autosave a second after typing stops, and when the field is left; only this
                        # field's value is sent.
                        "hx-post": url,
                        "hx-trigger": "input changed delay:1s, blur",
                        "hx-params": slot.field_name,
                        "hx-target": f"#{slot.dom_id}-status",
                        "hx-swap": "innerHTML",
                    }
                ),
            )
        if quotes:
            self.fields[QUOTES_FIELD] = forms.TypedMultipleChoiceField(
                label=_("Quotes from the evaluations"),
                help_text=_(
                    "Free-text answers from the year's evaluations, shown with the activity and never with "
                    "who wrote them. Those you tick are quoted in the report."
                ),
                required=False,
                coerce=int,
                choices=[(choice.pk, quote_label(choice)) for choice in quotes],
                initial=list(chosen),
                widget=forms.CheckboxSelectMultiple,
            )

    def texts(self) -> dict[str, str]:
        return {slot.key: self.cleaned_data[slot.field_name] for slot in self.slots}

    def titles(self) -> dict[str, str]:
        return {slot.key: str(slot.title) for slot in self.slots}

    def chosen_quotes(self) -> list[int] | None:
        """The ticked answers, or None when the form offered none (then nothing is changed)."""
        if QUOTES_FIELD not in self.fields:
            return None
        return list(self.cleaned_data[QUOTES_FIELD])


def narrative_url(slug: str, year: int) -> Any:
    def url(key: str) -> str:
        return reverse("reports:narrative", args=[slug, year, key])

    return url


class PublishForm(forms.Form):
    public = forms.BooleanField(
        label=_("Show the report on the network's public page"),
        help_text=_("Anyone can then read it without logging in, while the network's public page is on."),
        required=False,
    )
