import random
import time

from django.core.management.base import BaseCommand

from association import extensions


class Command(BaseCommand):
    help = "生成用于性能测试的合成数据（确定性：同一规模每次生成相同的数据）。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=extensions.SCALES, default="small")

    def handle(self, *args, scale, **options):
        for entry in extensions.data_generators():
            random.seed(f"{entry.name}:{scale}")
            started = time.perf_counter()
            entry.func(scale, self.stdout)
            self.stdout.write(f"· {entry.name}: {time.perf_counter() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS(f"{scale} 规模数据已生成。"))
