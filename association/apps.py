from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _
from django_celery_beat.apps import BeatConfig
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig


class AssociationConfig(AppConfig):
    name = "association"
    verbose_name = _("科协")

    def ready(self):
        from . import (  # noqa: F401  (registers demo data, home blocks, report sections, retention rules, roles, log-in signals, checks)
            checks,
            demo,
            demo_news,
            home,
            opendata,
            report_sections,
            retention,
            return_rules,
            roles,
            security,
        )
        from .notices import links  # noqa: F401  (我的消息 in the top bar and on the volunteer's page)

        # Permissions only exist once every app has migrated, so groups get theirs here:
        # Django offers no other hook after the permissions are created.
        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="association-sync-roles")
        # Kept parts of pages follow every writer of the rows they show (admin, services,
        # imports, scripts): Django offers no other hook that all of them pass through.
        from . import fragments

        fragments.connect()
        # A unit added, moved or removed changes whose work its staff and those above see.
        from . import scoping
        from .models import Organization

        post_save.connect(scoping.tree_changed, sender=Organization, dispatch_uid="association-tree-saved")
        post_delete.connect(scoping.tree_changed, sender=Organization, dispatch_uid="association-tree-deleted")
        # Wherever a user is shown (录入人, 审核人, the audit log's actor, the admin's lists,
        # filters and pickers), the person's name; the username only for an account without one.
        from django.contrib.auth import get_user_model

        from .models import person_name

        get_user_model().__str__ = person_name


class PortalAdminConfig(AdminConfig):
    default_site = "association.admin_site.PortalAdminSite"

    def ready(self):
        super().ready()
        # Django's yes/no icons carry "True"/"False" as their text, which screen readers
        # read out in English: 是 / 否 / 未知 instead (every list, and read-only fields).
        from django.contrib.admin.templatetags import admin_list
        from django.templatetags.static import static
        from django.utils.html import format_html

        labels = {True: ("yes", "是"), False: ("no", "否"), None: ("unknown", "未知")}

        def boolean_icon(field_val):
            icon, label = labels[field_val]
            return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), label)

        admin_list._boolean_icon = boolean_icon


# The packages below name their admin section after the Python package ("Axes", "Otp_Totp")
# or leave some of their models' texts in plain English; these subclasses, listed in
# INSTALLED_APPS instead, give the staff Chinese.


class AxesConfig(AxesAppConfig):
    verbose_name = _("登录防护")


class CeleryBeatConfig(BeatConfig):
    def ready(self):
        super().ready()
        mark_for_translation(self.get_model("PeriodicTask"))


class TOTPConfig(TOTPAppConfig):
    verbose_name = _("两步验证")

    def ready(self):
        mark_for_translation(self.get_model("TOTPDevice"))


class CaptchaConfig(AppConfig):
    """django-simple-captcha, the picture code asked of busy addresses (association/throttle.py)."""

    name = "captcha"
    label = "captcha"
    verbose_name = _("验证码")
    default_auto_field = "django.db.models.AutoField"
class StaticTokenConfig(StaticAppConfig):
    """django-otp's backup codes (静态令牌): each staff member's ten single-use codes."""

    verbose_name = _("两步验证备用码")

    def ready(self):
        mark_for_translation(self.get_model("StaticDevice"))
        mark_for_translation(self.get_model("StaticToken"))


def mark_for_translation(model) -> None:
    """Let the catalogue translate the names and help texts a package left as plain strings.

    django-otp writes its model's texts without ``gettext`` (django-celery-beat one field's
    name), so the admin shows them in English whatever the language. Wrapped lazily, the same
    English text is the msgid, translated in ``locale/zh_Hans/LC_MESSAGES/django.po``.
    Migrations see no change: they read the model's original Meta and the fields' own
    arguments, and compare help texts with translation off.
    """
    opts = model._meta
    if isinstance(opts.verbose_name, str):
        if "verbose_name_plural" not in opts.original_attrs:
            opts.verbose_name_plural = _(f"{opts.verbose_name}s")  # Django's own plural of a plain name
        opts.verbose_name = _(opts.verbose_name)
    for field in opts.concrete_fields:
        if isinstance(field.verbose_name, str):
            field.verbose_name = _(field.verbose_name)
        if isinstance(field.help_text, str) and field.help_text:
            field.help_text = _(field.help_text)
