import environ
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from association import roles

DEMO_STAFF = [
    ("admin", "系统管理员", None),
    ("office", "办公室工作人员", roles.OFFICE),
    ("academic", "学会学术部工作人员", roles.ACADEMIC),
    ("popsci", "科普部工作人员", roles.POPSCI),
    ("leader", "市科协领导", roles.LEADERS),
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
        self.stdout.write("演示账号：" + "、".join(u for u, _n, _g in DEMO_STAFF))
