import pytest


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploads go to a folder of the test's own."""
    settings.PRIVATE_FILES_DIR = tmp_path / "private"
    return settings.PRIVATE_FILES_DIR
