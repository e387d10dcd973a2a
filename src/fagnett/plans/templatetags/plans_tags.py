"""`{% linked_resources subject %}`: the learning resources linked to an activity or a competence-plan
requirement, as a short list with links, or nothing when there are none.

- An activity costs one query.
- A requirement costs one query for its whole plan version, whatever the number of requirements on the page:
  the first call reads every link of the version and keeps them for the rest of the page's rendering, so a
  page can put the tag beside each requirement. The person's plan page knows a requirement by its code only;
  it passes the version (a CompetencePlan, the engine's PlanFacts, or its id):
  `{% linked_resources status.requirement plan=facts.plan %}`.
- `heading=2` puts the list in a section with an h2 (a page of its own, the activity page); without it the
  list has a plain label (inside a table cell or a card).
"""

from __future__ import annotations

from typing import Any

from django import template

from fagnett.activities.models import Activity
from fagnett.competence.engine import PlanFacts
from fagnett.competence.models import CompetencePlan, Requirement
from fagnett.plans.hub_queries import resources_by_requirement, resources_for_activity
from fagnett.plans.models import LearningResource

register = template.Library()

_CACHE_KEY = "plans_tags.resources_by_requirement"


def _for_requirement(context: template.Context, plan_id: int, code: str) -> list[LearningResource]:
    cache: dict[int, dict[str, list[LearningResource]]] = context.render_context.get(_CACHE_KEY) or {}
    if plan_id not in cache:
        cache[plan_id] = resources_by_requirement(plan_id)
        context.render_context[_CACHE_KEY] = cache
    return cache[plan_id].get(code, [])


def _plan_id(plan: CompetencePlan | PlanFacts | int | None) -> int | None:
    if isinstance(plan, CompetencePlan):
        return plan.pk
    if isinstance(plan, PlanFacts):
        return plan.id
    return plan if isinstance(plan, int) else None


@register.inclusion_tag("plans/resources/_linked.html", takes_context=True)
def linked_resources(
    context: template.Context,
    subject: Activity | Requirement | str | None,
    plan: CompetencePlan | PlanFacts | int | None = None,
    heading: int = 0,
) -> dict[str, Any]:
    resources: list[LearningResource] = []
    if isinstance(subject, Activity):
        resources = resources_for_activity(subject.pk)
        key = f"activity-{subject.pk}"
    elif isinstance(subject, Requirement):
        resources = _for_requirement(context, subject.plan_id, subject.code)
        key = f"requirement-{subject.pk}"
    elif isinstance(subject, str) and (plan_id := _plan_id(plan)) is not None:
        resources = _for_requirement(context, plan_id, subject)
        key = f"requirement-{plan_id}-{subject}"
    else:
        key = ""
    return {"resources": resources, "heading": heading, "key": key}
