"""Writes static/img/icons.svg: the Bootstrap Icons glyphs the portal uses, and no other.

    python manage.py build_icons            # fetches the package with npm into .cache/ once
    python manage.py build_icons --source path/to/bootstrap-icons/icons
    python manage.py build_icons --check    # exit 1 if a used glyph is missing from the sprite

Run it after using a new icon name; commit the sprite."""

import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from association import icons


def fetch_package() -> Path:
    cache = Path(settings.BASE_DIR) / ".cache" / f"bootstrap-icons-{icons.VERSION}"
    if not (cache / "package" / "icons").is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["npm", "pack", f"bootstrap-icons@{icons.VERSION}", "--silent"], cwd=cache, capture_output=True, text=True,
            check=False,
        )
        if done.returncode:
            raise CommandError(f"npm pack bootstrap-icons@{icons.VERSION} failed: {done.stderr.strip()}")
        with tarfile.open(cache / done.stdout.strip().splitlines()[-1]) as archive:
            archive.extractall(cache, filter="data")
    return cache / "package" / "icons"


class Command(BaseCommand):
    help = "Build the SVG sprite of the icons in use (static/img/icons.svg)."

    def add_arguments(self, parser):
        parser.add_argument("--source", help="the icons/ folder of the bootstrap-icons package")
        parser.add_argument("--check", action="store_true", help="only check that every used icon is in the sprite")

    def handle(self, *args, source=None, check=False, **options):
        names = icons.used_names()
        if check:
            missing = names - icons.names_in_sprite()
            if missing:
                raise CommandError("icons missing from the sprite (run manage.py build_icons): " + ", ".join(sorted(missing)))
            self.stdout.write(f"{len(names)} icons, all in the sprite.")
            return
        folder = Path(source) if source else fetch_package()
        unknown = sorted(name for name in names if not (folder / f"{name}.svg").is_file())
        if unknown:
            raise CommandError("no such Bootstrap icon: " + ", ".join(unknown))
        path = icons.sprite_path()
        path.write_text(icons.build_sprite(names, folder), "utf-8")
        self.stdout.write(f"{path}: {len(names)} icons, {path.stat().st_size} bytes.")
