"""``manage.py import_framework``: the one way to write a shared framework."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tessera.curriculum.models import Framework
from tests.curriculum.documents import small


def test_imports_a_shared_framework_and_a_schools_own(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "framework.json"
    path.write_text(json.dumps(small()))
    out = StringIO()
    call_command("import_framework", str(path), "--shared", stdout=out)
    assert "Imported framework “Small maths” (shared)." in out.getvalue()
    call_command("import_framework", str(path), "--school", world.a.school.slug, stdout=out)
    assert sorted(Framework.objects.values_list("school_id", flat=True), key=str) == [world.a.school.pk, None]


def test_a_bad_file_lists_its_errors_and_imports_nothing(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = small()
    document["items"][0]["kind"] = "essay"
    path = tmp_path / "framework.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match=r"\$\.items\[0\]\.kind: unknown item kind"):
        call_command("import_framework", str(path), "--shared")
    with pytest.raises(CommandError, match="No school"):
        call_command("import_framework", str(path), "--school", "nowhere")
    assert Framework.objects.count() == 0
