"""System checks that keep the scoping rule from being forgotten (``association.scoping``).

- ``association.E100``: a model of the portal's own apps that does not say whose work its
  rows are (``unit_owner``);
- ``association.E101``: a declared owner path that does not lead to an organisation;
- ``association.E102``: an admin of a model that is a unit's work or the city's own that
  does not go through ``admin_scoping.ScopedAdminMixin``.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import get_fields_from_path
from django.core import checks
from django.core.exceptions import FieldDoesNotExist

from . import scoping


def portal_models():
    """The models of the apps that live in this repository (not the installed packages)."""
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and ".venv" not in path.parts and "site-packages" not in path.parts:
            yield from config.get_models()


def owner_errors(models) -> list[checks.CheckMessage]:
    from .models import Organization

    errors = []
    for model in models:
        label = model._meta.label
        path = scoping.owner_path(model)
        if path is None:
            errors.append(checks.Error(
                f"{label} 没有声明所属单位（unit_owner）。",
                hint="写明记录归哪个单位：指向组织体系的字段路径（如 \"organiser\"），"
                     "或 scoping.SHARED（公共基础数据）、scoping.CITY（市科协自己的记录）。",
                obj=model, id="association.E100",
            ))
            continue
        if path in scoping.MARKERS:
            continue
        if path in ("id", "pk"):
            if model is not Organization:
                errors.append(checks.Error(f"{label} 的 unit_owner = \"{path}\" 只适用于组织体系本身。",
                                           obj=model, id="association.E101"))
            continue
        try:
            field = get_fields_from_path(model, path)[-1]
        except (FieldDoesNotExist, AttributeError):
            field = None
        if field is None or not field.is_relation or field.related_model is not Organization or field.many_to_many:
            errors.append(checks.Error(
                f"{label} 的 unit_owner = \"{path}\" 没有指向组织体系中的一个单位。",
                obj=model, id="association.E101",
            ))
    return errors


def admin_errors(registry) -> list[checks.CheckMessage]:
    from .admin_scoping import ScopedAdminMixin

    portal = set(portal_models())
    errors = []
    for model, model_admin in registry.items():
        if model not in portal or scoping.owner_path(model) in (None, scoping.SHARED):
            continue
        if not isinstance(model_admin, ScopedAdminMixin):
            errors.append(checks.Error(
                f"{type(model_admin).__name__}（{model._meta.label}）没有经过单位范围限制。",
                hint="把 association.admin_scoping.ScopedAdminMixin 放在它的基类最前面。",
                obj=type(model_admin), id="association.E102",
            ))
    return errors


@checks.register(checks.Tags.models)
def unit_owners_declared(app_configs=None, **kwargs):
    return owner_errors(portal_models())


@checks.register(checks.Tags.admin)
def admins_scoped(app_configs=None, **kwargs):
    from django.contrib import admin

    return admin_errors(admin.site._registry)


def scale_out_warnings(config) -> list[checks.CheckMessage]:
    """Settings of several machines that contradict each other (README: Scaling out)."""
    warnings = []
    if getattr(config, "DATABASE_POOLER", False) and getattr(config, "DATABASE_SERVER_TIMEOUTS", False):
        warnings.append(checks.Warning(
            "DATABASE_POOLER=1 与 DATABASE_SERVER_TIMEOUTS=1 同时打开：连接时的 SET 会留在 PgBouncer 共用的服务器连接上。",
            hint="在 PgBouncer 后面关闭 DATABASE_SERVER_TIMEOUTS，由 PgBouncer 的 server_idle_timeout、"
                 "idle_transaction_timeout 代替。",
            id="association.W110",
        ))
    if "replica" in config.DATABASES and config.REPLICA_PIN_SECONDS < config.REPLICA_MAX_LAG_SECONDS:
        warnings.append(checks.Warning(
            f"REPLICA_PIN_SECONDS（{config.REPLICA_PIN_SECONDS} 秒）短于允许的只读副本延迟 "
            f"REPLICA_MAX_LAG_SECONDS（{config.REPLICA_MAX_LAG_SECONDS} 秒）：刚提交过的人可能读到自己改动之前的数据。",
            hint="把 REPLICA_PIN_SECONDS 设为不小于 REPLICA_MAX_LAG_SECONDS。",
            id="association.W111",
        ))
    return warnings


@checks.register(checks.Tags.database, deploy=True)
def scale_out_settings(app_configs=None, **kwargs):
    return scale_out_warnings(settings)
