"""The demo school that `make run` loads: real-looking people, classes and families.

Deterministic (a fixed seed) and idempotent: loading it again when it exists changes nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from tessera.schools import services
from tessera.schools.models import AcademicTerm, Membership, School, TeachingAssignment, User

DEMO_SLUG = "demo"
DEMO_PASSWORD = "tessera-demo"  # noqa: S105 - a published demo password, printed on purpose
LEARNERS_PER_CLASS = 20

FIRST_NAMES = [
    "Maya",
    "Liam",
    "Aisha",
    "Noah",
    "Sofia",
    "Mateo",
    "Zara",
    "Ethan",
    "Amara",
    "Lucas",
    "Priya",
    "Oliver",
    "Fatima",
    "Leo",
    "Hana",
    "Elijah",
    "Chloe",
    "Kenji",
    "Isabella",
    "Omar",
    "Grace",
    "Diego",
    "Layla",
    "Samuel",
    "Mei",
    "Jonah",
    "Nia",
    "Arjun",
    "Emma",
    "Tariq",
    "Lucia",
    "Felix",
    "Yara",
    "Henry",
    "Ama",
    "Ravi",
    "Ines",
    "Caleb",
    "Sara",
    "Kofi",
    "Ava",
    "Mohammed",
    "Julia",
    "Theo",
    "Leila",
    "Daniel",
    "Rosa",
    "Ibrahim",
    "Clara",
    "Adrian",
    "Nadia",
    "Hugo",
    "Zoe",
    "Malik",
    "Elena",
    "Jasper",
    "Anika",
    "Tomás",
    "Lina",
    "Gabriel",
]
LAST_NAMES = [
    "Okafor",
    "Nguyen",
    "García",
    "Smith",
    "Haddad",
    "Kowalski",
    "Patel",
    "Johansson",
    "Mensah",
    "Rossi",
    "Kim",
    "Dubois",
    "Silva",
    "Müller",
    "Tanaka",
    "O'Brien",
    "Hernández",
    "Ali",
    "Novak",
    "Adeyemi",
    "Costa",
    "Fischer",
    "Ahmed",
    "Lindqvist",
    "Moreau",
    "Chen",
    "Santos",
    "Byrne",
    "Yilmaz",
    "Osei",
]
ADULT_FIRST_NAMES = [
    "Ngozi",
    "David",
    "Carmen",
    "Michael",
    "Rania",
    "Piotr",
    "Deepa",
    "Anders",
    "Kwame",
    "Giulia",
    "Ji-woo",
    "Claire",
    "Rafael",
    "Katrin",
    "Yuki",
    "Siobhan",
    "Alejandro",
    "Samira",
    "Tomasz",
    "Funmi",
]

CLASSES = [("Maths 6A", 6), ("Maths 7A", 7), ("Maths 8A", 8)]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    detail: str


def _username(first: str, last: str, taken: set[str]) -> str:
    base = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
    base = base.translate(str.maketrans("áéíóúüñç", "aeiouunc"))
    name, n = base, 2
    while name in taken:
        name, n = f"{base}{n}", n + 1
    taken.add(name)
    return name


def _staff(
    school: School, username: str, first: str, last: str, role: str, password_hash: str, specialty: str = ""
) -> User:
    membership = services.person_add(
        actor=None,
        school=school,
        username=username,
        first_name=first,
        last_name=last,
        role=role,
        email=f"{username}@demo.tessera.school",
        password_hash=password_hash,
        specialty=specialty,
    )
    return membership.user


def demo_logins(school: School) -> list[DemoLogin]:
    """Every login of the demo school with its role, staff first, then each learner with their guardians."""
    logins: list[DemoLogin] = []
    staff = (
        Membership.objects.filter(school=school).exclude(role=Membership.Role.LEARNER).select_related("user")
    )
    for m in staff.order_by("role", "user__username"):
        detail = m.get_specialty_display() if m.specialty else ""
        if m.role == Membership.Role.TEACHER:
            detail = ", ".join(
                f"{t.school_class.name} ({t.get_kind_display().lower()})"
                for t in TeachingAssignment.objects.filter(school=school, teacher=m.user).select_related(
                    "school_class"
                )
            )
        logins.append(DemoLogin(m.user.username, m.get_role_display(), detail))
    learners = Membership.objects.filter(school=school, role=Membership.Role.LEARNER).select_related("user")
    for m in learners.order_by("grade_level", "user__username"):
        logins.append(DemoLogin(m.user.username, "Learner", f"grade {m.grade_level}"))
        for link in m.user.guardians_links.filter(school=school, revoked_at__isnull=True).select_related(
            "guardian"
        ):
            logins.append(DemoLogin(link.guardian.username, "Guardian", f"of {m.user.name}"))
    return logins


@transaction.atomic
def demo_school_load(*, seed: int = 2026) -> tuple[School, bool]:
    """Create the demo school unless it exists. Returns the school and whether it was created now."""
    existing = School.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return existing, False
    rng = random.Random(seed)
    # One hash for the one published demo password: hashing it per person would take a minute with argon2.
    password_hash = make_password(DEMO_PASSWORD)
    school = School.objects.create(name="Riverside Middle School", slug=DEMO_SLUG, timezone="Europe/London")
    today = datetime.date.today()
    start_year = today.year if today.month >= 8 else today.year - 1
    term = AcademicTerm.objects.create(
        school=school,
        name=f"{start_year}-{start_year + 1}",
        starts_on=datetime.date(start_year, 9, 1),
        ends_on=datetime.date(start_year + 1, 7, 15),
    )
    _staff(school, "admin", "Ngozi", "Adebayo", Membership.Role.ADMINISTRATOR, password_hash)
    teachers = [
        _staff(school, "t.garcia", "Carmen", "García", Membership.Role.TEACHER, password_hash),
        _staff(school, "t.lindqvist", "Anders", "Lindqvist", Membership.Role.TEACHER, password_hash),
        _staff(school, "t.mensah", "Kwame", "Mensah", Membership.Role.TEACHER, password_hash),
    ]
    co_teacher = _staff(school, "t.tanaka", "Yuki", "Tanaka", Membership.Role.TEACHER, password_hash)
    specialist = _staff(
        school,
        "s.byrne",
        "Siobhan",
        "Byrne",
        Membership.Role.SPECIALIST,
        password_hash,
        specialty="special_educator",
    )
    para = _staff(school, "p.novak", "Tomasz", "Novak", Membership.Role.PARA_PROFESSIONAL, password_hash)
    mentor = _staff(school, "m.costa", "Rafael", "Costa", Membership.Role.MENTOR, password_hash)

    taken = {name.casefold() for name in User.objects.values_list("username", flat=True)}
    first_names = FIRST_NAMES[:]
    rng.shuffle(first_names)
    supported: list[User] = []
    for index, (class_name, grade) in enumerate(CLASSES):
        school_class = services.class_create(
            actor=None, school=school, name=class_name, subject="Mathematics", grade_level=grade, term=term
        )
        services.teacher_assign(actor=None, school_class=school_class, teacher=teachers[index])
        if grade == 7:
            services.teacher_assign(actor=None, school_class=school_class, teacher=co_teacher, kind="co")
        for k in range(LEARNERS_PER_CLASS):
            first = first_names[(index * LEARNERS_PER_CLASS + k) % len(first_names)]
            last = rng.choice(LAST_NAMES)
            age = grade + 5 + rng.choice([0, 1])
            birth = datetime.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
            learner = services.person_add(
                actor=None,
                school=school,
                username=_username(first, last, taken),
                first_name=first,
                last_name=last,
                role=Membership.Role.LEARNER,
                birth_date=birth,
                grade_level=grade,
                password_hash=password_hash,
            ).user
            services.learner_enrol(actor=None, school_class=school_class, learner=learner)
            _add_guardians(school, learner, rng, taken, password_hash)
            if k in (3, 11):
                supported.append(learner)
    for learner in supported:
        services.supporter_assign(
            actor=None, school=school, staff=specialist, learner=learner, role="specialist"
        )
    for learner in supported[:3]:
        services.supporter_assign(
            actor=None, school=school, staff=para, learner=learner, role="para_professional"
        )
    services.supporter_assign(actor=None, school=school, staff=mentor, learner=supported[-1], role="mentor")
    return school, True


def _add_guardians(
    school: School, learner: User, rng: random.Random, taken: set[str], password_hash: str
) -> None:
    """One guardian for most learners, two for some."""
    count = 2 if rng.random() < 0.25 else 1
    for _ in range(count):
        first = rng.choice(ADULT_FIRST_NAMES)
        guardian = services.account_create(
            username=_username(first, learner.last_name, taken),
            first_name=first,
            last_name=learner.last_name,
            email=f"{first.lower()}.{learner.last_name.lower().replace(chr(39), '')}@example.org",
            password_hash=password_hash,
        )
        services.guardian_link(actor=None, school=school, guardian=guardian, learner=learner)
