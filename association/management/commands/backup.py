from pathlib import Path

from django.core.management.base import BaseCommand

from association import backup


class Command(BaseCommand):
    help = "备份数据库与上传文件到指定目录（pg_dump 自定义格式 + 文件归档 + 清单）。"

    def add_arguments(self, parser):
        parser.add_argument("target", help="备份存放目录")

    def handle(self, *args, target, **options):
        folder = backup.backup(Path(target))
        self.stdout.write(self.style.SUCCESS(f"备份完成：{folder}"))
