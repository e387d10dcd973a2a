"""Sending a newsletter in the background, and what the coordinator sees and decides about it (issue 9).

The delivery state machine is described in models.py. What this module promises:

- No duplicates. A delivery is claimed with a conditional UPDATE (queued/retry → sending) that is committed
  before its message is handed to SMTP; two workers can never both win the claim for one address. A row found
  still "sending" by a later run was handed over by a worker that died before recording the answer: it becomes
  "uncertain" and is never sent again automatically.
- Nothing lost. Every other row stays queued or retry until a worker gets to it; a worker that dies is
  replaced by the process supervisor, and `recover_stalled` (the watchdog command, from cron) enqueues a new
  task for a send whose heartbeat stopped without a task waiting to continue it.
- Temporary SMTP failures (4xx, a dropped or refused connection) are retried with back-off; permanent ones
  (5xx) fail with the server's answer as the reason.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import logging
import smtplib
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fagnett.audit.services import log_action
from fagnett.newsletters import rendering
from fagnett.newsletters.models import Delivery, DeliveryStatus, Newsletter, NewsletterStatus
from fagnett.newsletters.recipients import opted_out_addresses, resolve_recipients

if TYPE_CHECKING:
    from fagnett.accounts.models import User

logger = logging.getLogger(__name__)

# Waits after the 1st, 2nd and 3rd failed attempt; the 4th failure is final.
BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=25))
MAX_ATTEMPTS = len(BACKOFF) + 1
# A send whose worker has shown no sign of life for this long is taken over by the watchdog. One delivery
# takes at most the SMTP timeout (30 s by default), so a live worker is never this quiet.
STALL_AFTER = dt.timedelta(minutes=10)
BATCH_SIZE = 50
# Seconds one task sends before it hands over to a fresh task (see send_pending).
RUN_BUDGET = 60.0
PAGE_SIZE = 100
REASON_LENGTH = 300

DUE_STATUSES = (DeliveryStatus.QUEUED, DeliveryStatus.RETRY)
# The states in which a worker still has something to do (or is doing it).
OPEN_STATUSES = (DeliveryStatus.QUEUED, DeliveryStatus.RETRY, DeliveryStatus.SENDING)
# Done, as far as the worker is concerned ("uncertain" waits for the coordinator, not the worker).
DONE_STATUSES = (
    DeliveryStatus.SENT,
    DeliveryStatus.FAILED,
    DeliveryStatus.OPTED_OUT,
    DeliveryStatus.UNCERTAIN,
)
STATUS_ORDER = (
    DeliveryStatus.QUEUED,
    DeliveryStatus.SENDING,
    DeliveryStatus.SENT,
    DeliveryStatus.RETRY,
    DeliveryStatus.FAILED,
    DeliveryStatus.UNCERTAIN,
    DeliveryStatus.OPTED_OUT,
)

Action = Literal["mark_sent", "resend"]


# Queueing ----------------------------------------------------------------------------------------------


def enqueue_send(newsletter_id: int, run_after: dt.datetime | None = None) -> bool:
    """Ask the task backend to run `send_pending` for the newsletter (at `run_after`, if given).

    A backend that cannot defer (the immediate backend of tests and development) is not asked to: the
    watchdog picks the send up instead. Returns whether a task was enqueued.
    """
    from fagnett.newsletters.tasks import send_newsletter_task  # the task module imports this one

    task = send_newsletter_task
    if run_after is not None:
        if not task.get_backend().supports_defer:
            logger.info(
                "Newsletter %s: the task backend cannot defer; the watchdog resumes it", newsletter_id
            )
            return False
        task = task.using(run_after=run_after)
    task.enqueue(newsletter_id)
    return True


def send_newsletter_backend_defers() -> bool:
    from fagnett.newsletters.tasks import send_newsletter_task

    return bool(send_newsletter_task.get_backend().supports_defer)


def queue_newsletter(newsletter: Newsletter, actor: User | None) -> int:
    """Freeze the newsletter, create one delivery per recipient and start sending after the commit.

    Returns the number of recipients. Raises ValidationError (and saves nothing) unless the newsletter is a
    draft with at least one recipient.
    """
    with transaction.atomic():
        locked = (
            Newsletter.objects.select_for_update(of=("self",))
            .select_related("network", "chapter")
            .get(pk=newsletter.pk)
        )
        if locked.status != NewsletterStatus.DRAFT:
            raise ValidationError(
                _("“%(subject)s” has already been sent or is being sent. Only a draft can be sent."),
                code="not_draft",
                params={"subject": locked.subject},
            )
        recipients = resolve_recipients(locked)
        if not recipients:
            raise ValidationError(
                _(
                    "“%(subject)s” has no recipients: nobody is an active member, and there are no line "
                    "managers or extra addresses that have not opted out."
                ),
                code="no_recipients",
                params={"subject": locked.subject},
            )
        rendering.freeze(locked)
        now = timezone.now()
        locked.status = NewsletterStatus.QUEUED
        locked.queued_at = now
        locked.queued_by = actor
        locked.heartbeat_at = None
        locked.finished_at = None
        changed = [
            "status",
            "sent_html",
            "sent_text",
            "queued_at",
            "queued_by",
            "heartbeat_at",
            "finished_at",
        ]
        locked.save(update_fields=[*changed, "updated"])
        Delivery.objects.bulk_create(
            [
                Delivery(newsletter=locked, email=r.email, person_id=r.person_id, kind=r.kind)
                for r in recipients
            ],
            batch_size=500,
        )
        log_action(
            "newsletter.queued",
            actor=actor,
            target=locked,
            network=locked.network,
            fields=changed,
            data={"recipients": len(recipients)},
        )
        newsletter_id = locked.pk
        transaction.on_commit(lambda: enqueue_send(newsletter_id))
    for name in (*changed, "updated"):
        setattr(newsletter, name, getattr(locked, name))
    return len(recipients)


# The worker's loop ---------------------------------------------------------------------------------------


@dataclass
class SendReport:
    """What one run of `send_pending` did."""

    newsletter_id: int
    sent: int = 0
    retry: int = 0
    failed: int = 0
    uncertain: int = 0  # rows a crashed earlier run left "sending", plus answers lost in this run
    opted_out: int = 0
    finished: bool = False  # the newsletter is now "sent"
    next_run: dt.datetime | None = None  # when a follow-up run was scheduled for retries

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["next_run"] = self.next_run.isoformat() if self.next_run else None
        return data


class Outcome(enum.Enum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    UNCERTAIN = "uncertain"
    OPTED_OUT = "opted_out"
    SKIPPED = "skipped"  # another worker claimed it first


@dataclass
class _Attempt:
    """How far one hand-over got: an error before DATA means the server certainly did not take the
    message; a broken connection during DATA leaves it undecidable."""

    in_data: bool = False
    connection_broken: bool = False
    reason: str = ""
    outcome: Outcome = Outcome.SENT
    retry_due: dt.datetime | None = field(default=None)


def _due(newsletter_id: int, now: dt.datetime) -> QuerySet[Delivery]:
    return Delivery.objects.filter(newsletter_id=newsletter_id).filter(
        Q(status=DeliveryStatus.QUEUED) | Q(status=DeliveryStatus.RETRY, next_attempt_at__lte=now)
    )


def _claim(delivery_id: int, now: dt.datetime) -> bool:
    """queued/retry → sending, committed. Only one caller can win it, whatever the number of workers."""
    with transaction.atomic():
        won = (
            Delivery.objects.filter(pk=delivery_id)
            .filter(
                Q(status=DeliveryStatus.QUEUED) | Q(status=DeliveryStatus.RETRY, next_attempt_at__lte=now)
            )
            .update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        )
    return won == 1


def _reason(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {' '.join(text.split())}"[:REASON_LENGTH]


def _hand_over(connection: BaseEmailBackend, message: EmailMessage, attempt: _Attempt) -> None:
    """Send one message over the reused connection, noting in `attempt` whether DATA was reached."""
    connection.open()
    smtp = getattr(connection, "connection", None)
    if not isinstance(smtp, smtplib.SMTP):
        connection.send_messages([message])
        return
    original_data = smtp.data

    def data(msg: Any) -> tuple[int, bytes]:
        attempt.in_data = True
        return original_data(msg)

    # smtplib.SMTP.sendmail calls self.data(); shadowing it on this instance, for this one message, is how
    # we learn whether the body was on its way when the connection broke.
    setattr(smtp, "data", data)  # noqa: B010 - assigning a method on an instance; mypy refuses the direct form
    try:
        connection.send_messages([message])
    finally:
        with contextlib.suppress(AttributeError):
            delattr(smtp, "data")


def _classify(error: Exception, attempt: _Attempt) -> None:
    """Fill in the outcome of a failed hand-over."""
    code: int | None = None
    reply: bytes | str = ""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        code, reply = next(iter(error.recipients.values()))
    elif isinstance(error, smtplib.SMTPDataError):
        code, reply = error.smtp_code, error.smtp_error
    if code is not None and 400 <= code < 600:
        # The server answered about this message: its code decides.
        attempt.reason = _reason(code, reply)
        attempt.outcome = Outcome.RETRY if code < 500 else Outcome.FAILED
        return
    # Anything else concerns the connection (refused, dropped, timed out, login or sender refused): retry
    # later and let the rest of the run wait, so that a server that is down does not use up every
    # recipient's attempts.
    attempt.connection_broken = True
    if isinstance(error, smtplib.SMTPResponseException):
        attempt.reason = _reason(error.smtp_code, error.smtp_error)
    else:
        attempt.reason = f"{type(error).__name__}: {error}"[:REASON_LENGTH]
    attempt.outcome = Outcome.UNCERTAIN if attempt.in_data else Outcome.RETRY


def _record(delivery_id: int, attempts: int, attempt: _Attempt, now: dt.datetime) -> Outcome:
    """Store the outcome of a claimed delivery, committed."""
    # A row another run marked "uncertain" while this worker was still talking to the server is this
    # worker's to settle: it knows the answer.
    rows = Delivery.objects.filter(
        pk=delivery_id, status__in=(DeliveryStatus.SENDING, DeliveryStatus.UNCERTAIN)
    )
    outcome = attempt.outcome
    if outcome is Outcome.RETRY and attempts >= MAX_ATTEMPTS:
        outcome = Outcome.FAILED
    with transaction.atomic():
        if outcome is Outcome.SENT:
            rows.update(status=DeliveryStatus.SENT, sent_at=now, last_error="", next_attempt_at=None)
        elif outcome is Outcome.RETRY:
            attempt.retry_due = now + BACKOFF[max(attempts, 1) - 1]
            rows.update(
                status=DeliveryStatus.RETRY, next_attempt_at=attempt.retry_due, last_error=attempt.reason
            )
        elif outcome is Outcome.FAILED:
            rows.update(status=DeliveryStatus.FAILED, next_attempt_at=None, last_error=attempt.reason)
        else:
            rows.update(status=DeliveryStatus.UNCERTAIN, next_attempt_at=None, last_error=attempt.reason)
    return outcome


def _deliver(
    newsletter: Newsletter,
    delivery: Delivery,
    connection: BaseEmailBackend,
    opted_out: set[str],
    build: Callable[[Newsletter, str], EmailMessage],
) -> tuple[Outcome, _Attempt]:
    attempt = _Attempt()
    due = Delivery.objects.filter(pk=delivery.pk, status__in=DUE_STATUSES)
    if delivery.email in opted_out:
        done = due.update(status=DeliveryStatus.OPTED_OUT, next_attempt_at=None)
        return (Outcome.OPTED_OUT if done else Outcome.SKIPPED), attempt
    try:
        message = build(newsletter, delivery.email)
    except Exception as error:
        # A message that cannot be built is never sent; say why instead of stopping the whole newsletter.
        logger.exception(
            "Newsletter %s: could not build the message for delivery %s", newsletter.pk, delivery.pk
        )
        attempt.reason = f"{type(error).__name__}: {error}"[:REASON_LENGTH]
        done = due.update(status=DeliveryStatus.FAILED, next_attempt_at=None, last_error=attempt.reason)
        return (Outcome.FAILED if done else Outcome.SKIPPED), attempt
    now = timezone.now()
    if not _claim(delivery.pk, now):
        return Outcome.SKIPPED, attempt
    try:
        _hand_over(connection, message, attempt)
    except (smtplib.SMTPException, OSError) as error:
        _classify(error, attempt)
    if attempt.connection_broken or attempt.outcome is Outcome.UNCERTAIN:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
    outcome = _record(delivery.pk, delivery.attempts + 1, attempt, timezone.now())
    return outcome, attempt


def _beat(newsletter_id: int) -> None:
    Newsletter.objects.filter(pk=newsletter_id).update(heartbeat_at=timezone.now())


def _finish(newsletter_id: int, report: SendReport, *, resume_now: bool = False) -> None:
    """Close the newsletter when nothing is left, or enqueue the next run: at once when this run stopped
    for its time budget, else for the earliest retry."""
    now = timezone.now()
    left = Delivery.objects.filter(newsletter_id=newsletter_id).aggregate(
        queued=Count("pk", filter=Q(status=DeliveryStatus.QUEUED)),
        retry=Count("pk", filter=Q(status=DeliveryStatus.RETRY)),
        sending=Count("pk", filter=Q(status=DeliveryStatus.SENDING)),
        next_at=Min("next_attempt_at", filter=Q(status=DeliveryStatus.RETRY)),
    )
    if resume_now and (left["queued"] or left["retry"]):
        enqueue_send(newsletter_id)
        report.next_run = now
        return
    if left["queued"] or left["retry"]:
        # Queued rows left after a full run mean the connection broke: they wait as long as a first retry.
        candidates = [left["next_at"]] if left["retry"] else []
        if left["queued"]:
            candidates.append(now + BACKOFF[0])
        run_after = max(min(candidates), now)
        if enqueue_send(newsletter_id, run_after=run_after):
            report.next_run = run_after
        return
    if left["sending"]:
        return  # another worker is on its last message; it closes the newsletter
    closed = Newsletter.objects.filter(
        pk=newsletter_id, status__in=(NewsletterStatus.QUEUED, NewsletterStatus.SENDING)
    ).update(status=NewsletterStatus.SENT, finished_at=now, heartbeat_at=now)
    report.finished = (
        bool(closed) or Newsletter.objects.filter(pk=newsletter_id, status=NewsletterStatus.SENT).exists()
    )


def send_pending(newsletter_id: int) -> SendReport:
    """Send every delivery of the newsletter that is due now, one SMTP connection for the run."""
    report = SendReport(newsletter_id=newsletter_id)
    newsletter = Newsletter.objects.select_related("network", "chapter").filter(pk=newsletter_id).first()
    if newsletter is None or newsletter.status == NewsletterStatus.DRAFT:
        return report
    Newsletter.objects.filter(
        pk=newsletter_id, status__in=(NewsletterStatus.QUEUED, NewsletterStatus.SENDING)
    ).update(status=NewsletterStatus.SENDING, heartbeat_at=timezone.now())
    # Left "sending" by a run that died between handing a message over and recording the answer: the server
    # may have it. Never resent automatically.
    report.uncertain = Delivery.objects.filter(
        newsletter_id=newsletter_id, status=DeliveryStatus.SENDING
    ).update(status=DeliveryStatus.UNCERTAIN)
    counters = {
        Outcome.SENT: "sent",
        Outcome.RETRY: "retry",
        Outcome.FAILED: "failed",
        Outcome.UNCERTAIN: "uncertain",
        Outcome.OPTED_OUT: "opted_out",
    }
    # A run that could go on for many minutes ends after RUN_BUDGET and enqueues its continuation, so that a
    # worker asked to stop (deploy, systemctl restart) finishes its current task well within systemd's
    # stop timeout instead of being killed mid-message. Only where a task backend runs tasks later.
    budget = RUN_BUDGET if send_newsletter_backend_defers() else None
    started = time.monotonic()
    out_of_time = False
    connection = get_connection()
    try:
        stop = False
        while not stop:
            batch = list(_due(newsletter_id, timezone.now()).order_by("pk")[:BATCH_SIZE])
            if not batch:
                break
            opted_out = opted_out_addresses(newsletter)
            for delivery in batch:
                outcome, attempt = _deliver(
                    newsletter, delivery, connection, opted_out, rendering.build_message
                )
                if outcome in counters:
                    setattr(report, counters[outcome], getattr(report, counters[outcome]) + 1)
                _beat(newsletter_id)
                if attempt.connection_broken and outcome is not Outcome.UNCERTAIN:
                    stop = True
                    break
                if budget is not None and time.monotonic() - started >= budget:
                    out_of_time = stop = True
                    break
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
    _finish(newsletter_id, report, resume_now=out_of_time)
    logger.info("Newsletter %s: %s", newsletter_id, report.as_json())
    return report


# The watchdog ------------------------------------------------------------------------------------------


def _waiting_task_newsletter_ids() -> set[int]:
    """Newsletters with a send task waiting to run (now or later) in the database backend."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from fagnett.newsletters.tasks import send_newsletter_task

    backend = send_newsletter_task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return set()
    waiting = DBTaskResult.objects.filter(
        task_path=send_newsletter_task.module_path, status="READY", backend_name=backend.alias
    ).values_list("args_kwargs", flat=True)
    ids: set[int] = set()
    for args_kwargs in waiting:
        args = (args_kwargs.get("args") or []) if isinstance(args_kwargs, dict) else []
        if args and isinstance(args[0], int):
            ids.add(args[0])
    return ids


