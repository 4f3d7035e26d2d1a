"""Reference data the forms need from the first day: the fields list, and the reviewers' group.

The group's permissions are synced after every migrate (association.roles); the group
itself exists from here on, so staff can add reviewers before anything else runs.
"""

from django.db import migrations

FIELDS = [
    "化学化工", "新材料", "生物基材料", "石油天然气", "农业与农技推广", "畜牧兽医", "食品科学", "临床医学",
    "公共卫生", "中医药", "生态环境", "信息技术", "智能制造", "机械与装备", "能源电力", "建筑与规划",
    "经济管理", "教育", "文化旅游", "其他",
]


def forwards(apps, schema_editor):
    Field = apps.get_model("talents", "Field")
    for order, name in enumerate(FIELDS):
        Field.objects.update_or_create(name=name, defaults={"order": order})
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="评审专家")


class Migration(migrations.Migration):
    dependencies = [
        ("talents", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
