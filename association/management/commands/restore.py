from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from association import backup


class Command(BaseCommand):
    help = "把备份恢复到一个新的数据库（不会覆盖现有数据库），并核对每张表的记录数。"

    def add_arguments(self, parser):
        parser.add_argument("folder", help="backup 命令生成的备份目录")
        parser.add_argument("--database", required=True, help="新数据库的名称（必须尚不存在）")
        parser.add_argument("--media-root", default=str(settings.MEDIA_ROOT))
        parser.add_argument("--private-media-root", default=str(settings.PRIVATE_MEDIA_ROOT))

    def handle(self, *args, folder, database, media_root, private_media_root, **options):
        missing = backup.restore(
            Path(folder), database=database, media_root=Path(media_root), private_media_root=Path(private_media_root)
        )
        if missing:
            lines = "\n".join(f"  {t}: 应有 {e}，实有 {f}" for t, (e, f) in missing.items())
            raise CommandError(f"恢复后记录数不符：\n{lines}")
        self.stdout.write(self.style.SUCCESS(f"已恢复到数据库 {database}，每张表的记录数与备份一致。"))
