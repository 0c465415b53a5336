"""Shared fixtures: a small two-school world with one person per role, built through the services."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tessera.schools import services
from tessera.schools.models import AcademicTerm, Membership, School, SchoolClass, User

# Property tests check correctness, not speed: on a loaded 2-core CI machine Hypothesis's timing checks
# (slow input generation, per-example deadlines) fail runs for reasons that are not bugs.
hypothesis_settings.register_profile("tessera", suppress_health_check=[HealthCheck.too_slow], deadline=None)
hypothesis_settings.load_profile("tessera")

PASSWORD = "correct horse battery"
Role = Membership.Role


@dataclass
class SchoolWorld:
    """One school with a person in every role. ``klass`` is the class the ``learner`` is in."""

    school: School
    term: AcademicTerm
    klass: SchoolClass
    other_class: SchoolClass
    admin: User
    teacher: User
    co_teacher: User
    other_teacher: User
    learner: User
    other_learner: User
    guardian: User
    specialist: User
    para: User
    mentor: User

    def membership(self, user: User, role: str = Role.LEARNER) -> Membership:
        return Membership.objects.get(school=self.school, user=user, role=role)


@dataclass
class World:
    a: SchoolWorld
    b: SchoolWorld
    outsider: User

    def person(self, role: str) -> User | None:
        """The user behind a role name of the permission matrix (``b_`` prefixes mean school B)."""
        if role == "anonymous":
            return None
        if role == "outsider":
            return self.outsider
        if role.startswith("b_"):
            return getattr(self.b, role[2:])  # type: ignore[no-any-return]
        return getattr(self.a, role)  # type: ignore[no-any-return]


def build_school(prefix: str, password_hash: str) -> SchoolWorld:
    school = School.objects.create(name=f"School {prefix.upper()}", slug=f"school-{prefix}")
    term = AcademicTerm.objects.create(
        school=school,
        name="2026-2027",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2027, 7, 1),
    )

    def person(name: str, role: str, **extra: object) -> User:
        return services.person_add(
            actor=None,
            school=school,
            username=f"{prefix}.{name}",
            first_name=name.replace("_", " ").title(),
            last_name=prefix.upper(),
            role=role,
            email=f"{name}@{prefix}.example.org",
            password_hash=password_hash,
            **extra,  # type: ignore[arg-type]
        ).user

    admin = person("admin", Role.ADMINISTRATOR)
    teacher = person("teacher", Role.TEACHER)
    co_teacher = person("co_teacher", Role.TEACHER)
    other_teacher = person("other_teacher", Role.TEACHER)
    learner = person("learner", Role.LEARNER, grade_level=7, birth_date=datetime.date(2014, 3, 1))
    other_learner = person("other_learner", Role.LEARNER, grade_level=7, birth_date=datetime.date(2013, 5, 2))
    specialist = person("specialist", Role.SPECIALIST, specialty="psychologist")
    para = person("para", Role.PARA_PROFESSIONAL)
    mentor = person("mentor", Role.MENTOR)
    guardian = User.objects.create(
        username=f"{prefix}.guardian", first_name="Guardian", password=password_hash
    )

    klass = services.class_create(
        actor=None, school=school, name="Maths 7", subject="Mathematics", grade_level=7, term=term
    )
    other_class = services.class_create(
        actor=None, school=school, name="Maths 7B", subject="Mathematics", grade_level=7, term=term
    )
    services.teacher_assign(actor=None, school_class=klass, teacher=teacher)
    services.teacher_assign(actor=None, school_class=klass, teacher=co_teacher, kind="co")
    services.teacher_assign(actor=None, school_class=other_class, teacher=other_teacher)
    services.learner_enrol(actor=None, school_class=klass, learner=learner)
    services.learner_enrol(actor=None, school_class=other_class, learner=other_learner)
    services.guardian_link(actor=None, school=school, guardian=guardian, learner=learner)
    services.supporter_assign(actor=None, school=school, staff=specialist, learner=learner, role="specialist")
    services.supporter_assign(
        actor=None, school=school, staff=para, learner=learner, role="para_professional"
    )
    services.supporter_assign(actor=None, school=school, staff=mentor, learner=learner, role="mentor")
    return SchoolWorld(
        school=school,
        term=term,
        klass=klass,
        other_class=other_class,
        admin=admin,
        teacher=teacher,
        co_teacher=co_teacher,
        other_teacher=other_teacher,
        learner=learner,
        other_learner=other_learner,
        guardian=guardian,
        specialist=specialist,
        para=para,
        mentor=mentor,
    )


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in the default language: a page served in Spanish (the middleware activates the
    account's language in the serving thread) must not make a later test read Spanish sentences."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def world(db: None) -> World:
    password_hash = make_password(PASSWORD)
    outsider = User.objects.create(username="outsider", password=password_hash)
    return World(a=build_school("a", password_hash), b=build_school("b", password_hash), outsider=outsider)


@pytest.fixture
def client_for(client: Client):  # type: ignore[no-untyped-def]
    """``client_for(user)`` returns a test client signed in as ``user`` (or anonymous for None)."""

    def sign_in(user: User | None) -> Client:
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in
