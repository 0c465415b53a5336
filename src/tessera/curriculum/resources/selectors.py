"""Reads of resources for pages and the API, filtered by who may see the framework
(:mod:`tessera.curriculum.permissions`): a framework's resources are for everyone who may see it,
learners and guardians included."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from tessera.curriculum import permissions
from tessera.curriculum.models import Competency, CurriculumFile, Framework, Resource
from tessera.schools import permissions as school_permissions
from tessera.schools.models import School, User


def resources_visible_to(user: User) -> QuerySet[Resource]:
    return Resource.objects.filter(framework__in=permissions.frameworks_visible_to(user).values("pk"))


def can_view_resource(user: User, resource: Resource) -> bool:
    return resources_visible_to(user).filter(pk=resource.pk).exists()


def school_framework_for(user: User, school_id: int, framework_id: int) -> tuple[School, Framework] | None:
    """The school and framework of a resources page: a school the user belongs to (or has a child in)
    and one of its frameworks or a shared one, when the user may see it; None otherwise."""
    school = school_permissions.schools_visible_to(user).filter(pk=school_id).first()
    if school is None:
        return None
    framework = (
        permissions.frameworks_visible_to(user)
        .filter(Q(school=school) | Q(school__isnull=True), pk=framework_id)
        .first()
    )
    return (school, framework) if framework is not None else None


def framework_detail_for(user: User, framework_id: int) -> Framework | None:
    return permissions.frameworks_visible_to(user).filter(pk=framework_id).select_related("school").first()


def _with_details(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    return resources.select_related("file", "framework").prefetch_related(
        Prefetch("competencies", queryset=Competency.objects.order_by("domain__position", "position", "pk"))
    )


def framework_resources(framework: Framework) -> QuerySet[Resource]:
    """The framework's resources with their file and competencies (three queries for any number)."""
    return _with_details(framework.resources.order_by("title", "pk"))


def resource_for(user: User, resource_id: int, framework: Framework | None = None) -> Resource | None:
    resources = resources_visible_to(user).filter(pk=resource_id)
    if framework is not None:
        resources = resources.filter(framework=framework)
    return _with_details(resources).first()


def competencies_by_code(framework: Framework, codes: list[str]) -> tuple[list[Competency], list[str]]:
    """The framework's competencies with ``codes``, in the order given, and the codes it does not have."""
    found = {c.code: c for c in framework.competencies.filter(code__in=codes)}
    return [found[code] for code in dict.fromkeys(codes) if code in found], [
        code for code in codes if code not in found
    ]


def files_for_resources(school: School) -> QuerySet[CurriculumFile]:
    """The uploads a file resource of ``school`` may be."""
    return CurriculumFile.objects.filter(school=school).order_by("-uploaded_at", "-pk")