def find_stalled(now: dt.datetime | None = None) -> list[Newsletter]:
    """Newsletters being sent whose worker has been silent for STALL_AFTER and that no task will continue."""
    limit = (now or timezone.now()) - STALL_AFTER
    candidates = list(
        Newsletter.objects.filter(status__in=(NewsletterStatus.QUEUED, NewsletterStatus.SENDING))
        .filter(Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, queued_at__lt=limit))
        .select_related("network")
        .order_by("pk")
    )
    if not candidates:
        return []
    waiting = _waiting_task_newsletter_ids()
    return [newsletter for newsletter in candidates if newsletter.pk not in waiting]


def recover(newsletter: Newsletter, now: dt.datetime | None = None) -> int:
    """Take over one stalled send: its "sending" rows become uncertain, and a new task continues the rest.
    Returns the number of rows that became uncertain."""
    moment = now or timezone.now()
    with transaction.atomic():
        uncertain = Delivery.objects.filter(newsletter=newsletter, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.UNCERTAIN
        )
        # A fresh heartbeat keeps the next watchdog run from enqueueing a second task before a worker
        # has picked this one up.
        Newsletter.objects.filter(pk=newsletter.pk).update(heartbeat_at=moment)
        log_action(
            "newsletter.send_recovered",
            actor=None,
            target=newsletter,
            network=newsletter.network,
            fields=["heartbeat_at"],
            data={"uncertain": uncertain},
        )
        newsletter_id = newsletter.pk
        transaction.on_commit(lambda: enqueue_send(newsletter_id))
    return uncertain


