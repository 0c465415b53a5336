"""CSV import of people and enrolments, with columns close to OneRoster 1.1 ``users.csv`` and
``enrollments.csv``.

The whole upload is read and validated before anything is written: every bad row is reported with its
file, line number (line 1 is the header) and reason, and when any row is bad nothing is imported. A good
upload is applied in one transaction through the roster services, and importing the same files again
changes nothing: people whose account already exists with the same name and e-mail are reused, and
roles, enrolments, teaching assignments and guardian links that already exist are skipped.

``users.csv`` columns: ``sourcedId``, ``username``, ``givenName``, ``familyName``, ``role`` (required);
``email``, ``grades``, ``birthDate``, ``agentSourcedIds``, ``specialty`` (optional). ``enrollments.csv``
columns: ``classSourcedId`` (the class's name in Tessera), ``userSourcedId``, ``role`` (required);
``primary`` (optional). Other OneRoster columns are ignored.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tessera.schools import permissions, services
from tessera.schools.errors import Conflict, DomainError
from tessera.schools.models import (
    Enrolment,
    Guardianship,
    Membership,
    School,
    SchoolClass,
    TeachingAssignment,
    User,
)
from tessera.schools.text import has_control_characters

Role = Membership.Role

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
GUARDIAN = "guardian"
BAD_ROW = "bad row"  # a sourcedId whose users.csv row is already reported as bad

USER_COLUMNS = ("sourcedId", "username", "givenName", "familyName", "role")
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length or 254
USER_OPTIONAL_COLUMNS = ("email", "grades", "birthDate", "agentSourcedIds", "specialty")
ENROLLMENT_COLUMNS = ("classSourcedId", "userSourcedId", "role")
ENROLLMENT_OPTIONAL_COLUMNS = ("primary",)

# OneRoster 1.1 roles (and Tessera's own names) → a Tessera role, or a guardian's relationship.
ROLE_MAP: dict[str, str] = {
    "administrator": Role.ADMINISTRATOR,
    "teacher": Role.TEACHER,
    "student": Role.LEARNER,
    "learner": Role.LEARNER,
    "aide": Role.PARA_PROFESSIONAL,
    "para_professional": Role.PARA_PROFESSIONAL,
    "specialist": Role.SPECIALIST,
    "mentor": Role.MENTOR,
    "guardian": GUARDIAN,
    "parent": GUARDIAN,
    "relative": GUARDIAN,
}
RELATIONSHIP_MAP = {
    "guardian": Guardianship.Relationship.GUARDIAN,
    "parent": Guardianship.Relationship.PARENT,
    "relative": Guardianship.Relationship.RELATIVE,
}
GRADE_MAP = {"KG": 0, "K": 0, **{f"{n:02d}": n for n in range(1, 14)}, **{str(n): n for n in range(14)}}
TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0"}

EXAMPLE_USERS = """\
sourcedId,username,givenName,familyName,email,role,grades,birthDate,agentSourcedIds,specialty
ex-t1,rita.ferreira,Rita,Ferreira,rita.ferreira@example.org,teacher,,,,
ex-s1,lena.varga,Lena,Varga,,student,07,2013-04-12,,
ex-s2,tupac.quispe,Tupac,Quispe,,student,07,2013-09-30,,
ex-p1,ilona.varga,Ilona,Varga,ilona.varga@example.org,parent,,,ex-s1,
ex-a1,jonas.haugen,Jonas,Haugen,jonas.haugen@example.org,aide,,,,
ex-x1,dana.castellanos,Dana,Castellanos,dana.castellanos@example.org,specialist,,,,therapist
"""


def example_enrollments(class_name: str) -> str:
    """The example enrollments.csv, using the name of one of the school's own classes."""
    quoted = '"' + class_name.replace('"', '""') + '"'
    return (
        "classSourcedId,userSourcedId,role,primary\n"
        f"{quoted},ex-t1,teacher,true\n"
        f"{quoted},ex-s1,student,\n"
        f"{quoted},ex-s2,student,\n"
    )


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file} line {self.line}: {self.message}"


@dataclass
class ImportResult:
    """What an import did (``created``, ``unchanged``), or why it did nothing (``errors``)."""

    errors: list[RowError] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRejected(DomainError):
    """The upload as a whole cannot be read (too large, not UTF-8, not CSV, missing columns)."""


@dataclass
class _Person:
    line: int
    sourced_id: str
    username: str
    first_name: str
    last_name: str
    email: str
    role: str  # a Membership.Role value or GUARDIAN
    relationship: str
    grade_level: int | None
    birth_date: datetime.date | None
    specialty: str
    agents: list[str]
    existing: User | None = None


