import pytest
from django.core.files.storage import FileSystemStorage

from talents.models import NominationMaterial


@pytest.fixture(autouse=True)
def _private_storage_in_tmp(tmp_path):
    """Materials go to a temporary private folder, never into the working tree."""
    field = NominationMaterial._meta.get_field("file")
    original = field.storage
    field.storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    yield
    field.storage = original
