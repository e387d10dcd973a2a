"""The network's competence-plan summary: per requirement, the share of the persons it applied to who met it,
this year against last year, as a chart with a table of the same numbers.

Need.AGGREGATES: network coordinators, chapter coordinators and readers; everyone else gets 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fagnett.competence.charts import Group, Series, grouped_bar_chart
from fagnett.competence.forms import YearForm, parse_year
from fagnett.competence.queries import SummaryFacts, competence_years, summary_facts
from fagnett.networks.access import Need, network_for_user


def _chart(facts: SummaryFacts) -> str:
    return grouped_bar_chart(
        chart_id="fn-competence-chart",
        title=_("Share of persons who met each requirement, %(year)s and %(last_year)s")
        % {"year": facts.year, "last_year": facts.last_year},
        description=_(
            "Horizontal bars per requirement: solid for %(year)s, hatched for %(last_year)s, with the "
            "percentage written beside each bar. The table below has the same numbers."
        )
        % {"year": facts.year, "last_year": facts.last_year},
        series=(Series(str(facts.year)), Series(str(facts.last_year), hatched=True)),
        groups=tuple(
            Group(
                row.name,
                (
                    row.this_year.percent if row.this_year else None,
                    row.last_year.percent if row.last_year else None,
                ),
            )
            for row in facts.rows
        ),
        missing=_("no figures"),
    )


@login_required
@require_GET
def summary(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.AGGREGATES)
    today = timezone.localdate()
    year, refused = parse_year(request.GET.get("aar"), today)
    facts = summary_facts(access.network, year, today)
    years = competence_years(access.network, today, include=year - 1)
    return render(
        request,
        "competence/summary.html",
        {
            "access": access,
            "network": access.network,
            "nav": "competence",
            "facts": facts,
            "chart": _chart(facts) if facts.rows else "",
            "form": YearForm({"aar": str(year)}, years=years, year=year),
            "refused_year": request.GET.get("aar", "") if refused else "",
            "today": today,
        },
    )
