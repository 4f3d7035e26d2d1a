import pytest


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, not the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
