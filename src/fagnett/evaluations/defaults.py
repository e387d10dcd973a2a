"""The evaluation template every network starts with: "Evaluering av samling/fagdag", the questions seed 001
asks after gatherings and study days. Plain data plus one builder that takes the model classes, so the data
migration (historical models) and services.ensure_default_template (the real ones) create exactly the same
rows. The texts are stored data (the network's own template, ready to edit), so they are Norwegian."""

from __future__ import annotations

from typing import Any

DEFAULT_TEMPLATE_TITLE = "Evaluering av samling/fagdag"
DEFAULT_TEMPLATE_INTRO = (
    "Takk for at du deltok! Svarene brukes til å gjøre neste samling bedre. "
    "Det tar et par minutter, og alle spørsmål kan hoppes over."
)
DEFAULT_MIN_RESPONSES_SHOWN = 3

# Each section: title, intro and its questions; each question: text, kind, and for a scale the labels at 1
# and 5. No question is required: a response that skips one is still worth having.
DEFAULT_SECTIONS: tuple[dict[str, Any], ...] = (
    {
        "title": "Vurdering",
        "intro": "Gi en vurdering fra 1 til 5.",
        "questions": (
            {
                "text": "Hvor stort faglig utbytte hadde du av dagen?",
                "kind": "scale",
                "scale_min_label": "Svært lite",
                "scale_max_label": "Svært stort",
            },
            {
                "text": "Hvor relevant var innholdet for ditt eget arbeid?",
                "kind": "scale",
                "scale_min_label": "Svært lite relevant",
                "scale_max_label": "Svært relevant",
            },
            {
                "text": "Hvordan vurderer du foreleserne?",
                "kind": "scale",
                "scale_min_label": "Svært dårlig",
                "scale_max_label": "Svært godt",
            },
            {
                "text": "Hvordan vurderer du organiseringen (lokaler, program, informasjon på forhånd)?",
                "kind": "scale",
                "scale_min_label": "Svært dårlig",
                "scale_max_label": "Svært godt",
            },
        ),
    },
    {
        "title": "Dine kommentarer",
        "intro": "Ikke skriv navn på pasienter eller andre som kan gjenkjennes.",
        "questions": (
            {"text": "Hva var bra?", "kind": "text"},
            {"text": "Hva kan bli bedre?", "kind": "text"},
        ),
    },
)


def build_default_template(network: Any, *, form_model: Any, section_model: Any, question_model: Any) -> Any:
    """Create the default template's rows for `network` with the given model classes; returns the form.

    The classes are parameters so the data migration can pass its historical models."""
    form = form_model.objects.create(
        network=network,
        title=DEFAULT_TEMPLATE_TITLE,
        intro=DEFAULT_TEMPLATE_INTRO,
        anonymous=True,
        is_template=True,
        min_responses_shown=DEFAULT_MIN_RESPONSES_SHOWN,
    )
    position = 0
    for section_position, section_data in enumerate(DEFAULT_SECTIONS, start=1):
        section = section_model.objects.create(
            form=form, title=section_data["title"], intro=section_data["intro"], position=section_position
        )
        questions = []
        for question_data in section_data["questions"]:
            position += 1
            questions.append(
                question_model(
                    form=form,
                    section=section,
                    text=question_data["text"],
                    kind=question_data["kind"],
                    required=False,
                    scale_min_label=question_data.get("scale_min_label", ""),
                    scale_max_label=question_data.get("scale_max_label", ""),
                    position=position,
                )
            )
        question_model.objects.bulk_create(questions)
    return form
