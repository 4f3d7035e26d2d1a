"""The Celery application: workers run reports, exports, certificates and e-mail."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")

app = Celery("association")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
