from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    name = "returns"
    verbose_name = _("综合统计年报")

    def ready(self):
        from django.db.models.signals import post_migrate

        from association.extensions import api_router

        from . import (  # noqa: F401  (the rights, demo returns, notices, the annual report's section)
            catalogue,
            demo,
            notices,
            reports,
            roles,
            sections,
            workbench,
        )

        # 单位数据交换 (unit tokens, scoped): the router is imported when the API is built.
        api_router(62, "exchange/returns", "returns.api.router")

        # The catalogue files are the source: after every migrate the tables of each year
        # are made to match them.
        post_migrate.connect(catalogue.sync_after_migrate, sender=self, dispatch_uid="returns-catalogue")
