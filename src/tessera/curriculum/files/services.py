"""The school's uploaded images and documents for items and resources (:class:`CurriculumFile`): checked by
their first bytes (never by their name or declared type) and their size, kept under a random name in
``PRIVATE_FILES_DIR/curriculum``, outside the web root."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tessera.curriculum.models import NAME_LENGTH, CurriculumFile
from tessera.curriculum.permissions import can_write_curriculum
from tessera.curriculum.rich_text import uploads_named
from tessera.schools.errors import DomainError, PermissionDenied
from tessera.schools.models import School, User
from tessera.schools.text import text_checked
from tessera.schools.uploads import upload_keep, upload_too_large, upload_type

FILE_TYPES = ("image/png", "image/jpeg", "image/gif", "application/pdf")
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif")


def files_folder() -> Path:
    folder = Path(settings.PRIVATE_FILES_DIR) / "curriculum"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def file_path(stored: CurriculumFile) -> Path:
    return files_folder() / stored.stored_name


def _content_type(upload: UploadedFile, *, images_only: bool) -> str:
    """The type ``upload``'s first bytes show, or a ``DomainError`` when they show none of the allowed."""
    found = upload_type(upload, IMAGE_TYPES if images_only else FILE_TYPES)
    if found is None and images_only:
        raise DomainError(
            _("Upload a PNG, JPEG or GIF image; this file is none of them."),
            code="curriculum.file_wrong_type",
        )
    if found is None:
        raise DomainError(
            _("Upload a PNG, JPEG or GIF image or a PDF; this file is none of them."),
            code="curriculum.file_wrong_type",
        )
    return found


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
    if upload_too_large(upload, limit):
        raise DomainError(
            _("The file is too large: at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            code="curriculum.file_too_large",
        )
    found = _content_type(upload, images_only=images_only)
    return upload_keep(
        files_folder(),
        upload,
        found,
        lambda stored_name: CurriculumFile.objects.create(
            school=school,
            stored_name=stored_name,
            original_name=(upload.name or "file")[:NAME_LENGTH],
            content_type=found,
            size=upload.size or 0,  # checked above: never None here
            uploaded_by=actor,
        ),
    )


ALT_LENGTH = 300


def _snippet_words(text: str) -> str:
    """``text`` fit to stand between a Markdown snippet's brackets (no bracket, one line)."""
    return " ".join(text.replace("[", "(").replace("]", ")").split())


def file_snippet(stored: CurriculumFile, *, alt: str) -> str:
    """The Markdown to paste into a text to show ``stored``: an image with its alt text, or a link to a
    document named by its file name."""
    if stored.content_type in IMAGE_TYPES:
        return f"![{_snippet_words(alt)}](file:{stored.pk})"
    return f"[{_snippet_words(stored.original_name) or 'file'}](file:{stored.pk})"


def file_add(
    *, actor: User, school: School, upload: UploadedFile, alt: str = "", images_only: bool = False
) -> tuple[CurriculumFile, str]:
    """:func:`file_upload` for a person writing a text: an image needs ``alt`` text (what it shows, for
    those who cannot see it), checked before anything is kept. Returns the file and the Markdown snippet
    that shows it (``![alt](file:ID)``, or a link to a document)."""
    if not can_write_curriculum(actor, school):
        raise PermissionDenied(
            _("Only the school's teachers and specialists add files to its curriculum."),
            code="curriculum.not_a_writer",
        )
    if _content_type(upload, images_only=images_only) in IMAGE_TYPES:
        if not (alt or "").strip():
            raise DomainError(
                _("Write the image's alt text: what it shows, for those who cannot see it."),
                code="curriculum.image_without_alt",
            )
        alt = text_checked(alt, what=_("alt text"), limit=ALT_LENGTH)
    stored = file_upload(actor=actor, school=school, upload=upload, images_only=images_only)
    return stored, file_snippet(stored, alt=alt)


# a link or an image whose target is an upload: ``[name](file:12)``, ``![alt](file:12)``
LINKED_UPLOAD = re.compile(r"\]\(\s*<?file:(?P<id>\d{1,18})")


def uploads_check(school: School | None, text: str, *, what: str | None = None) -> None:
    """Refuse ``text`` (``curriculum.file_of_other_school``) when an image or link in it names an upload
    that is not ``school``'s: another school's, or none at all (the two are not told apart, so nobody
    learns which ids other schools use). Every service that saves text of a school's curriculum calls it
    after :func:`tessera.curriculum.rich_text.text_check`."""
    named = uploads_named(text) | {int(m.group("id")) for m in LINKED_UPLOAD.finditer(text)}
    if not named:
        return
    ours = (
        set(CurriculumFile.objects.filter(school=school, pk__in=named).values_list("pk", flat=True))
        if school is not None
        else set()
    )
    strangers = sorted(named - ours)
    if strangers:
        raise DomainError(
            _("An image or link in %(what)s names file:%(id)s, which is not one of this school's uploads.")
            % {"what": what or _("the text"), "id": strangers[0]},
            code="curriculum.file_of_other_school",
        )
