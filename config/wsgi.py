import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from association.dbsessions import enable_server_timeouts  # noqa: E402  (needs the settings loaded above)

enable_server_timeouts()
