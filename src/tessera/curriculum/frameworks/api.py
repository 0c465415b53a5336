"""JSON API of curriculum.frameworks: a school's teachers, specialists and administrators add domains and
competencies, edit competencies, add and remove prerequisite edges, and copy a shared framework to their
school.

A framework the user cannot see is 404; one they see but may not change is 403 (a shared framework with
the hint to copy it). Competencies and domains are named by their codes, as in the framework file.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tessera.api_input import request_user
from tessera.curriculum import selectors
from tessera.curriculum.frameworks import services
from tessera.curriculum.models import CODE_LENGTH, NAME_LENGTH, TEXT_LENGTH, Competency, Domain, Framework
from tessera.schools import permissions as school_permissions
from tessera.schools.errors import NotFound

router = Router(tags=["curriculum"])


class DomainIn(Schema):
    name: str = Field(max_length=NAME_LENGTH * 2, description="The domain's name.")
    code: str = Field("", max_length=CODE_LENGTH * 2, description="Made from the name when blank.")


class DomainOut(Schema):
    id: int
    code: str
    name: str
    position: int


class CompetencyIn(Schema):
    domain: str = Field(max_length=CODE_LENGTH * 2, description="The code of its domain.")
    name: str = Field(max_length=NAME_LENGTH * 2)
    code: str = Field("", max_length=CODE_LENGTH * 2, description="Made from the name when blank.")
    description: str = Field("", max_length=TEXT_LENGTH * 2)


class CompetencyPatch(Schema):
    name: str | None = Field(None, max_length=NAME_LENGTH * 2)
    description: str | None = Field(None, max_length=TEXT_LENGTH * 2)


class CompetencyOut(Schema):
    id: int
    code: str
    name: str
    description: str
    domain: str = Field(alias="domain.code")
    position: int


class PrerequisiteIn(Schema):
    competency: str = Field(max_length=CODE_LENGTH * 2, description="The competency that needs it (code).")
    prerequisite: str = Field(max_length=CODE_LENGTH * 2, description="The one that comes first (code).")


class PrerequisiteOut(Schema):
    competency: str
    prerequisite: str


class CopyIn(Schema):
    school_id: int = Field(description="The school that gets the copy.")


class FrameworkCopyOut(Schema):
    id: int
    code: str
    name: str
    school_id: int | None


def _framework(request: HttpRequest, framework_id: int) -> Framework:
    framework = selectors.framework_detail_for(request_user(request), framework_id)
    if framework is None:
        raise NotFound(_("No such framework."), code="curriculum.framework_not_found")
    return framework


def _competency(framework: Framework, code: str) -> Competency:
    competency = framework.competencies.select_related("domain", "framework").filter(code=code).first()
    if competency is None:
        raise NotFound(
            _("No competency “%(code)s” in this framework.") % {"code": code},
            code="curriculum.competency_not_found",
        )
    return competency


@router.post(
    "/frameworks/{framework_id}/domains",
    response={201: DomainOut},
    summary="Add a domain at the end of a school's framework (teachers, specialists, administrators)",
)
def domain_create(request: HttpRequest, framework_id: int, payload: DomainIn) -> Status[Domain]:
    framework = _framework(request, framework_id)
    domain = services.domain_add(
        actor=request_user(request), framework=framework, name=payload.name, code=payload.code
    )
    return Status(201, domain)


@router.post(
    "/frameworks/{framework_id}/competencies",
    response={201: CompetencyOut},
    summary="Add a competency at the end of one of the framework's domains",
)
def competency_create(request: HttpRequest, framework_id: int, payload: CompetencyIn) -> Status[Competency]:
    framework = _framework(request, framework_id)
    services.framework_writable_check(request_user(request), framework)  # 403 before "no such domain"
    domain = framework.domains.filter(code=payload.domain).first()
    if domain is None:
        raise NotFound(
            _("No domain “%(code)s” in this framework.") % {"code": payload.domain},
            code="curriculum.domain_not_found",
        )
    competency = services.competency_add(
        actor=request_user(request),
        domain=domain,
        name=payload.name,
        code=payload.code,
        description=payload.description,
    )
    return Status(201, competency)


@router.patch(
    "/frameworks/{framework_id}/competencies/{code}",
    response=CompetencyOut,
    summary="Rename a competency or change its description (its code stays)",
)
def competency_update(
    request: HttpRequest, framework_id: int, code: str, payload: CompetencyPatch
) -> Competency:
    framework = _framework(request, framework_id)
    services.framework_writable_check(request_user(request), framework)
    return services.competency_edit(
        actor=request_user(request),
        competency=_competency(framework, code),
        name=payload.name,
        description=payload.description,
    )


@router.post(
    "/frameworks/{framework_id}/prerequisites",
    response={201: PrerequisiteOut},
    summary="Add a prerequisite edge; an edge that would close a cycle is refused, naming the cycle",
)
def prerequisite_create(
    request: HttpRequest, framework_id: int, payload: PrerequisiteIn
) -> Status[PrerequisiteOut]:
    framework = _framework(request, framework_id)
    services.framework_writable_check(request_user(request), framework)
    services.prerequisite_add(
        actor=request_user(request),
        competency=_competency(framework, payload.competency),
        prerequisite=_competency(framework, payload.prerequisite),
    )
    return Status(201, PrerequisiteOut(competency=payload.competency, prerequisite=payload.prerequisite))


@router.delete(
    "/frameworks/{framework_id}/prerequisites/{competency}/{prerequisite}",
    response={204: None},
    summary="Remove a prerequisite edge: ``prerequisite`` no longer comes before ``competency``",
)
def prerequisite_delete(
    request: HttpRequest, framework_id: int, competency: str, prerequisite: str
) -> Status[None]:
    framework = _framework(request, framework_id)
    services.framework_writable_check(request_user(request), framework)
    services.prerequisite_remove(
        actor=request_user(request),
        competency=_competency(framework, competency),
        prerequisite=_competency(framework, prerequisite),
    )
    return Status(204, None)


@router.post(
    "/frameworks/{framework_id}/copy",
    response={201: FrameworkCopyOut},
    summary="Copy a shared framework to my school, to change the copy (its code gets -2, -3… if taken)",
)
def framework_copy(request: HttpRequest, framework_id: int, payload: CopyIn) -> Status[Framework]:
    user = request_user(request)
    framework = _framework(request, framework_id)
    school = get_object_or_404(school_permissions.schools_visible_to(user), pk=payload.school_id)
    return Status(201, services.framework_copy(actor=user, framework=framework, school=school))
