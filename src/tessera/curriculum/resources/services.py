"""Every write to a school framework's resources: create, edit, delete. Keyword-only, transactional.

A resource is one of three forms: a link (an http or https address), a file (an image or PDF uploaded to
the framework's school) or a page (Markdown with maths between ``\\(`` and ``\\)``, images of the school's
uploads with alt text: :mod:`tessera.curriculum.rich_text`). Only the school's curriculum writers
(:func:`tessera.curriculum.permissions.can_write_curriculum`) change them; shared frameworks are read-only.
Bad input raises a :class:`DomainError` before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tessera.curriculum.files.services import uploads_check
from tessera.curriculum.models import (
    CODE_LENGTH,
    NAME_LENGTH,
    TEXT_LENGTH,
    Competency,
    CurriculumFile,
    Framework,
    Resource,
    ResourceCompetency,
)
from tessera.curriculum.permissions import can_write_curriculum
from tessera.curriculum.rich_text import text_check
from tessera.schools.errors import DomainError, PermissionDenied
from tessera.schools.models import User
from tessera.schools.text import text_checked

BODY_LENGTH = TEXT_LENGTH * 5
URL_LENGTH = 500
READING_LEVELS = range(14)  # grades 0 (kindergarten) to 13
TOPIC_LENGTH = 60
MAX_TOPICS = 10


@dataclass(frozen=True)
class ResourceInput:
    """What a writer gives for a resource. ``url`` counts for a link, ``file`` for a file, ``body`` for a
    page; the others are cleared."""

    title: str
    kind: str
    form: str
    competencies: Sequence[Competency]
    url: str = ""
    file: CurriculumFile | None = None
    body: str = ""
    reading_level: int | None = None
    interest_topics: Sequence[str] = ()


def require_writer(actor: User, framework: Framework) -> None:
    if framework.school is None:
        raise PermissionDenied(
            _("Shared frameworks are read-only: copy the framework to your school to change it."),
            code="curriculum.shared_framework_read_only",
        )
    if not can_write_curriculum(actor, framework.school):
        raise PermissionDenied(
            _("Only the school's teachers and specialists change its curriculum."),
            code="curriculum.not_a_writer",
        )


def _url_checked(url: str) -> str:
    cleaned = (url or "").strip()
    if not cleaned:
        raise DomainError(_("Give the link's address (https://…)."), code="curriculum.resource_url_missing")
    try:
        URLValidator(schemes=["http", "https"])(cleaned)
    except ValidationError:
        cleaned = ""
    if not cleaned or len(url.strip()) > URL_LENGTH:
        raise DomainError(
            _("The link must be an address starting with http:// or https://, at most %(limit)d characters.")
            % {"limit": URL_LENGTH},
            code="curriculum.resource_url_invalid",
        )
    return cleaned


def _file_checked(framework: Framework, file: CurriculumFile | None) -> CurriculumFile:
    if file is None:
        raise DomainError(
            _("Choose the file: upload it on the school's Images and files page first."),
            code="curriculum.resource_file_missing",
        )
    if file.school_id != framework.school_id:
        raise DomainError(
            _("The file is not one of this school's uploads."), code="curriculum.file_of_other_school"
        )
    return file


def _body_checked(framework: Framework, body: str) -> str:
    what = _("the page")
    cleaned = text_checked(body, what=_("page"), limit=BODY_LENGTH)
    text_check(cleaned, what=what)
    uploads_check(framework.school, cleaned, what=what)
    return cleaned


def _checked(framework: Framework, data: ResourceInput) -> dict[str, object]:
    """The resource's fields from ``data``, or a ``DomainError`` saying what is wrong."""
    title = text_checked(data.title, what=_("title"), limit=NAME_LENGTH)
    if data.kind not in Resource.Kind.values:
        raise DomainError(
            _("The kind must be one of: %(kinds)s.") % {"kinds": ", ".join(Resource.Kind.values)},
            code="curriculum.resource_kind_invalid",
        )
    if data.form not in Resource.Form.values:
        raise DomainError(
            _("A resource is a link, a file or a page (%(forms)s).")
            % {"forms": ", ".join(Resource.Form.values)},
            code="curriculum.resource_form_invalid",
        )
    if data.reading_level is not None and data.reading_level not in READING_LEVELS:
        raise DomainError(
            _("The reading level is a grade from 0 to 13, not %(level)s.") % {"level": data.reading_level},
            code="curriculum.reading_level_invalid",
        )
    if not data.competencies:
        raise DomainError(
            _("Choose at least one competency the resource helps with."),
            code="curriculum.resource_competency_required",
        )
    if any(c.framework_id != framework.pk for c in data.competencies):
        raise DomainError(
            _("A resource's competencies must belong to its framework."),
            code="curriculum.competency_other_framework",
        )
    topics = [text_checked(t, what=_("topic"), limit=TOPIC_LENGTH) for t in data.interest_topics if t.strip()]
    if len(topics) > MAX_TOPICS:
        raise DomainError(
            _("At most %(limit)d interest topics.") % {"limit": MAX_TOPICS}, code="curriculum.too_many_topics"
        )
    fields: dict[str, object] = {
        "title": title,
        "kind": data.kind,
        "form": data.form,
        "url": "",
        "file": None,
        "body": "",
        "media_type": "",
        "reading_level": data.reading_level,
        "interest_topics": list(dict.fromkeys(topics)),
    }
    if data.form == Resource.Form.LINK:
        fields["url"] = _url_checked(data.url)
    elif data.form == Resource.Form.FILE:
        file = _file_checked(framework, data.file)
        fields["file"], fields["media_type"] = file, file.content_type
    else:
        fields["body"] = _body_checked(framework, data.body)
        fields["media_type"] = "text/markdown"
    return fields


def _free_code(framework: Framework, title: str) -> str:
    base = (slugify(title) or "resource")[: CODE_LENGTH - 8]
    taken = set(framework.resources.filter(code__startswith=base).values_list("code", flat=True))
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


def _competencies_set(resource: Resource, competencies: Sequence[Competency]) -> None:
    ResourceCompetency.objects.filter(resource=resource).delete()
    ResourceCompetency.objects.bulk_create(
        ResourceCompetency(school=resource.school, resource=resource, competency=c)
        for c in dict.fromkeys(competencies)
    )


@transaction.atomic
def resource_create(*, actor: User, framework: Framework, data: ResourceInput) -> Resource:
    """Add a resource to a school's framework (its code is made from the title, unique in the framework)."""
    require_writer(actor, framework)
    fields = _checked(framework, data)
    # lock the framework so two resources with one title do not race for one code
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
    resource = Resource.objects.create(
        school=framework.school,
        framework=framework,
        code=_free_code(framework, str(fields["title"])),
        author=actor,
        **fields,
    )
    _competencies_set(resource, data.competencies)
    return resource


@transaction.atomic
def resource_edit(*, actor: User, resource: Resource, data: ResourceInput) -> Resource:
    """Change every field of a school framework's resource to ``data`` (its code stays)."""
    framework = resource.framework
    require_writer(actor, framework)
    fields = _checked(framework, data)
    for name, value in fields.items():
        setattr(resource, name, value)
    resource.save()
    _competencies_set(resource, data.competencies)
    return resource


@transaction.atomic
def resource_delete(*, actor: User, resource: Resource) -> None:
    """Remove a school framework's resource (its uploaded file stays among the school's uploads)."""
    require_writer(actor, resource.framework)
    resource.delete()