def recover_stalled(now: dt.datetime | None = None) -> int:
    """Recover every stalled send (see `find_stalled`); returns how many were recovered."""
    stalled = find_stalled(now)
    for newsletter in stalled:
        recover(newsletter, now)
    return len(stalled)


# What the progress page shows, and the coordinator's decision --------------------------------------------


@dataclass(frozen=True)
class StatusCount:
    status: DeliveryStatus
    label: str
    count: int


@dataclass(frozen=True)
class Progress:
    counts: dict[str, int]  # every DeliveryStatus value, zero included
    rows: list[StatusCount]  # the statuses that occur, in the order of the state machine
    total: int
    done: int  # sent, failed, opted out or uncertain: nothing more for the worker to do
    percent: int  # share done, 0–100, rounded down
    running: bool  # queued or being sent: the page refreshes itself
    page: Page[Delivery]
    page_range: list[int | None]  # page numbers to link, None where some are left out
    uncertain: list[Delivery]

    @property
    def sent(self) -> int:
        return self.counts[DeliveryStatus.SENT.value]

    @property
    def failed(self) -> int:
        return self.counts[DeliveryStatus.FAILED.value]


def progress(newsletter: Newsletter, page_number: int | str | None = 1) -> Progress:
    """Counts per status and one page of deliveries. Four queries, whatever the number of deliveries."""
    found = dict(
        Delivery.objects.filter(newsletter=newsletter)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counts = {status.value: int(found.get(status.value, 0)) for status in DeliveryStatus}
    total = sum(counts.values())
    done = sum(counts[status.value] for status in DONE_STATUSES)
    rows = [
        StatusCount(status, str(status.label), counts[status.value])
        for status in STATUS_ORDER
        if counts[status.value]
    ]
    paginator = Paginator(Delivery.objects.filter(newsletter=newsletter).order_by("email", "pk"), PAGE_SIZE)
    page = paginator.get_page(page_number)
    page.object_list = list(page.object_list)  # read here, so that the count above is the whole cost
    uncertain = list(
        Delivery.objects.filter(newsletter=newsletter, status=DeliveryStatus.UNCERTAIN).order_by(
            "email", "pk"
        )
    )
    return Progress(
        counts=counts,
        rows=rows,
        total=total,
        done=done,
        percent=(done * 100 // total) if total else 0,
        running=newsletter.status in (NewsletterStatus.QUEUED, NewsletterStatus.SENDING),
        page=page,
        page_range=[
            number if isinstance(number, int) else None
            for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        ],
        uncertain=uncertain,
    )


def resolve_uncertain(
    newsletter: Newsletter, delivery_ids: Iterable[int], action: Action, actor: User | None
) -> int:
    """The coordinator's decision about uncertain deliveries: the recipient got it ("mark_sent"), or send
    it again ("resend", accepting a possible second copy). Only uncertain rows of this newsletter change.
    Returns how many changed."""
    if action not in ("mark_sent", "resend"):
        raise ValueError(f"unknown action {action!r}")
    with transaction.atomic():
        rows = Delivery.objects.filter(
            newsletter=newsletter, status=DeliveryStatus.UNCERTAIN, pk__in=list(delivery_ids)
        )
        if action == "mark_sent":
            # When it was handed to the server is the best answer to "when was it sent".
            changed = rows.update(status=DeliveryStatus.SENT, sent_at=F("claimed_at"), last_error="")
        else:
            changed = rows.update(status=DeliveryStatus.QUEUED, next_attempt_at=None, last_error="")
        if not changed:
            return 0
        if action == "resend":
            now = timezone.now()
            Newsletter.objects.filter(pk=newsletter.pk).update(
                status=NewsletterStatus.QUEUED, finished_at=None, heartbeat_at=now
            )
            newsletter.status = NewsletterStatus.QUEUED
            newsletter.finished_at = None
            newsletter.heartbeat_at = now
            newsletter_id = newsletter.pk
            transaction.on_commit(lambda: enqueue_send(newsletter_id))
        log_action(
            "newsletter.uncertain_resolved",
            actor=actor,
            target=newsletter,
            network=newsletter.network,
            fields=["status"],
            data={"action": action, "deliveries": changed},
        )
    return changed
