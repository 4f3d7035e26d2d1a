"""Staff groups and what each may do.

The groups themselves are created by a migration; their permissions are synced after
every ``migrate`` from what each app declares through ``extensions.role_permissions``.
"""

from django.utils.translation import gettext_lazy as _

from . import extensions

OFFICE = "办公室"
ACADEMIC = "学会学术部"
POPSCI = "科学技术普及部"
LEADERS = "领导"
GROUPS = (OFFICE, ACADEMIC, POPSCI, LEADERS)
GROUP_LABELS = {
    OFFICE: _("办公室：新闻、栏目页面、组织体系、用户与角色"),
    ACADEMIC: _("学会学术部：学会、学术活动、人才库、奖项、技术需求"),
    POPSCI: _("科学技术普及部：志愿服务队、志愿者、科普活动、点单服务、科普阵地"),
    LEADERS: _("领导：查看各项工作与统计报表"),
}

extensions.role_permissions(
    OFFICE,
    ["association.*", "auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group"],
)
extensions.role_permissions(ACADEMIC, ["association.view_organization", "association.change_organization", "association.add_organization"])
extensions.role_permissions(POPSCI, ["association.view_organization", "association.change_organization", "association.add_organization"])
extensions.role_permissions(LEADERS, ["association.view_*"])


def sync_role_permissions(sender=None, **kwargs):
    from django.contrib.auth.models import Group, Permission

    using = kwargs.get("using", "default")
    for group_name, specs in extensions.all_role_permissions().items():
        group, _created = Group.objects.using(using).get_or_create(name=group_name)
        wanted = set()
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
        group.permissions.add(*wanted)
