from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("志愿服务")

    def ready(self):
        # Registers demo data, synthetic data, the home block, figures, roles and report sections.
        from association.extensions import api_router

        from . import (  # noqa: F401
            contributions,
            demo,
            me_rights,
            notices,
            reports,
            retention,
            return_rules,
            synthetic,
            workbench,
        )

        # The open API: public teams and projects, a volunteer's own (/api/v1/me/), and the
        # units' data exchange (unit tokens, scoped).
        api_router(30, "volunteers", "volunteers.api.router")
        api_router(31, "me", "volunteers.api.me_router")
        api_router(61, "exchange/volunteers", "volunteers.api_exchange.router")
