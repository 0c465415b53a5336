"""Reads of a school's curriculum files for pages and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from tessera.curriculum.models import CurriculumFile
from tessera.schools.models import School


def school_uploads(school: School) -> QuerySet[CurriculumFile]:
    """The school's uploads, newest first (the writers' list; serving checks :func:`file_serve`)."""
    return CurriculumFile.objects.filter(school=school).order_by("-uploaded_at", "-pk")
