"""Certificates and yearly statements as PDF (WeasyPrint).

Both are Norwegian documents a person hands to an employer or to the nurses' union, so they are rendered in
bokmål whatever language the user browses in. They are A4, tagged (PDF/UA-1, so a screen reader can read
them), numbered by CSS @page, and use only the system's DejaVu fonts: the URL fetcher refuses every
resource, so a document can never make the server fetch something from another host.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.pdf import VARIANTS

from fagnett.activities.models import Attendance
from fagnett.activities.person import YearlyStatement, organiser_name
from fagnett.core.links import base_url

DOCUMENT_LANGUAGE = "nb"
# PDF/UA-1 makes a tagged PDF with the title and language a screen reader needs; older WeasyPrint versions
# without the variant still tag the document when asked.
_PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"} if "pdf/ua-1" in VARIANTS else {"pdf_tags": True}


class ExternalResourceRefused(Exception):
    """A document template referred to a URL; documents must be self-contained."""


def _refuse_urls(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ExternalResourceRefused(url)


def verification_url(code: str) -> str:
    return base_url() + reverse("activities:verify", args=[code])


def css_string(text: str) -> str:
    # Quoted for CSS; "<" escaped too, as the string goes inside a <style> element.
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace("\n", " ")
    return f'"{escaped}"'


def page_numbers_css() -> str:
    """The CSS `content` of the footer's "Page 1 of 2", from one translatable sentence: the placeholders
    become the page counters, the words around them CSS strings."""
    sentence = _("Page %(page)s of %(pages)s")
    before, _sep, rest = sentence.partition("%(page)s")
    middle, _sep, after = rest.partition("%(pages)s")
    parts = [css_string(before), "counter(page)", css_string(middle), "counter(pages)", css_string(after)]
    return " ".join(parts)


def render_pdf(template: str, context: dict[str, Any], *, language: str = DOCUMENT_LANGUAGE) -> bytes:
    """A tagged PDF of `template` in `language`, with `document_language` and `page_numbers` (the footer's
    CSS) added to the context; any URL in it is refused, so a document never fetches anything."""
    with translation.override(language):
        # Safe: page_numbers_css quotes and escapes the only text it holds.
        page_numbers = mark_safe(page_numbers_css())  # noqa: S308
        extra = {"document_language": language, "page_numbers": page_numbers}
        html = render_to_string(template, {**context, **extra})
    pdf = HTML(string=html, url_fetcher=_refuse_urls).write_pdf(**_PDF_OPTIONS)
    if not isinstance(pdf, bytes):  # None only when writing to a target
        raise RuntimeError("WeasyPrint returned no PDF")
    return pdf


def certificate_pdf(attendance: Attendance, issued: dt.date | None = None) -> bytes:
    """The certificate of one attended activity: name, activity, date, hours, organiser, verification."""
    activity = attendance.activity
    return render_pdf(
        "activities/certificate.html",
        {
            "attendance": attendance,
            "person": attendance.person,
            "activity": activity,
            "themes": list(activity.themes.all()),
            "organiser": organiser_name(activity),
            "verification_code": attendance.verification_code,
            "verification_url": verification_url(attendance.verification_code),
            "issued": issued or timezone.localdate(),
        },
    )


def yearly_statement_pdf(statement: YearlyStatement, issued: dt.date | None = None) -> bytes:
    """All attended activities with hours and all completed job shadowing of one year."""
    return render_pdf(
        "activities/yearly_statement.html",
        {
            "statement": statement,
            "person": statement.person,
            "network": statement.network,
            "lines": [(a, organiser_name(a.activity)) for a in statement.attendances],
            "verify_base": base_url(),
            "issued": issued or timezone.localdate(),
        },
    )


def _file_slug(text: str) -> str:
    # slugify drops æ, ø and å; spelled out they keep a Norwegian title readable in a file name.
    folded = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return slugify(folded)[:60].strip("-") or "aktivitet"


def certificate_filename(attendance: Attendance) -> str:
    """attest-<the activity's title>-<its start date>.pdf: a person keeps many; the title tells them apart."""
    activity = attendance.activity
    return f"attest-{_file_slug(activity.title)}-{activity.starts_on.isoformat()}.pdf"


def statement_filename(statement: YearlyStatement) -> str:
    return f"aarsoversikt-{statement.network.slug}-{statement.year}-{statement.person.pk}.pdf"
