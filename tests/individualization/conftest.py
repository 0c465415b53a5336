from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def private_files(settings: Any, tmp_path: Path) -> Path:
    """Evaluations' files go to a folder of the test's own."""
    settings.PRIVATE_FILES_DIR = tmp_path / "private"
    return settings.PRIVATE_FILES_DIR
