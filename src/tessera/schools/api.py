"""API for schools, classes, learners and the roster."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from tessera.api_input import BoundedPageNumberPagination, PlainText
from tessera.schools import permissions, selectors, services
from tessera.schools.errors import NotFound
from tessera.schools.models import AcademicTerm, Membership, SchoolClass, User

router = Router(tags=["schools"])


class RoleOut(Schema):
    school_id: int
    school: str
    role: str


class MeOut(Schema):
    id: int
    username: str
    name: str
    roles: list[RoleOut]


class PersonOut(Schema):
    id: int
    name: str


class ClassOut(Schema):
    id: int
    school_id: int
    name: str
    subject: str
    grade_level: int
    term: str
    teachers: list[PersonOut]

    @staticmethod
    def resolve_term(obj: SchoolClass) -> str:
        return obj.term.name

    @staticmethod
    def resolve_teachers(obj: SchoolClass) -> list[PersonOut]:
        return [PersonOut(id=t.teacher_id, name=t.teacher.name) for t in obj.teaching.all()]


class LearnerOut(Schema):
    id: int = Field(description="The learner's membership id in this school.")
    user_id: int
    school_id: int
    name: str
    grade_level: int | None

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.user.name


class LearnerDetailOut(Schema):
    id: int = Field(description="The learner's membership id in this school.")
    user_id: int
    school_id: int
    name: str
    grade_level: int | None
    classes: list[str] = Field(description="The learner's classes that you may see.")


class ClassIn(Schema):
    name: PlainText = Field(max_length=120)
    subject: PlainText = Field(max_length=80)
    grade_level: int = Field(ge=0, le=13)
    term_id: int


class EnrolmentIn(Schema):
    learner_id: int = Field(description="The learner's membership id.")


class EnrolmentOut(Schema):
    class_id: int
    learner_id: int


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@router.get("/me", response=MeOut, summary="Who am I, and which roles do I hold")
def me(request: HttpRequest) -> MeOut:
    user = _user(request)
    roles = [
        RoleOut(school_id=m.school_id, school=m.school.name, role=m.role) for m in selectors.roles_of(user)
    ]
    return MeOut(id=user.pk, username=user.username, name=user.name, roles=roles)


@router.get("/classes", response=list[ClassOut], summary="Classes I may see")
@paginate(BoundedPageNumberPagination, page_size=50)
def class_list(request: HttpRequest) -> QuerySet[SchoolClass]:
    return (
        permissions.classes_visible_to(_user(request))
        .select_related("term")
        .prefetch_related(Prefetch("teaching", queryset=selectors.current_teachers()))
        .order_by("grade_level", "name", "pk")
    )


@router.get("/classes/{class_id}", response=ClassOut)
def class_detail(request: HttpRequest, class_id: int) -> SchoolClass:
    school_class = selectors.class_detail_for(_user(request), class_id)
    if school_class is None:
        raise NotFound(_("No such class."), code="schools.class_not_found")
    return school_class


@router.get("/classes/{class_id}/learners", response=list[LearnerOut], summary="The learners of a class")
@paginate(BoundedPageNumberPagination, page_size=100)
def class_learners(request: HttpRequest, class_id: int) -> QuerySet[Membership]:
    user = _user(request)
    school_class = selectors.class_detail_for(user, class_id)
    if school_class is None:
        raise NotFound(_("No such class."), code="schools.class_not_found")
    learners = selectors.class_learners_for(user, school_class)
    if learners is None:
        raise NotFound(_("No such class."), code="schools.class_not_found")
    return learners


@router.get("/learners/{learner_id}", response=LearnerDetailOut)
def learner_detail(request: HttpRequest, learner_id: int) -> LearnerDetailOut:
    user = _user(request)
    learner = selectors.learner_detail_for(user, learner_id)
    if learner is None:
        raise NotFound(_("No such learner."), code="schools.learner_not_found")
    return LearnerDetailOut(
        id=learner.pk,
        user_id=learner.user_id,
        school_id=learner.school_id,
        name=learner.user.name,
        grade_level=learner.grade_level,
        classes=[c.name for c in selectors.learner_classes(user, learner)],
    )


@router.post(
    "/schools/{school_id}/classes", response={201: ClassOut}, summary="Create a class (administrators)"
)
def class_create(request: HttpRequest, school_id: int, payload: ClassIn) -> Status[SchoolClass]:
    user = _user(request)
    school = get_object_or_404(permissions.schools_visible_to(user), pk=school_id)
    permissions.require_school_admin(user, school)
    term = AcademicTerm.objects.filter(school=school, pk=payload.term_id).first()
    if term is None:
        raise NotFound(
            _("No term %(term)s in this school.") % {"term": payload.term_id}, code="schools.term_not_found"
        )
    school_class = services.class_create(
        actor=user,
        school=school,
        name=payload.name,
        subject=payload.subject,
        grade_level=payload.grade_level,
        term=term,
    )
    return Status(201, school_class)


@router.post(
    "/classes/{class_id}/enrolments", response={201: EnrolmentOut}, summary="Enrol a learner (administrators)"
)
def enrolment_create(request: HttpRequest, class_id: int, payload: EnrolmentIn) -> Status[EnrolmentOut]:
    user = _user(request)
    school_class = selectors.class_detail_for(user, class_id)
    if school_class is None:
        raise NotFound(_("No such class."), code="schools.class_not_found")
    permissions.require_school_admin(user, school_class.school)
    learner = Membership.objects.filter(
        school=school_class.school, role=Membership.Role.LEARNER, pk=payload.learner_id
    ).first()
    if learner is None:
        raise NotFound(
            _("No learner %(learner)s in this school.") % {"learner": payload.learner_id},
            code="schools.learner_not_found",
        )
    services.learner_enrol(actor=user, school_class=school_class, learner=learner.user)
    return Status(201, EnrolmentOut(class_id=school_class.pk, learner_id=learner.pk))
