"""Reads for pages and the API, always filtered by what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from tessera.schools import permissions
from tessera.schools.models import (
    AuditEntry,
    Enrolment,
    Guardianship,
    Membership,
    School,
    SchoolClass,
    SupportAssignment,
    TeachingAssignment,
    User,
)

Role = Membership.Role


def roles_of(user: User) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("school"))


def holds_staff_role(user: User) -> bool:
    """Whether ``user`` is anything but a learner in some school (or a platform operator): they see other
    people's learners, so their sessions are shorter on shared devices."""
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.filter(user=user).exclude(role=Role.LEARNER).exists()


def current_teachers() -> QuerySet[TeachingAssignment]:
    """A class's teachers as pages list them: the assignments that have not ended."""
    return TeachingAssignment.objects.filter(ended_at__isnull=True).select_related("teacher")


def classes_taught_by(user: User) -> QuerySet[SchoolClass]:
    return (
        permissions.classes_visible_to(user)
        .filter(Exists(permissions.teaching_in_force().filter(school_class=OuterRef("pk"), teacher=user)))
        .select_related("school", "term")
        .annotate(learner_count=Count("enrolments", distinct=True))
        .order_by("grade_level", "name")
    )


def classes_enrolled_in(user: User) -> QuerySet[SchoolClass]:
    lead_teachers = current_teachers().order_by("kind")
    return (
        permissions.classes_visible_to(user)
        .filter(enrolments__learner=user)
        .select_related("school", "term")
        .prefetch_related(Prefetch("teaching", queryset=lead_teachers))
        .order_by("grade_level", "name")
    )


@dataclass
class Child:
    learner: Membership
    classes: list[SchoolClass]


def children_of(user: User) -> list[Child]:
    """The user's children, one entry per child and school (a child can attend several schools)."""
    links = Guardianship.objects.filter(guardian=user, revoked_at__isnull=True).values(
        "learner_id", "school_id"
    )
    pairs = Q(pk__in=[])
    for link in links:
        pairs |= Q(user_id=link["learner_id"], school_id=link["school_id"])
    memberships = (
        permissions.learners_visible_to(user)
        .filter(pairs)
        .select_related("user", "school")
        .order_by("user__first_name")
    )
    enrolments = Enrolment.objects.filter(
        learner_id__in=[m.user_id for m in memberships], school_class__in=permissions.classes_visible_to(user)
    ).select_related("school_class")
    by_learner: dict[tuple[int, int], list[SchoolClass]] = {}
    for enrolment in enrolments:
        by_learner.setdefault((enrolment.learner_id, enrolment.school_id), []).append(enrolment.school_class)
    return [Child(learner=m, classes=by_learner.get((m.user_id, m.school_id), [])) for m in memberships]


def learners_supported_by(user: User) -> QuerySet[SupportAssignment]:
    return (
        SupportAssignment.objects.filter(staff=user, ended_at__isnull=True)
        .filter(
            school__in=permissions.schools_visible_to(user),
        )
        .annotate(learner_page_id=_learner_page_id(user))
        .select_related("learner", "school")
        .order_by("learner__first_name")
    )


@dataclass
class AdministeredSchool:
    school: School
    class_count: int
    learner_count: int
    staff_count: int


def schools_administered_by(user: User) -> list[AdministeredSchool]:
    schools = permissions.schools_managed_by(user).annotate(
        class_count=Count("schoolclass", distinct=True),
        learner_count=Count("membership", filter=Q(membership__role=Role.LEARNER), distinct=True),
        staff_count=Count("membership", filter=~Q(membership__role=Role.LEARNER), distinct=True),
    )
    return [
        AdministeredSchool(
            school=s, class_count=s.class_count, learner_count=s.learner_count, staff_count=s.staff_count
        )
        for s in schools
    ]


@dataclass
class Home:
    """Everything the home page shows, by role. Empty lists mean the user does not hold that role."""

    user: User
    administered: list[AdministeredSchool] = field(default_factory=list)
    teaching: list[SchoolClass] = field(default_factory=list)
    learning: list[SchoolClass] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    supporting: list[SupportAssignment] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.administered or self.teaching or self.learning or self.children or self.supporting)


def home_for(user: User) -> Home:
    return Home(
        user=user,
        administered=schools_administered_by(user),
        teaching=list(classes_taught_by(user)),
        learning=list(classes_enrolled_in(user)),
        children=children_of(user),
        supporting=list(learners_supported_by(user)),
    )


def class_detail_for(user: User, class_id: int) -> SchoolClass | None:
    return (
        permissions.classes_visible_to(user)
        .select_related("school", "term")
        .prefetch_related(Prefetch("teaching", queryset=current_teachers()))
        .filter(pk=class_id)
        .first()
    )


