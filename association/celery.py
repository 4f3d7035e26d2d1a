"""The Celery application: workers run reports, exports, certificates and e-mail."""

import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")

app = Celery("association")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _forget_content_types(**kwargs):
    """The audit log points at content types through a per-process cache. A worker lives
    long enough to see those rows recreated (a test database flushed between tests), so
    each task looks them up afresh: one small query."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
