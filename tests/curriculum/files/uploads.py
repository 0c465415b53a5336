"""Small files for upload tests, by their first bytes."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tessera.curriculum.files import services
from tessera.curriculum.models import CurriculumFile
from tessera.schools.models import School, User

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
PDF = b"%PDF-1.4\n" + b"0" * 40


def png(name: str = "half.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name: str = "sheet.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def uploaded(school: School, actor: User, *, document: bool = False) -> CurriculumFile:
    """A file kept for ``school``'s curriculum, uploaded by ``actor`` (one of its writers)."""
    stored, _snippet = services.file_add(
        actor=actor, school=school, upload=pdf() if document else png(), alt="A circle cut in two halves"
    )
    return stored
