from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssociationConfig(AppConfig):
    name = "association"
    verbose_name = _("科协")

    def ready(self):
        from . import (  # noqa: F401  (registers demo data, home blocks, report sections, retention rules, roles)
            demo,
            demo_news,
            home,
            report_sections,
            retention,
            roles,
        )

        # Permissions only exist once every app has migrated, so groups get theirs here:
        # Django offers no other hook after the permissions are created.
        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="association-sync-roles")


class PortalAdminConfig(AdminConfig):
    default_site = "association.admin_site.PortalAdminSite"
