from django.core.cache import cache
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
        # The home page's and the dashboard's figures are cached for minutes (and Redis outlives a
        # rebuilt database): drop the cache's own keys so the new data shows at once. Only keys
        # under the cache's prefix and version go; the Celery queues in the same Redis stay.
        delete_pattern = getattr(cache, "delete_pattern", None)
        if delete_pattern:
            delete_pattern("*")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
