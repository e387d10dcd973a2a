"""Who may read and change a network's annual reports (issue 8): the one place this app decides.

- Reading a report (its page and its documents): `Need.AGGREGATES` — network coordinators, chapter
  coordinators and readers. Only the network coordinator sees drafts; everyone else sees published reports
  only, and a draft or a missing report answers 404 to them, as a missing network does.
- Changing a report (narratives, regenerate, publish, reopen, quotes, the Word template): `Need.COORDINATE`.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone

from fagnett.core.years import FIRST_YEAR
from fagnett.networks.access import Need, NetworkAccess, network_for_user
from fagnett.reports.models import AnnualReport


def report_access(user: Any, slug: str, *, write: bool = False) -> NetworkAccess:
    return network_for_user(user, slug, Need.COORDINATE if write else Need.AGGREGATES)


def valid_year(year: int) -> int:
    """A report year: not before 1950 and not after this year (a report of the year in progress is a draft
    the coordinator may start). 404 otherwise."""
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return year


def report_for_user(access: NetworkAccess, year: int) -> AnnualReport:
    """The network's report of `year` as the user may see it. For the network coordinator a year without a
    report gives an unsaved draft (nothing is written on reading; the first save creates it). Everyone else
    gets only a published report; 404 for a draft and for a missing one. One query."""
    valid_year(year)
    report = AnnualReport.objects.filter(network=access.network, year=year).select_related("network").first()
    if access.is_coordinator:
        return report if report is not None else AnnualReport(network=access.network, year=year)
    if report is None or not report.is_published:
        raise Http404
    return report
