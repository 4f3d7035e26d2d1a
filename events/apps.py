from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("活动")

    def ready(self):
        # Registers demo data, synthetic data, the home block, headline figures, role
        # permissions and the annual report sections.
        from association.extensions import api_router

        from . import (  # noqa: F401
            demo,
            extensions,
            generate,
            notices,
            reports,
            retention,
            return_rules,
            rights,
            workbench,
        )

        # The open API: the public events, and a volunteer's sign-ups and check-ins; the
        # units' data exchange (unit tokens, scoped).
        api_router(20, "events", "events.api.router")
        api_router(32, "me/events", "events.api.me_router")
        api_router(60, "exchange/events", "events.api_exchange.router")
