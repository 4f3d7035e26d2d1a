"""志愿者编号 and 证明编号: two sequences and the functions that format them, existing
rows numbered in the order they were made (then the sequences go on from there); who
issues a certificate and its revocation."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import volunteers.models.people
import volunteers.models.records

CITY_CODE = "4109"  # 濮阳市 (GB/T 2260: 410900)
TZ = "Asia/Shanghai"


def _function(name: str, sequence: str, prefix: str) -> str:
    # The sequence number is at least six digits and never cut short, so numbers cannot collide.
    return (
        f"CREATE FUNCTION {name}() RETURNS varchar LANGUAGE sql VOLATILE AS $$ "
        f"SELECT '{prefix}' || to_char(now() AT TIME ZONE '{TZ}', 'YYYY') "
        f"|| lpad(n::text, greatest(6, length(n::text)), '0') FROM nextval('{sequence}') AS n $$"
    )


def _backfill(table: str, created: str, sequence: str, prefix: str) -> str:
    return (
        f"WITH o AS (SELECT id, {created} AS t, row_number() OVER (ORDER BY {created}, id) AS n FROM {table}) "
        f"UPDATE {table} r SET number = '{prefix}' || to_char(o.t AT TIME ZONE '{TZ}', 'YYYY') "
        f"|| lpad(o.n::text, greatest(6, length(o.n::text)), '0') FROM o WHERE o.id = r.id; "
        f"SELECT setval('{sequence}', greatest((SELECT count(*) FROM {table}), 1), (SELECT count(*) FROM {table}) > 0)"
    )


SETUP = [
    "CREATE SEQUENCE volunteers_volunteer_number_seq",
    "CREATE SEQUENCE volunteers_certificate_number_seq",
    _function("volunteers_next_volunteer_number", "volunteers_volunteer_number_seq", CITY_CODE),
    _function("volunteers_next_certificate_number", "volunteers_certificate_number_seq", "ZM"),
]
TEARDOWN = [
    "DROP FUNCTION volunteers_next_volunteer_number()",
    "DROP FUNCTION volunteers_next_certificate_number()",
    "DROP SEQUENCE volunteers_volunteer_number_seq",
    "DROP SEQUENCE volunteers_certificate_number_seq",
]


class Migration(migrations.Migration):

    dependencies = [
        ('association', '0012_cert'),
        ('volunteers', '0007_pipl_personal_data_rights'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(SETUP, TEARDOWN),
        migrations.AddField(
            model_name='volunteer',
            name='number',
            field=models.CharField(editable=False, max_length=20, null=True, verbose_name='志愿者编号'),
        ),
        migrations.AddField(
            model_name='hourscertificate',
            name='number',
            field=models.CharField(editable=False, max_length=20, null=True, verbose_name='证明编号'),
        ),
        migrations.AddField(
            model_name='hourscertificate',
            name='contact_phone',
            field=models.CharField(blank=True, max_length=40, verbose_name='联系电话'),
        ),
        migrations.AddField(
            model_name='hourscertificate',
            name='handler',
            field=models.CharField(blank=True, max_length=50, verbose_name='经办人'),
        ),
        migrations.AddField(
            model_name='hourscertificate',
            name='issued_on',
            field=models.DateField(blank=True, null=True, verbose_name='出具日期'),
        ),
        migrations.AddField(
            model_name='hourscertificate',
            name='issuer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='association.organization', verbose_name='出具单位'),
        ),
        migrations.AddField(
            model_name='hourscertificate',
            name='issuer_name',
            field=models.CharField(blank=True, max_length=120, verbose_name='出具单位名称'),
        ),
        migrations.AddField(
            model_name='hourscertificate',
            name='revocation_reason',
            field=models.TextField(blank=True, verbose_name='撤销原因'),
        ),
        migrations.AddField(
            model_name='hourscertificate',
            name='revoked_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='撤销时间'),
        ),
        migrations.AddField(
            model_name='hourscertificate',
            name='revoked_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='撤销人'),
        ),
        migrations.RunSQL(
            [_backfill("volunteers_volunteer", "created", "volunteers_volunteer_number_seq", CITY_CODE),
             _backfill("volunteers_hourscertificate", "requested_at", "volunteers_certificate_number_seq", "ZM"),
             f"UPDATE volunteers_hourscertificate SET issued_on = (requested_at AT TIME ZONE '{TZ}')::date"],
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='hourscertificate',
            name='code',
            field=models.CharField(max_length=16, unique=True, verbose_name='核验码'),
        ),
        migrations.AlterField(
            model_name='hourscertificate',
            name='status',
            field=models.CharField(choices=[('pending', '生成中'), ('ready', '已生成'), ('failed', '生成失败'), ('revoked', '已撤销')], default='pending', max_length=10, verbose_name='状态'),
        ),
        migrations.AlterField(
            model_name='hourscertificate',
            name='number',
            field=models.CharField(db_default=volunteers.models.records.NextCertificateNumber(), editable=False, max_length=20, unique=True, verbose_name='证明编号'),
        ),
        migrations.AlterField(
            model_name='volunteer',
            name='number',
            field=models.CharField(db_default=volunteers.models.people.NextVolunteerNumber(), editable=False, help_text='注册时自动生成，终身不变，不会重复使用。', max_length=20, unique=True, verbose_name='志愿者编号'),
        ),
    ]
