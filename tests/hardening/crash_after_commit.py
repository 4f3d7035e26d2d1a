"""Run by tests/hardening/test_outbox_crash.py as a process of its own, the way a web
worker runs the services, and killed at one chosen moment (``os._exit``: no clean-up, no
on-commit hooks after it, the database connection simply dropped):

    python -m tests.hardening.crash_after_commit signup EVENT_ID
        sign one person up (with an e-mail, so a notice is due) and die once the sign-up
        has committed, as the task is handed to the broker;
    python -m tests.hardening.crash_after_commit report YEAR
        ask for the annual report and die as its task is asked for.

The environment gives the test database (DATABASE_URL) as for the test worker.
"""

import os
import sys

KILLED = 9


def die(*args, **kwargs):
    os._exit(KILLED)


def main(what: str, value: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from association import queue

    if what == "signup":
        from events.services import registrations

        queue._send = die  # the moment between commit and send
        registrations.register(event_id=value, name="李华", mobile="13912345678", email="lihua@example.com")
    elif what == "report":
        from association.reports import services

        queue.enqueue = die  # the moment the job is made and its task asked for
        services.request_report(report="annual", year=value)
    sys.exit("the process was meant to die before this line")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