def _learner_page_id(user: User, learner_column: str = "learner_id") -> Subquery:
    """The learner's membership id whose page (``learner-detail``) the user may open, or None: for
    linking a learner's name, in the same query as the rows that name them."""
    visible = permissions.learners_visible_to(user).filter(
        user_id=OuterRef(learner_column), school_id=OuterRef("school_id")
    )
    return Subquery(visible.values("pk")[:1])


def class_roster_for(user: User, school_class: SchoolClass) -> list[Enrolment] | None:
    """The learners of a class, or None when the user may see the class but not its roster. Each
    enrolment's ``learner_page_id`` is the learner page the user may open (None: no link)."""
    if not permissions.can_view_class_roster(user, school_class):
        return None
    return list(
        school_class.enrolments.select_related("learner")
        .annotate(learner_page_id=_learner_page_id(user))
        .order_by("learner__last_name")
    )


def class_learners_for(user: User, school_class: SchoolClass) -> QuerySet[Membership] | None:
    """The learner memberships of a class, or None when the user may not see its roster."""
    if not permissions.can_view_class_roster(user, school_class):
        return None
    return (
        Membership.objects.filter(
            school=school_class.school, role=Role.LEARNER, user__enrolments__school_class=school_class
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def learner_detail_for(user: User, membership_id: int) -> Membership | None:
    return (
        permissions.learners_visible_to(user)
        .select_related("user", "school")
        .filter(pk=membership_id)
        .first()
    )


def learner_classes(user: User, learner: Membership) -> QuerySet[SchoolClass]:
    return permissions.classes_visible_to(user).filter(
        school=learner.school, enrolments__learner_id=learner.user_id
    )


# --- roster management (administrators) -----------------------------------------------------------
# These take a school the caller already got from ``permissions.schools_managed_by(user)``.


def school_people(school: School, *, search: str = "", role: str = "") -> QuerySet[User]:
    """Everyone with a role in the school or an active guardianship there, by family name."""
    in_school = Q(memberships__school=school) | Q(
        guardianships__school=school, guardianships__revoked_at__isnull=True
    )
    if role == "guardian":
        in_school = Q(guardianships__school=school, guardianships__revoked_at__isnull=True)
    elif role:
        in_school = Q(memberships__school=school, memberships__role=role)
    people = User.objects.filter(pk__in=User.objects.filter(in_school).values("pk"))
    for word in search.split():
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(display_name__icontains=word)
            | Q(username__icontains=word)
        )
    return people.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.filter(school=school), to_attr="school_roles")
    ).order_by("last_name", "first_name", "username")


def school_person(school: School, user_id: int, *, role: str = "") -> User | None:
    """One person of the school (a member or an active guardian; with ``role``, in that role), or None."""
    return school_people(school, role=role).filter(pk=user_id).first()


@dataclass
class PersonRoster:
    """What an administrator sees and changes on a person's page."""

    person: User
    roles: list[Membership]
    learner: Membership | None
    classes: list[SchoolClass]
    supporters: list[SupportAssignment]
    guardians: list[Guardianship]
    children: list[Guardianship]


def person_roster(school: School, person: User) -> PersonRoster:
    roles = list(Membership.objects.filter(school=school, user=person))
    learner = next((m for m in roles if m.role == Role.LEARNER), None)
    return PersonRoster(
        person=person,
        roles=roles,
        learner=learner,
        classes=list(
            SchoolClass.objects.filter(school=school, enrolments__learner=person).select_related("term")
        ),
        supporters=list(
            SupportAssignment.objects.filter(school=school, learner=person, ended_at__isnull=True)
            .select_related("staff")
            .order_by("role", "staff__last_name")
        ),
        guardians=list(
            Guardianship.objects.filter(school=school, learner=person, revoked_at__isnull=True)
            .select_related("guardian")
            .order_by("guardian__last_name")
        ),
        children=list(
            Guardianship.objects.filter(school=school, guardian=person, revoked_at__isnull=True)
            .select_related("learner")
            .order_by("learner__last_name")
        ),
    )


def audit_of(school: School, person: User, *, limit: int = 20) -> list[AuditEntry]:
    """The newest audit entries about a person in this school (for its administrators)."""
    return list(
        AuditEntry.objects.filter(school=school, subject=person).select_related("actor", "school_class")[
            :limit
        ]
    )


def school_classes(school: School) -> QuerySet[SchoolClass]:
    return (
        SchoolClass.objects.filter(school=school)
        .select_related("term")
        .annotate(learner_count=Count("enrolments", distinct=True))
        .order_by("term__name", "grade_level", "name")
    )


def school_class_for_admin(school: School, class_id: int) -> SchoolClass | None:
    return (
        SchoolClass.objects.filter(school=school, pk=class_id)
        .select_related("term", "school")
        .prefetch_related(Prefetch("teaching", queryset=current_teachers()))
        .first()
    )


def school_members(school: School, *roles: str) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(school=school, role__in=roles)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