@dataclass
class _Enrolment:
    line: int
    school_class: SchoolClass
    user_sourced_id: str
    role: str
    kind: str


@dataclass
class _Plan:
    people: list[_Person]
    enrolments: list[_Enrolment]
    # sourcedId → role of people already in the school (memberships with that sourced_id).
    known: dict[str, Membership]
    errors: list[RowError]


# --- reading -------------------------------------------------------------------------------------


def _rows(
    name: str, data: bytes, required: tuple[str, ...], optional: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, row) with canonical column names and stripped values; reject unreadable files."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected(
            _("%(file)s is larger than %(mb)d MB; split it.")
            % {"file": name, "mb": MAX_FILE_BYTES // (1024 * 1024)},
            code="schools.import_file_too_large",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected(
            _("%(file)s is not UTF-8 text (byte %(byte)d); save it as “CSV UTF-8” and try again.")
            % {"file": name, "byte": error.start + 1},
            code="schools.import_wrong_encoding",
        ) from None
    if "\x00" in text:
        raise ImportRejected(
            _("%(file)s is not a CSV text file.") % {"file": name}, code="schools.import_not_csv"
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected(
            _("%(file)s is empty; the first line must name the columns.") % {"file": name},
            code="schools.import_empty",
        ) from None
    except csv.Error as error:
        raise ImportRejected(
            _("%(file)s line %(line)d: %(error)s.") % {"file": name, "line": 1, "error": error},
            code="schools.import_csv_error",
        ) from None
    canonical = {column.lower(): column for column in (*required, *optional)}
    columns = [canonical.get(h.strip().lower(), h.strip()) for h in header]
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        raise ImportRejected(
            _("%(file)s line 1: the column %(columns)s appears more than once.")
            % {"file": name, "columns": ", ".join(repeated)},
            code="schools.import_repeated_column",
        )
    missing = [c for c in required if c not in columns]
    if missing:
        raise ImportRejected(
            _("%(file)s line 1: missing required column %(columns)s.")
            % {"file": name, "columns": ", ".join(missing)},
            code="schools.import_missing_column",
        )
    line = reader.line_num
    count = 0
    try:
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            count += 1
            if count > MAX_ROWS:
                raise ImportRejected(
                    _("%(file)s has more than %(max)s rows; split it.")
                    % {"file": name, "max": number_format(MAX_ROWS, force_grouping=True)},
                    code="schools.import_too_many_rows",
                )
            if len(values) > len(columns):
                values = values[: len(columns)]
            row = {c: v.strip() for c, v in zip(columns, values, strict=False)}
            yield start, {c: row.get(c, "") for c in (*required, *optional)}
    except csv.Error as error:
        raise ImportRejected(
            _("%(file)s line %(line)d: %(error)s.") % {"file": name, "line": reader.line_num, "error": error},
            code="schools.import_csv_error",
        ) from None


def _grade(value: str) -> int | None:
    grades = [g.strip() for g in value.split(",") if g.strip()]
    if not grades:
        return None
    if len(grades) > 1:
        raise ValueError(f"a learner has one grade, not “{value}”")
    grade = GRADE_MAP.get(grades[0].upper())
    if grade is None:
        raise ValueError(f"unknown grade “{grades[0]}” (use KG or 01 to 13)")
    return grade


def _date(value: str) -> datetime.date | None:
    if not value:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"birthDate “{value}” is not a date like 2014-03-31") from None
    if day > datetime.date.today():
        raise ValueError(f"birthDate {value} is in the future")
    return day


def _person(line: int, row: dict[str, str]) -> tuple[_Person | None, list[str]]:
    problems: list[str] = []
    for column in USER_COLUMNS:
        if not row[column]:
            problems.append(f"{column} is empty")
    if len(row["sourcedId"]) > 64:
        problems.append("sourcedId is longer than 64 characters")
    if row["username"]:
        try:
            UnicodeUsernameValidator()(row["username"])
        except ValidationError:
            problems.append(f"username “{row['username']}” may only contain letters, digits and @.+-_")
        if len(row["username"]) > 150:
            problems.append("username is longer than 150 characters")
    for column in ("givenName", "familyName"):
        if len(row[column]) > 150:
            problems.append(f"{column} is longer than 150 characters")
        if has_control_characters(row[column]):
            problems.append(f"{column} contains characters that are not text")
    if len(row["email"]) > EMAIL_MAX_LENGTH:
        problems.append(f"email is longer than {EMAIL_MAX_LENGTH} characters")
    elif row["email"]:
        try:
            validate_email(row["email"])
        except ValidationError:
            problems.append(f"email “{row['email']}” is not an e-mail address")
    raw_role = row["role"].lower()
    role = ROLE_MAP.get(raw_role)
    if row["role"] and role is None:
        problems.append(f"unknown role “{row['role']}” (expected one of {', '.join(ROLE_MAP)})")
    grade = birth = None
    try:
        grade = _grade(row["grades"])
    except ValueError as error:
        problems.append(str(error))
    try:
        birth = _date(row["birthDate"])
    except ValueError as error:
        problems.append(str(error))
    specialty = row["specialty"].lower()
    if specialty and specialty not in Membership.Specialty.values:
        problems.append(f"unknown specialty “{row['specialty']}”")
    elif specialty and role != Role.SPECIALIST:
        problems.append("only specialists have a specialty")
    agents = [a.strip() for a in row["agentSourcedIds"].split(",") if a.strip()]
    if agents and role not in (GUARDIAN, Role.LEARNER):
        problems.append("agentSourcedIds link guardians and learners only")
    if problems or role is None:
        return None, problems
    return (
        _Person(
            line=line,
            sourced_id=row["sourcedId"],
            username=row["username"],
            first_name=row["givenName"],
            last_name=row["familyName"],
            email=row["email"],
            role=role,
            relationship=RELATIONSHIP_MAP.get(raw_role, Guardianship.Relationship.GUARDIAN),
            grade_level=grade if role == Role.LEARNER else None,
            birth_date=birth,
            specialty=specialty,
            agents=agents,
        ),
        [],
    )


# --- validating the whole upload ----------------------------------------------------------------


def _existing_users(school: School, usernames: list[str]) -> tuple[dict[str, User], set[str]]:
    """Accounts the school knows by these usernames (keyed without case), and the usernames taken by
    accounts it does not know (another school's people: never reused, never described)."""
    known_ids = set(permissions.accounts_known_to(school).values_list("pk", flat=True))
    found: dict[str, User] = {}
    taken: set[str] = set()
    for start in range(0, len(usernames), 500):
        batch = [name.casefold() for name in usernames[start : start + 500]]
        for user in User.objects.annotate(folded=Lower("username")).filter(folded__in=batch):
            if user.pk in known_ids:
                found[user.username.casefold()] = user
            else:
                taken.add(user.username.casefold())
    return found, taken


def _check_people(school: School, people: list[_Person], errors: list[RowError]) -> dict[str, Membership]:
    """Check people against each other and the database; return the school's known sourcedIds."""
    first_line: dict[tuple[str, str], int] = {}
    for person in people:
        for column, value in (("sourcedId", person.sourced_id), ("username", person.username)):
            key = (column, value.casefold())
            if key in first_line:
                message = f"{column} “{value}” is also on line {first_line[key]}"
                errors.append(RowError("users.csv", person.line, message))
            else:
                first_line[key] = person.line
    existing, taken_elsewhere = _existing_users(school, [p.username for p in people])
    known = {
        m.sourced_id: m
        for m in Membership.objects.filter(school=school).exclude(sourced_id="").select_related("user")
    }
    for person in people:
        if person.username.casefold() in taken_elsewhere:
            errors.append(
                RowError("users.csv", person.line, f"username “{person.username}” is already taken")
            )
            continue
        user = existing.get(person.username.casefold())
        if user is not None:
            if not services.is_same_person(
                user, first_name=person.first_name, last_name=person.last_name, email=person.email
            ):
                errors.append(
                    RowError(
                        "users.csv",
                        person.line,
                        f"username “{person.username}” already belongs to someone else in this school",
                    )
                )
                continue
            person.existing = user
        owner = known.get(person.sourced_id)
        if owner is not None and owner.user.username != person.username:
            errors.append(
                RowError(
                    "users.csv",
                    person.line,
                    f"sourcedId “{person.sourced_id}” already belongs to {owner.user.username} here",
                )
            )
    return known


def _check_agents(people: list[_Person], roles: dict[str, str], errors: list[RowError]) -> None:
    for person in people:
        wanted = Role.LEARNER if person.role == GUARDIAN else GUARDIAN
        wanted_name = "learner" if wanted == Role.LEARNER else "guardian"
        for agent in person.agents:
            role = roles.get(agent)
            if role == BAD_ROW:
                continue
            if role is None:
                errors.append(RowError("users.csv", person.line, f"agentSourcedIds: unknown user “{agent}”"))
            elif role != wanted:
                errors.append(
                    RowError(
                        "users.csv",
                        person.line,
                        f"agentSourcedIds: “{agent}” is not a {wanted_name}",
                    )
                )


def _class_by_name(school: School) -> dict[str, list[SchoolClass]]:
    classes: dict[str, list[SchoolClass]] = {}
    for school_class in SchoolClass.objects.filter(school=school).select_related("term"):
        classes.setdefault(school_class.name.casefold(), []).append(school_class)
    return classes


def _enrolments(
    school: School, data: bytes, roles: dict[str, str], errors: list[RowError]
) -> list[_Enrolment]:
    name = "enrollments.csv"
    classes = _class_by_name(school)
    seen: dict[tuple[int, str], int] = {}
    planned: list[_Enrolment] = []
    for line, row in _rows(name, data, ENROLLMENT_COLUMNS, ENROLLMENT_OPTIONAL_COLUMNS):
        problems = [f"{column} is empty" for column in ENROLLMENT_COLUMNS if not row[column]]
        matches = classes.get(row["classSourcedId"].casefold(), []) if row["classSourcedId"] else []
        if row["classSourcedId"] and not matches:
            problems.append(f"unknown class “{row['classSourcedId']}”")
        elif len(matches) > 1:
            terms = ", ".join(c.term.name for c in matches)
            problems.append(f"class name “{row['classSourcedId']}” is used in several terms ({terms})")
        role = row["role"].lower()
        wanted = {"student": Role.LEARNER, "learner": Role.LEARNER, "teacher": Role.TEACHER}.get(role)
        if row["role"] and wanted is None:
            problems.append(f"unknown enrolment role “{row['role']}” (expected student or teacher)")
        user_role = roles.get(row["userSourcedId"])
        if user_role == BAD_ROW:
            user_role = wanted  # that users.csv row is reported already; do not report it twice
        if row["userSourcedId"] and user_role is None:
            problems.append(f"unknown user “{row['userSourcedId']}”")
        elif wanted is not None and user_role is not None and user_role != wanted:
            problems.append(f"user “{row['userSourcedId']}” is not a {Role(wanted).label.lower()}")
        primary = row["primary"].lower()
        if primary and primary not in TRUE_WORDS | FALSE_WORDS:
            problems.append(f"primary “{row['primary']}” is not true or false")
        if not problems:
            key = (matches[0].pk, row["userSourcedId"])
            if key in seen:
                problems.append(f"the same enrolment is also on line {seen[key]}")
            seen.setdefault(key, line)
        if problems:
            errors.append(RowError(name, line, "; ".join(problems)))
            continue
        planned.append(
            _Enrolment(
                line=line,
                school_class=matches[0],
                user_sourced_id=row["userSourcedId"],
                role=wanted or "",
                kind=TeachingAssignment.Kind.CO if primary in FALSE_WORDS else TeachingAssignment.Kind.LEAD,
            )
        )
    return planned


def roster_plan(*, school: School, users: bytes, enrollments: bytes | None = None) -> _Plan:
    """Read and validate the whole upload without writing anything."""
    errors: list[RowError] = []
    people: list[_Person] = []
    bad_ids: set[str] = set()
    for line, row in _rows("users.csv", users, USER_COLUMNS, USER_OPTIONAL_COLUMNS):
        person, problems = _person(line, row)
        if problems:
            errors.append(RowError("users.csv", line, "; ".join(problems)))
            bad_ids.add(row["sourcedId"])
        elif person is not None:
            people.append(person)
    known = _check_people(school, people, errors)
    # What each sourcedId is: people already in the school, then this file's rows (bad rows marked).
    roles = {sid: m.role for sid, m in known.items()} | {p.sourced_id: p.role for p in people}
    roles |= dict.fromkeys(bad_ids, BAD_ROW)
    _check_agents(people, roles, errors)
    planned = _enrolments(school, enrollments, roles, errors) if enrollments else []
    errors.sort(key=lambda e: (e.file != "users.csv", e.line))
    return _Plan(people=people, enrolments=planned, known=known, errors=errors)


# --- importing -----------------------------------------------------------------------------------


class _RowFailed(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


def _created(file: str, line: int, write: Callable[[], object]) -> bool:
    """Run one service call: True when it created something, False when it already existed."""
    try:
        write()
    except Conflict:
        return False
    except DomainError as error:
        raise _RowFailed(RowError(file, line, error.message)) from None
    return True


def _import_person(school: School, person: _Person) -> User:
    """Create (or reuse) the person's account and role; return the account."""
    if person.role == GUARDIAN:
        if person.existing is not None:
            return person.existing
        return services.account_create(
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            birth_date=person.birth_date,
        )
    try:
        return services.person_add(
            actor=None,
            school=school,
            username=person.existing.username if person.existing else person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            role=person.role,
            email=person.email,
            birth_date=person.birth_date,
            grade_level=person.grade_level,
            specialty=person.specialty,
            sourced_id=person.sourced_id,
            require_same_person=True,
        ).user
    except DomainError as error:
        raise _RowFailed(RowError("users.csv", person.line, error.message)) from None


def _guardian_links(people: list[_Person]) -> dict[tuple[str, str], _Person]:
    """(guardian sourcedId, learner sourcedId) → the row that asks for the link, once per pair."""
    links: dict[tuple[str, str], _Person] = {}
    by_id = {p.sourced_id: p for p in people}
    for person in people:
        for agent in person.agents:
            if person.role == GUARDIAN:
                links[(person.sourced_id, agent)] = person
            else:
                links.setdefault((agent, person.sourced_id), by_id.get(agent, person))
    return links


@dataclass
class _Existing:
    """What the school already has, loaded once, so that a re-import skips it without a query a row."""

    roles: set[tuple[int, str]]
    enrolled: set[tuple[int, int]]
    teaching: set[tuple[int, int]]
    links: set[tuple[int, int]]

    @classmethod
    def of(cls, school: School) -> _Existing:
        return cls(
            roles=set(Membership.objects.filter(school=school).values_list("user_id", "role")),
            enrolled=set(
                Enrolment.objects.filter(school=school).values_list("school_class_id", "learner_id")
            ),
            teaching=set(
                TeachingAssignment.objects.filter(school=school).values_list("school_class_id", "teacher_id")
            ),
            links=set(
                Guardianship.objects.filter(school=school, revoked_at__isnull=True).values_list(
                    "guardian_id", "learner_id"
                )
            ),
        )


def _apply(school: School, plan: _Plan, result: ImportResult) -> None:
    """Write the plan through the services. Permission was checked once by the caller (actor=None)."""
    existing = _Existing.of(school)
    users: dict[str, User] = {sid: m.user for sid, m in plan.known.items()}
    for person in plan.people:
        if person.existing is not None and (
            person.role == GUARDIAN or (person.existing.pk, person.role) in existing.roles
        ):
            users[person.sourced_id] = person.existing
            result.unchanged += 1
            continue
        if person.existing is None:
            result.created["people"] += 1
        if person.role != GUARDIAN:
            result.created["roles"] += 1
        users[person.sourced_id] = _import_person(school, person)

    for (guardian_id, learner_id), person in _guardian_links(plan.people).items():
        guardian, learner = users[guardian_id], users[learner_id]
        relationship = person.relationship if person.role == GUARDIAN else Guardianship.Relationship.PARENT
        link = partial(
            services.guardian_link,
            actor=None,
            school=school,
            guardian=guardian,
            learner=learner,
            relationship=relationship,
        )
        created = (guardian.pk, learner.pk) not in existing.links and _created("users.csv", person.line, link)
        result.created["guardian links"] += created
        result.unchanged += not created

    for enrolment in plan.enrolments:
        user = users[enrolment.user_sourced_id]
        key = (enrolment.school_class.pk, user.pk)
        write: Callable[[], object]
        if enrolment.role == Role.LEARNER:
            kind, done = "enrolments", key in existing.enrolled
            write = partial(
                services.learner_enrol, actor=None, school_class=enrolment.school_class, learner=user
            )
        else:
            kind, done = "teaching assignments", key in existing.teaching
            write = partial(
                services.teacher_assign,
                actor=None,
                school_class=enrolment.school_class,
                teacher=user,
                kind=enrolment.kind,
            )
        created = not done and _created("enrollments.csv", enrolment.line, write)
        result.created[kind] += created
        result.unchanged += not created


def roster_import(
    *, actor: User, school: School, users: bytes, enrollments: bytes | None = None
) -> ImportResult:
    """Validate the whole upload, then import all of it in one transaction, or nothing.

    Raises :class:`ImportRejected` for an upload that cannot be read at all (too large, not UTF-8,
    missing columns); returns an :class:`ImportResult` listing every bad row otherwise.
    """
    permissions.require_school_admin(actor, school, to="import its roster")
    plan = roster_plan(school=school, users=users, enrollments=enrollments)
    if plan.errors:
        return ImportResult(errors=plan.errors)
    result = ImportResult()
    try:
        with transaction.atomic():
            _apply(school, plan, result)
    except _RowFailed as failure:
        return ImportResult(errors=[failure.error])
    return result
