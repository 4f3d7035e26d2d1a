from django.core.management.base import BaseCommand
from django.db import transaction

from association import extensions


class Command(BaseCommand):
    help = "载入演示数据（来自 shared/seeds 的真实名称与数字）；可重复运行，不会重复写入。"

    def handle(self, *args, **options):
        for entry in extensions.demo_loaders():
            self.stdout.write(f"· {entry.name}")
            with transaction.atomic():
                entry.func(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
