"""Staff groups and what each may do.

The groups themselves are created by a migration; after every ``migrate`` each declared
group's permissions are set to exactly what the apps declare through
``extensions.role_permissions``: a permission taken out of a declaration leaves the group,
and one added by hand in the admin does not stay. A right a single person needs (full ID
numbers and mobiles, say) is granted to that person, not to a group.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import extensions

OFFICE = "办公室"
ACADEMIC = "学会学术部"
POPSCI = "科学技术普及部"
LEADERS = "领导"
# The staff of a unit of the tree (a county 科协, a 学会, an enterprise 科协…): what they may
# do is declared by every app like a department's; whose records they do it to is the
# scoping rule's (association.scoping). A unit's 管理员 also keeps the unit's own accounts.
UNIT_STAFF = "单位工作人员"
UNIT_ADMIN = "单位管理员"
GROUPS = (OFFICE, ACADEMIC, POPSCI, LEADERS, UNIT_STAFF, UNIT_ADMIN)
# A unit's 管理员 may do whatever its 工作人员 may, and more.
INHERITS = {UNIT_ADMIN: UNIT_STAFF}
GROUP_LABELS = {
    OFFICE: _("办公室：新闻、栏目页面、组织体系、用户与角色"),
    ACADEMIC: _("学会学术部：学会、学术活动、人才库、奖项、技术需求"),
    POPSCI: _("科学技术普及部：志愿服务队、志愿者、科普活动、点单服务、科普阵地"),
    LEADERS: _("领导：查看各项工作与统计报表"),
    UNIT_STAFF: _("单位工作人员：本单位及下级单位的活动、志愿者、推荐、需求和动态"),
    UNIT_ADMIN: _("单位管理员：单位工作人员的一切，另可管理本单位的账号"),
}

# 办公室: news and pages, the organisation directory, the site's settings, accounts and
# roles, and the audit log and reports of the association's work. Not the outbox of tasks
# nor the retention runs: those are the operators' (superusers').
OFFICE_MODELS = ["article", "articleattachment", "page", "organization", "county", "unitmembership"]
extensions.role_permissions(
    OFFICE,
    [
        *(f"association.{verb}_{model}" for model in OFFICE_MODELS for verb in ("add", "change", "delete", "view")),
        "association.view_sitesettings", "association.change_sitesettings",
        "association.view_auditentry",
        # the wording of notices, and their delivery log (addresses masked)
        *(f"association.{verb}_noticetemplate" for verb in ("add", "change", "delete", "view")),
        "association.view_delivery",
        "association.view_dashboard", "association.view_reportjob", "association.add_reportjob",
        "auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group",
    ],
)
# The departments keep the organisations their work involves; counties are only picked in
# their forms (an autocomplete, which asks for the right to view them).
UNIT_WORK = ["association.view_organization", "association.change_organization", "association.add_organization",
             "association.view_county"]
extensions.role_permissions(ACADEMIC, UNIT_WORK)
extensions.role_permissions(POPSCI, UNIT_WORK)
extensions.role_permissions(LEADERS, ["association.view_*"])
# A unit publishes its own news (县区动态, 学会动态), keeps its own entry and the units below it
# in the directory, sees its figures and asks for its reports.
extensions.role_permissions(
    UNIT_STAFF,
    [
        *(f"association.{verb}_{model}" for model in ("article", "articleattachment") for verb in ("add", "change", "view")),
        "association.view_organization", "association.change_organization", "association.add_organization",
        "association.view_county",
        "association.view_dashboard", "association.view_reportjob", "association.add_reportjob",
    ],
)
extensions.role_permissions(
    UNIT_ADMIN, ["association.view_unitmembership", "association.add_unitmembership", "association.change_unitmembership"]
)
# 接口令牌: a unit's 管理员 and the city office make data-exchange tokens for themselves (the
# admin never makes one for someone else), see those of their unit and revoke them; the
# office also sees, and revokes, the volunteers' tokens.
API_TOKENS = ["association.view_apitoken", "association.add_apitoken"]
extensions.role_permissions(UNIT_ADMIN, API_TOKENS)
extensions.role_permissions(OFFICE, API_TOKENS)


# Django names the permissions it makes "Can add <model>" in English whatever the language;
# the user and group forms list hundreds of them, so they are renamed: 添加新闻.
DEFAULT_PERMISSION_VERBS = {"add": "添加", "change": "修改", "delete": "删除", "view": "查看"}


def name_default_permissions_in_chinese(using: str = "default") -> int:
    from django.contrib.auth.models import Permission

    renamed = []
    # migrate turns translation off, which would leave the models of Django and of the
    # packages (their names are English msgids) as 添加 user, 查看 periodic task.
    with translation.override(settings.LANGUAGE_CODE):
        for perm in Permission.objects.using(using).select_related("content_type"):
            verb, _sep, model_name = perm.codename.partition("_")
            model = perm.content_type.model_class()
            if verb not in DEFAULT_PERMISSION_VERBS or model is None or model_name != model._meta.model_name:
                continue
            noun = str(model._meta.verbose_name)
            name = f"{DEFAULT_PERMISSION_VERBS[verb]}{' ' if noun[:1].isascii() else ''}{noun}"[:255]
            if perm.name != name:
                perm.name = name
                renamed.append(perm)
    Permission.objects.using(using).bulk_update(renamed, ["name"])
    return len(renamed)


def sync_role_permissions(sender=None, **kwargs):
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group

    # post_migrate reaches this receiver once for each app: the work is done once, at the
    # last app, making every app's permissions first (auth may not have made the last
    # app's yet; it is idempotent) so that none is left in English.
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is not None and sender is not last:
        return
    using = kwargs.get("using", "default")
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, interactive=False, using=using, apps=apps)
    name_default_permissions_in_chinese(using)
    for group_name in extensions.all_role_permissions():
        group, _created = Group.objects.using(using).get_or_create(name=group_name)
        group.permissions.set(declared_permissions(group_name, using))


def declared_permissions(group_name: str, using: str = "default") -> set[int]:
    """The ids of the permissions the apps declare for ``group_name`` (``app.codename``,
    ``app.prefix*`` or ``app.*``)."""
    from django.contrib.auth.models import Permission

    wanted = set()
    declared = extensions.all_role_permissions()
    specs = [*declared.get(group_name, []), *declared.get(INHERITS.get(group_name, ""), [])]
    for spec in specs:
        app_label, _dot, codename = spec.partition(".")
        qs = Permission.objects.using(using).filter(content_type__app_label=app_label)
        if codename == "*":
            pass
        elif codename.endswith("*"):
            qs = qs.filter(codename__startswith=codename[:-1])
        else:
            qs = qs.filter(codename=codename)
        wanted.update(qs.values_list("pk", flat=True))
    return wanted
