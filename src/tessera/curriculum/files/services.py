"""The school's uploaded images and documents for items and resources (:class:`CurriculumFile`): checked by
their first bytes (never by their name or declared type) and their size, kept under a random name in
``PRIVATE_FILES_DIR/curriculum``, outside the web root."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tessera.curriculum.models import NAME_LENGTH, CurriculumFile
from tessera.curriculum.permissions import can_write_curriculum
from tessera.schools.errors import DomainError, PermissionDenied
from tessera.schools.models import School, User

# content type -> (first bytes, extension)
FILE_TYPES = {
    "image/png": (b"\x89PNG\r\n\x1a\n", ".png"),
    "image/jpeg": (b"\xff\xd8\xff", ".jpg"),
    "image/gif": (b"GIF8", ".gif"),
    "application/pdf": (b"%PDF-", ".pdf"),
}
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif")


def files_folder() -> Path:
    folder = Path(settings.PRIVATE_FILES_DIR) / "curriculum"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def file_path(stored: CurriculumFile) -> Path:
    return files_folder() / stored.stored_name


@transaction.atomic
def file_upload(
    *, actor: User, school: School, upload: UploadedFile, images_only: bool = False
) -> CurriculumFile:
    """Keep ``upload`` for ``school``'s curriculum; refuse it (nothing kept) when the actor may not write the
    school's curriculum, it is over ``CURRICULUM_FILE_MAX_BYTES``, or its content is not one of the types
    (an image with ``images_only``)."""
    if not can_write_curriculum(actor, school):
        raise PermissionDenied(
            _("Only the school's teachers and specialists add files to its curriculum."),
            code="curriculum.not_a_writer",
        )
    limit = settings.CURRICULUM_FILE_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise DomainError(
            _("The file is too large: at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            code="curriculum.file_too_large",
        )
    head = upload.read(16)
    upload.seek(0)
    allowed = IMAGE_TYPES if images_only else tuple(FILE_TYPES)
    found = next((kind for kind in allowed if head.startswith(FILE_TYPES[kind][0])), None)
    if found is None:
        raise DomainError(
            _("Upload a PNG, JPEG or GIF image; this file is none of them.")
            if images_only
            else _("Upload a PNG, JPEG or GIF image or a PDF; this file is none of them."),
            code="curriculum.file_wrong_type",
        )
    stored_name = f"{uuid.uuid4().hex}{FILE_TYPES[found][1]}"
    path = files_folder() / stored_name
    try:
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        path.chmod(0o600)
        return CurriculumFile.objects.create(
            school=school,
            stored_name=stored_name,
            original_name=(upload.name or "file")[:NAME_LENGTH],
            content_type=found,
            size=upload.size,
            uploaded_by=actor,
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
