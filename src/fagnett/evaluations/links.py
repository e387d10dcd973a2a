"""Single-use answer links mailed to attendees.

Only the SHA-256 of each token is stored, and no person: the raw token exists only in the e-mail, so neither
the database nor a response made with a link can say who received it.
"""

from __future__ import annotations

import hashlib
import secrets

from django.urls import reverse

from fagnett.evaluations.models import AnswerLink, Evaluation

# 32 random bytes: 43 URL-safe characters, far beyond guessing.
TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    """The hex SHA-256 of a raw token, as stored in AnswerLink.token_hash."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_links(evaluation: Evaluation, count: int) -> list[str]:
    """Create `count` unused links for the evaluation in one query and return their raw tokens.

    The caller mails one token to each attendee and forgets them; nothing records which token went to whom.
    """
    if count <= 0:
        return []
    tokens = [secrets.token_urlsafe(TOKEN_BYTES) for _ in range(count)]
    AnswerLink.objects.bulk_create(
        [AnswerLink(evaluation=evaluation, token_hash=hash_token(token)) for token in tokens]
    )
    return tokens


def answer_url(evaluation: Evaluation, token: str) -> str:
    """The path (not absolute) of the single-use answer page for a raw token."""
    return reverse("evaluations:answer_with_link", kwargs={"code": evaluation.short_code, "token": token})
