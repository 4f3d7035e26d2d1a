import environ
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from association import roles
from association.models import Organization, UnitMembership
from association.services import units as unit_services

DEMO_STAFF = [
    ("admin", "系统管理员", None),
    ("office", "办公室工作人员", roles.OFFICE),
    ("academic", "学会学术部工作人员", roles.ACADEMIC),
    ("popsci", "科普部工作人员", roles.POPSCI),
    ("leader", "市科协领导", roles.LEADERS),
]
# One account for each kind of unit the tree holds (username, name, unit, role): each sees
# only its own unit's and its subtree's work.
DEMO_UNITS = [
    ("hualong", "华龙区科协管理员", "华龙区科协", UnitMembership.Role.ADMIN),
    ("huagong", "化工学会秘书处", "濮阳市化工学会", UnitMembership.Role.ADMIN),
    ("yuanbo", "源博新材料科协", "河南源博新材料有限公司科协", UnitMembership.Role.ADMIN),
    ("shucai", "蔬菜农技协", "濮阳县蔬菜种植农技协", UnitMembership.Role.STAFF),
]


class Command(BaseCommand):
    help = "创建演示用的管理员与各部门工作人员账号（密码取自环境变量 DEMO_ADMIN_PASSWORD）。"

    def handle(self, *args, **options):
        password = environ.Env()("DEMO_ADMIN_PASSWORD", default="")
        if len(password) < 8:
            raise CommandError("请在 .env 中设置 DEMO_ADMIN_PASSWORD（至少 8 位）。")
        User = get_user_model()
        for username, full_name, group in DEMO_STAFF:
            user, created = User.objects.get_or_create(username=username)
            if user.last_name != full_name and user.last_name.replace(" ", "") == full_name:
                user.last_name = full_name  # earlier demo runs wrote "办公室 工作人员"
                user.save(update_fields=["last_name"])
            if created:
                user.last_name = full_name
                user.is_staff = True
                user.is_superuser = group is None
                user.set_password(password)
                user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
        made = [u for u, _n, _g in DEMO_STAFF]
        for username, full_name, unit_name, role in DEMO_UNITS:
            unit = Organization.objects.filter(name=unit_name).first()
            if unit is None or User.objects.filter(username=username).exists():
                made += [username] if unit is not None else []
                continue
            user = User.objects.create_user(username=username, password=password, last_name=full_name, is_staff=True)
            user.groups.add(Group.objects.get(name=unit_services.ROLE_GROUPS[role]))
            UnitMembership.objects.create(user=user, organization=unit, role=role)
            made.append(username)
        self.stdout.write("演示账号：" + "、".join(made))
