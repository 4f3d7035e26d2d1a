"""What the real worker (``celery_worker_process``) sent, as a person would receive it: the
e-mails it wrote to files and the text messages the console SMS backend wrote to its log,
and a wait for its deliveries to leave the queue."""

import email
import email.policy
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAIL_DIR = ROOT / ".pytest_cache" / "worker-mail"
LOG = ROOT / ".pytest_cache" / "celery-worker.log"


def mails_to(address: str) -> list:
    """Every e-mail the worker sent to ``address`` (subject and body decoded)."""
    found = []
    for path in sorted(MAIL_DIR.glob("*.log")):
        # The file backend writes each message followed by a line of 79 dashes.
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk.lstrip(b"\n"), policy=email.policy.default)
            if address in str(message.get("To", "")):
                body = message.get_body(("plain",))
                found.append({"subject": str(message["Subject"]).strip(), "body": body.get_content() if body else ""})
    return found


def sms_lines(masked_mobile: str) -> list[str]:
    """The console SMS backend's lines for that (masked) number."""
    if not LOG.exists():
        return []
    return [line for line in LOG.read_text(errors="replace").splitlines() if f"SMS to {masked_mobile} " in line]


def wait_until_sent(queryset, *, timeout: float = 30.0, expected: int | None = None) -> None:
    """Wait until none of these deliveries is queued (and, if given, ``expected`` exist)."""
    from association import queue
    from association.models import Delivery

    started = time.time()
    deadline = started + timeout
    while time.time() < deadline:
        if time.time() - started > 5:
            queue.flush_outbox(min_age=0)  # what beat's relay does in production, should the fast path have missed
        rows = queryset.all()
        if rows.exists() and not rows.filter(status=Delivery.Status.QUEUED).exists() and (
                expected is None or rows.count() >= expected):
            time.sleep(0.2)  # the log and the mail file are written before the row is marked; let them flush
            return
        time.sleep(0.2)
    raise AssertionError(f"deliveries still queued after {timeout} s: {list(queryset.values('kind', 'channel', 'status'))}")


def send_queued() -> int:
    """Send, in the test process, every notice still queued (as the worker would: their
    e-mails land in ``mail.outbox``); for tests that run tasks by hand."""
    from association.models import Delivery
    from association.notices import service

    ids = list(Delivery.objects.filter(status=Delivery.Status.QUEUED).values_list("pk", flat=True))
    service.send_deliveries(ids)
    return len(ids)
