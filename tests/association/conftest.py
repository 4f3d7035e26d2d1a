import shutil
import subprocess
from pathlib import Path

import pytest


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, not the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def chinese_catalogue(settings, tmp_path):
    """Our catalogues (locale/zh_Hans) as they are in the working tree, compiled afresh, so a
    test does not depend on setup having run compilemessages since the last change."""
    if not shutil.which("msgfmt"):
        pytest.skip("gettext (msgfmt) is not installed")
    source = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
    target = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES"
    target.mkdir(parents=True)
    for po in source.glob("*.po"):
        subprocess.run(["msgfmt", "--check", "-o", str(target / f"{po.stem}.mo"), str(po)], check=True)
    settings.LOCALE_PATHS = [tmp_path / "locale"]  # Django drops its cached catalogues on this change
