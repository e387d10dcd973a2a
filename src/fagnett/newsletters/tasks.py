"""Background tasks of the newsletters app (django-tasks; the worker is `python manage.py db_worker`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from fagnett.newsletters.sending import send_pending


@task()
def send_newsletter_task(newsletter_id: int) -> dict[str, Any]:
    """Send what is due of one newsletter. Safe to run twice at once or again after a crash: every delivery
    is claimed before it is sent (see sending.py)."""
    # The result is stored as JSON by the database backend, hence the plain dict.
    return send_pending(newsletter_id).as_json()
