"""Every task is sent to the queue of its kind: mail, reports or the default one."""

from django.apps import apps

from config.celery import DEFAULT_QUEUE, MAIL_QUEUE, REPORTS_QUEUE, ROUTES, app, queue_of


def _portal_tasks() -> set[str]:
    app.loader.import_default_modules()
    labels = {config.name for config in apps.get_app_configs()}
    return {name for name in app.tasks if name.split(".")[0] in labels and not name.startswith("celery.")}


def test_every_task_of_the_portal_is_placed_on_a_queue_on_purpose():
    listed = [name for names in ROUTES.values() for name in names]
    assert len(listed) == len(set(listed)), "a task is listed on two queues"
    assert _portal_tasks() - set(listed) == set(), "add the task to ROUTES in config/celery.py"
    assert set(listed) - _portal_tasks() == set(), "ROUTES names a task that does not exist"


def test_mail_goes_to_mail_reports_to_reports_and_housekeeping_to_the_default_queue():
    assert {queue_of(name) for name in (
        "association.send_password_reset", "events.tasks.send_registration_notice",
        "events.tasks.send_event_cancelled_notices", "volunteers.tasks.send_review_notice",
        "volunteers.tasks.send_order_link",
    )} == {MAIL_QUEUE}
    assert {queue_of(name) for name in (
        "association.tasks.run_report_job", "association.tasks.send_monthly_summary", "association.warm_dashboard",
        "events.tasks.build_roster_export", "volunteers.tasks.build_hours_certificate",
    )} == {REPORTS_QUEUE}
    assert {queue_of(name) for name in (
        "association.flush_outbox", "association.apply_retention", "association.sweep_report_jobs",
        "events.tasks.finish_past_events",
    )} == {DEFAULT_QUEUE}


def test_a_new_notice_task_named_send_goes_to_mail_before_it_is_listed():
    assert queue_of("talents.tasks.send_objection_receipt") == MAIL_QUEUE
