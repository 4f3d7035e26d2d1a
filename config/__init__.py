"""The project package: settings, the root URLs, WSGI/ASGI, the Celery app and gunicorn's
logger. Wiring only: the apps (``association`` at the bottom, then ``volunteers``,
``events``, ``talents``) hold everything else and import nothing from here."""

from .celery import app as celery_app

__all__ = ("celery_app",)
