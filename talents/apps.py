from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentsConfig(AppConfig):
    name = "talents"
    verbose_name = _("人才与奖项")

    def ready(self):
        # Contributions to the core: roles, home block and figures, demo and synthetic
        # data, report sections, notices.
        from association import extensions

        from . import demo, home, notices, reports, return_rules, rights, roles, synthetic, workbench  # noqa: F401

        extensions.api_router(40, "talents", "talents.api.router")
