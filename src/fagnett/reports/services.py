"""Every change to an annual report (issue 8), each validated, atomic and audited.

The audit log names what changed, never the text: a narrative save logs the section key only.
A published report is frozen: its narratives, quotes and facts cannot change until it is reopened.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fagnett.audit.services import log_action
from fagnett.networks.models import LocalChapter, Network
from fagnett.reports import content
from fagnett.reports.access import valid_year
from fagnett.reports.models import AnnualReport, Narrative, ReportStatus
from fagnett.reports.sections import CHAPTER_PREFIX, SECTION_KEYS

if TYPE_CHECKING:
    from fagnett.accounts.models import User

MAX_NARRATIVE = 20_000


def _ensure_draft(report: AnnualReport) -> None:
    if report.is_published:
        raise ValidationError(
            _("The report for %(year)s is published and cannot be changed. Reopen it first.")
            % {"year": report.year}
        )


def section_exists(network: Network, key: str) -> bool:
    """A key of SECTIONS, or "chapter:<slug>" of one of the network's local chapters. One query for a
    chapter key, none otherwise."""
    if key in SECTION_KEYS:
        return True
    if key.startswith(CHAPTER_PREFIX) and len(key) > len(CHAPTER_PREFIX):
        return LocalChapter.objects.filter(network=network, slug=key[len(CHAPTER_PREFIX) :]).exists()
    return False


def get_or_create_report(network: Network, year: int, *, actor: User) -> AnnualReport:
    """The network's report of `year`, created as a draft the first time something is saved in it."""
    valid_year(year)
    with transaction.atomic():
        report, created = AnnualReport.objects.select_for_update().get_or_create(network=network, year=year)
        if created:
            log_action("reports.create", actor=actor, target=report, network=network, fields=["year"])
    return report


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def _validate_text(title: str, text: str) -> str:
    text = text.replace("\r\n", "\n")
    if len(text) > MAX_NARRATIVE:
        raise ValidationError(
            _("The text for %(section)s is %(length)s characters long; at most %(max)s are allowed.")
            % {"section": title, "length": _thousands(len(text)), "max": _thousands(MAX_NARRATIVE)}
        )
    return text


def save_narrative(
    report: AnnualReport, section: str, text: str, *, actor: User, title: str = ""
) -> Narrative | None:
    """Store the text of one section. Nothing is written (or logged) when the text is unchanged, since the
    editor autosaves. Returns the narrative, or None when nothing was stored and there is none."""
    _ensure_draft(report)
    if not section_exists(report.network, section):
        raise ValidationError(_("The report has no section %(section)s.") % {"section": section})
    text = _validate_text(title or section, text)
    with transaction.atomic():
        narrative = Narrative.objects.select_for_update().filter(report=report, section=section).first()
        if narrative is None and not text:
            return None
        if narrative is not None and narrative.text == text:
            return narrative
        if narrative is None:
            narrative = Narrative(report=report, section=section)
        narrative.text = text
        narrative.updated_by = actor
        narrative.save()
        # The section key only: the text itself never goes into the log.
        log_action(
            "reports.narrative",
            actor=actor,
            target=report,
            network=report.network,
            fields=["text"],
            data={"section": section},
        )
    return narrative


def save_narratives(
    report: AnnualReport, texts: Mapping[str, str], *, actor: User, titles: Mapping[str, str] | None = None
) -> int:
    """Store several sections at once (the editor's submit without JavaScript); all or nothing. Returns how
    many sections changed."""
    titles = titles or {}
    for key, text in texts.items():
        _validate_text(titles.get(key, key), text)
    changed = 0
    with transaction.atomic():
        before = dict(report.narratives.values_list("section", "text")) if report.pk else {}
        for key, text in texts.items():
            if before.get(key, "") != text.replace("\r\n", "\n"):
                save_narrative(report, key, text, actor=actor, title=titles.get(key, key))
                changed += 1
    return changed


def choose_quotes(report: AnnualReport, answer_ids: Iterable[int], *, actor: User) -> list[int]:
    """Set the free-text answers quoted in the report; ids that are not quotable answers of this network's
    evaluations of the year are dropped. Returns the stored ids."""
    _ensure_draft(report)
    allowed = {choice.pk for choice in content.quote_choices(report.network, report.year)}
    chosen = sorted({pk for pk in answer_ids if pk in allowed})
    if chosen == sorted(report.chosen_quotes or []):
        return chosen
    with transaction.atomic():
        report.chosen_quotes = chosen
        report.save(update_fields=["chosen_quotes", "updated"])
        log_action(
            "reports.quotes",
            actor=actor,
            target=report,
            network=report.network,
            fields=["chosen_quotes"],
            data={"count": len(chosen)},
        )
    return chosen


def regenerate(report: AnnualReport, *, actor: User) -> AnnualReport:
    """Store the facts as they are now, so the editor can show what changes after this."""
    _ensure_draft(report)
    facts = content.live_facts(report)
    with transaction.atomic():
        report.generated = facts
        report.generated_at = timezone.now()
        report.save(update_fields=["generated", "generated_at", "updated"])
        log_action(
            "reports.regenerate", actor=actor, target=report, network=report.network, fields=["generated"]
        )
    return report


def publish(report: AnnualReport, *, actor: User, public: bool = False) -> AnnualReport:
    """Freeze the facts and narratives as they are now into the snapshot; later changes to the data do not
    change the published report."""
    _ensure_draft(report)
    snapshot = content.live_content(report)
    with transaction.atomic():
        report.snapshot = snapshot
        report.status = ReportStatus.PUBLISHED
        report.published_at = timezone.now()
        report.published_by = actor
        report.public = public
        report.save(update_fields=["snapshot", "status", "published_at", "published_by", "public", "updated"])
        log_action(
            "reports.publish",
            actor=actor,
            target=report,
            network=report.network,
            fields=["status", "snapshot", "public"],
            data={"public": public},
        )
    return report


def reopen(report: AnnualReport, *, actor: User) -> AnnualReport:
    """Back to a draft. The snapshot is kept until the report is published again, so the editor can show what
    changed since it was published."""
    if not report.is_published:
        raise ValidationError(_("The report for %(year)s is not published.") % {"year": report.year})
    with transaction.atomic():
        report.status = ReportStatus.DRAFT
        report.save(update_fields=["status", "updated"])
        log_action("reports.reopen", actor=actor, target=report, network=report.network, fields=["status"])
    return report


def set_public(report: AnnualReport, public: bool, *, actor: User) -> AnnualReport:
    """Show or hide a report on the network's public page (it is shown only while published)."""
    if report.public == public:
        return report
    with transaction.atomic():
        report.public = public
        report.save(update_fields=["public", "updated"])
        log_action(
            "reports.public",
            actor=actor,
            target=report,
            network=report.network,
            fields=["public"],
            data={"public": public},
        )
    return report
