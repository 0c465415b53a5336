"""Every write to schools, people and memberships. Keyword-only, transactional, raising domain errors.

Services check permissions with the object checks of :mod:`tessera.schools.permissions`; callers
(API, pages, management commands) only parse input and render results.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.schools import permissions
from tessera.schools.errors import Conflict, DomainError, NotFound, PermissionDenied
from tessera.schools.models import (
    AcademicTerm,
    AuditEntry,
    Enrolment,
    GuardianInvitation,
    Guardianship,
    Membership,
    School,
    SchoolClass,
    SupportAssignment,
    TeachingAssignment,
    User,
)
from tessera.schools.sessions import store as sessions
from tessera.schools.text import has_control_characters

Role = Membership.Role
T = TypeVar("T")


def _insert(conflict: Conflict, create: Callable[[], T]) -> T:
    """Run one INSERT in a savepoint. When a unique constraint refuses it (a double submit racing its
    twin past the friendly checks), the caller gets the same :class:`Conflict` as a plain repeat."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        raise conflict from None


def _require_name(value: str, what: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise DomainError(_("%(what)s needs a name.") % {"what": what}, code="schools.name_required")
    return cleaned


def _require_member(school: School, user: User, role: str, what: str) -> Membership:
    membership = Membership.objects.filter(school=school, user=user, role=role).first()
    if membership is None:
        raise DomainError(
            _("%(name)s is not a %(role)s of %(school)s.")
            % {"name": user.name, "role": what, "school": school.name},
            code="schools.not_a_member",
        )
    return membership


def term_create(
    *, actor: User, school: School, name: str, starts_on: datetime.date, ends_on: datetime.date
) -> AcademicTerm:
    permissions.require_school_admin(actor, school)
    name = _require_name(name, _("A term"))
    if ends_on <= starts_on:
        raise DomainError(_("A term must end after it starts."), code="schools.term_dates_invalid")
    conflict = Conflict(
        _("There is already a term called “%(name)s”.") % {"name": name}, code="schools.term_exists"
    )
    if AcademicTerm.objects.filter(school=school, name=name).exists():
        raise conflict
    return _insert(
        conflict,
        lambda: AcademicTerm.objects.create(school=school, name=name, starts_on=starts_on, ends_on=ends_on),
    )


def class_create(
    *, actor: User | None, school: School, name: str, subject: str, grade_level: int, term: AcademicTerm
) -> SchoolClass:
    if actor is not None:
        permissions.require_school_admin(actor, school)
    if term.school_id != school.pk:
        raise DomainError(_("That term belongs to another school."), code="schools.term_other_school")
    if not 0 <= grade_level <= 13:
        raise DomainError(
            _("Grade level must be between 0 (kindergarten) and 13."), code="schools.invalid_grade_level"
        )
    name = _require_name(name, _("A class"))
    conflict = Conflict(
        _("There is already a class called “%(name)s” in %(term)s.") % {"name": name, "term": term.name},
        code="schools.class_exists",
    )
    if SchoolClass.objects.filter(school=school, term=term, name=name).exists():
        raise conflict
    return _insert(
        conflict,
        lambda: SchoolClass.objects.create(
            school=school, name=name, subject=subject.strip(), grade_level=grade_level, term=term
        ),
    )


@transaction.atomic
def person_add(
    *,
    actor: User | None,
    school: School,
    username: str,
    first_name: str,
    last_name: str,
    role: str,
    email: str = "",
    birth_date: datetime.date | None = None,
    grade_level: int | None = None,
    specialty: str = "",
    sourced_id: str = "",
    password_hash: str | None = None,
    require_same_person: bool = False,
) -> Membership:
    """Give a person a role in the school, creating their account if the username is new.

    ``actor`` is None only for trusted callers (management commands such as the demo loader).
    A new account gets ``password_hash`` (from ``make_password``) or, without it, no usable password
    until the person sets one through a reset or an invitation. An existing username is reused only for
    an account this school already knows (:func:`permissions.accounts_known_to`); with
    ``require_same_person`` (roster pages and imports) it must also describe the same person
    (:func:`is_same_person`). Otherwise it is a :class:`Conflict` that reveals nothing about the account.
    """
    if actor is not None:
        permissions.require_school_admin(actor, school)
    if role not in Role.values:
        raise DomainError(
            _("Unknown role “%(role)s”; expected one of %(choices)s.")
            % {"role": role, "choices": ", ".join(Role.values)},
            code="schools.unknown_role",
        )
    if specialty and role != Role.SPECIALIST:
        raise DomainError(_("Only specialists have a specialty."), code="schools.specialty_not_specialist")
    user = User.objects.filter(username=username).first()
    if user is None:
        user = account_create(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            birth_date=birth_date,
            password_hash=password_hash,
        )
    elif not permissions.accounts_known_to(school).filter(pk=user.pk).exists():
        raise Conflict(
            _("The username “%(username)s” is already taken; choose another.") % {"username": username},
            code="schools.username_taken",
        )
    elif require_same_person and not is_same_person(
        user, first_name=first_name, last_name=last_name, email=email
    ):
        raise Conflict(
            _("The username “%(username)s” already belongs to someone else in %(school)s.")
            % {"username": username, "school": school.name},
            code="schools.username_other_person",
        )
    conflict = Conflict(
        _("%(name)s is already a %(role)s of %(school)s.")
        % {"name": user.name, "role": Role(role).label.lower(), "school": school.name},
        code="schools.already_member",
    )
    if Membership.objects.filter(school=school, user=user, role=role).exists():
        raise conflict
    return _insert(
        conflict,
        lambda: Membership.objects.create(
            school=school,
            user=user,
            role=role,
            grade_level=grade_level if role == Role.LEARNER else None,
            specialty=specialty,
            sourced_id=sourced_id,
            approved_at=timezone.now() if role == Role.MENTOR else None,
        ),
    )


def account_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    birth_date: datetime.date | None = None,
    password_hash: str | None = None,
) -> User:
    """Create a sign-in account: the one place accounts are made (roster, import, invitations, demo).

    Usernames are unique without regard to case, so “Ana” and “ana” can never be two people. Without
    ``password_hash`` (from ``make_password``) the account has no usable password until its owner sets
    one through a password reset or an invitation.
    """
    for name in (first_name, last_name):
        if has_control_characters(name):
            raise DomainError(
                _("A given or family name contains characters that are not text."),
                code="schools.text_not_plain",
            )
    taken = Conflict(
        _("The username “%(username)s” is already taken; choose another.") % {"username": username},
        code="schools.username_taken",
    )
    if User.objects.filter(username__iexact=username).exists():
        raise taken
    user = User(
        username=username, first_name=first_name, last_name=last_name, email=email, birth_date=birth_date
    )
    if password_hash:
        user.password = password_hash
    else:
        user.set_unusable_password()
    _insert(taken, user.save)
    return user


def is_same_person(user: User, *, first_name: str, last_name: str, email: str) -> bool:
    """Whether an existing account describes the same person: same given and family name and the same
    e-mail address (compared without case; two empty addresses count as the same)."""
    return (
        user.first_name.casefold() == first_name.casefold()
        and user.last_name.casefold() == last_name.casefold()
        and user.email.casefold() == email.casefold()
    )


def learner_enrol(*, actor: User | None, school_class: SchoolClass, learner: User) -> Enrolment:
    school = school_class.school
    if actor is not None:
        permissions.require_school_admin(actor, school)
    _require_member(school, learner, Role.LEARNER, _("learner"))
    return _insert(
        Conflict(
            _("%(learner)s is already enrolled in %(class)s.")
            % {"learner": learner.name, "class": school_class.name},
            code="schools.already_enrolled",
        ),
        lambda: Enrolment.objects.create(school=school, school_class=school_class, learner=learner),
    )


def learner_unenrol(*, actor: User, school_class: SchoolClass, learner: User) -> None:
    permissions.require_school_admin(actor, school_class.school)
    deleted, _count = Enrolment.objects.filter(school_class=school_class, learner=learner).delete()
    if not deleted:
        raise DomainError(
            _("%(learner)s is not enrolled in %(class)s.")
            % {"learner": learner.name, "class": school_class.name},
            code="schools.not_enrolled",
        )


def teacher_assign(
    *, actor: User | None, school_class: SchoolClass, teacher: User, kind: str = TeachingAssignment.Kind.LEAD
) -> TeachingAssignment:
    school = school_class.school
    if actor is not None:
        permissions.require_school_admin(actor, school)
    _require_member(school, teacher, Role.TEACHER, _("teacher"))
    if kind not in TeachingAssignment.Kind.values:
        raise DomainError(_("Teaching role must be “lead” or “co”."), code="schools.unknown_teaching_role")
    return _insert(
        Conflict(
            _("%(teacher)s already teaches %(class)s.")
            % {"teacher": teacher.name, "class": school_class.name},
            code="schools.already_teaching",
        ),
        lambda: TeachingAssignment.objects.create(
            school=school, school_class=school_class, teacher=teacher, kind=kind
        ),
    )


def supporter_assign(
    *, actor: User | None, school: School, staff: User, learner: User, role: str
) -> SupportAssignment:
    """Assign a specialist, para-professional or approved mentor to work with one learner."""
    if actor is not None:
        permissions.require_school_admin(actor, school)
    if role not in SupportAssignment.Role.values:
        raise DomainError(
            _("Support role must be specialist, para_professional or mentor."),
            code="schools.unknown_support_role",
        )
    staff_membership = _require_member(school, staff, role, SupportAssignment.Role(role).label.lower())
    if role == Role.MENTOR and staff_membership.approved_at is None:
        raise PermissionDenied(
            _("%(name)s is not an approved mentor yet.") % {"name": staff.name},
            code="schools.mentor_not_approved",
        )
    _require_member(school, learner, Role.LEARNER, _("learner"))
    return _insert(
        Conflict(
            _("%(staff)s is already assigned to %(learner)s.")
            % {"staff": staff.name, "learner": learner.name},
            code="schools.already_supporting",
        ),
        lambda: SupportAssignment.objects.create(school=school, staff=staff, learner=learner, role=role),
    )


def guardian_link(
    *, actor: User | None, school: School, guardian: User, learner: User, relationship: str = "parent"
) -> Guardianship:
    """Link a guardian to a learner of the school.

    An administrator (``actor``) may link only accounts the school already knows; anyone else becomes a
    guardian by accepting an invitation (``actor=None`` from :mod:`tessera.schools.invitations`).
    """
    if actor is not None:
        permissions.require_school_admin(actor, school)
        if not permissions.accounts_known_to(school).filter(pk=guardian.pk).exists():
            raise DomainError(
                _(
                    "That account is not known to this school. "
                    "Create a guardian account or send an invitation."
                ),
                code="schools.account_unknown",
            )
    _require_member(school, learner, Role.LEARNER, _("learner"))
    if guardian.pk == learner.pk:
        raise DomainError(_("A learner cannot be their own guardian."), code="schools.own_guardian")
    if relationship not in Guardianship.Relationship.values:
        raise DomainError(
            _("Unknown relationship “%(relationship)s”.") % {"relationship": relationship},
            code="schools.unknown_relationship",
        )
    return _insert(
        Conflict(
            _("%(guardian)s is already a guardian of %(learner)s.")
            % {"guardian": guardian.name, "learner": learner.name},
            code="schools.already_guardian",
        ),
        lambda: Guardianship.objects.create(
            school=school, guardian=guardian, learner=learner, relationship=relationship
        ),
    )


@transaction.atomic
def guardian_create(
    *,
    actor: User | None,
    school: School,
    learner: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    relationship: str = "parent",
) -> Guardianship:
    """Create a guardian's account (no usable password until they reset it) and link it to a learner."""
    if actor is not None:
        permissions.require_school_admin(actor, school)
    guardian = account_create(username=username, first_name=first_name, last_name=last_name, email=email)
    return guardian_link(
        actor=None, school=school, guardian=guardian, learner=learner, relationship=relationship
    )


@transaction.atomic
def guardianship_revoke(*, actor: User, guardianship: Guardianship) -> Guardianship:
    """End a guardian's link. Unused invitation codes for the learner stop working too, so a revoked
    guardian cannot link themself again with a code sent earlier; the school can send new ones."""
    permissions.require_school_admin(actor, guardianship.school)
    if guardianship.revoked_at is None:
        now = timezone.now()
        guardianship.revoked_at = now
        guardianship.save(update_fields=["revoked_at"])
        GuardianInvitation.objects.filter(
            school=guardianship.school, learner=guardianship.learner, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
    return guardianship


# --- the audit log ---------------------------------------------------------------------------------


def audit_record(
    *,
    school: School,
    actor: User | None,
    action: str,
    subject: User | None = None,
    school_class: SchoolClass | None = None,
    detail: str = "",
) -> AuditEntry:
    """Record who did what for whom (in the caller's transaction: nothing is recorded that did not happen)."""
    return AuditEntry.objects.create(
        school=school,
        actor=actor,
        action=action,
        subject=subject,
        school_class=school_class,
        detail=detail[:200],
    )


# --- a learner's sign-in: passwords and sign-in cards -----------------------------------------------

# Short, concrete words a young reader knows; a card's password is two of them and a number.
CARD_WORDS = (  # noqa: SIM905 (a word list reads better as words)
    "apple bear bird boat cake cloud corn crab daisy duck eagle fish flag frog gold grape horse kite "
    "lake leaf lemon lion maple melon moon mouse nest ocean otter owl panda pear piano plum pony rain "
    "river robin rocket seal shell ship snow star stone sun tiger tree tulip whale wind wolf zebra"
).split()


def simple_password(user: User) -> str:
    """A password a young learner can type from a card (``tiger-maple-47``) that the validators accept."""
    while True:
        words = [secrets.choice(CARD_WORDS) for _ in range(2)]
        candidate = f"{words[0]}-{words[1]}-{secrets.randbelow(90) + 10}"
        try:
            validate_password(candidate, user=user)
        except ValidationError:
            continue
        return candidate


def _managed_learner(actor: User, school_class: SchoolClass, learner: User) -> Membership:
    """The learner's membership, when they are in the class and the actor may manage their sign-in;
    otherwise :class:`NotFound` (nobody learns whether the learner exists)."""
    membership = (
        permissions.learner_sign_ins_managed_by(actor)
        .filter(school=school_class.school, user=learner, user__enrolments__school_class=school_class)
        .first()
    )
    if membership is None:
        raise NotFound(_("There is no such learner in this class."), code="schools.learner_not_found")
    return membership


@transaction.atomic
def learner_password_set(*, actor: User, school_class: SchoolClass, learner: User, password: str) -> None:
    """Set (or reset) a learner's password: a teacher of their class or a school administrator. The
    password must pass the site's validators; the learner's other sessions end (their hash changes)."""
    _managed_learner(actor, school_class, learner)
    try:
        validate_password(password, user=learner)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), code="schools.password_rejected") from None
    had_password = learner.has_usable_password()
    learner.set_password(password)
    learner.save(update_fields=["password"])
    audit_record(
        school=school_class.school,
        actor=actor,
        action=AuditEntry.Action.PASSWORD_SET,
        subject=learner,
        school_class=school_class,
        detail="reset the password" if had_password else "set a first password",
    )


@dataclass(frozen=True)
class SignInCard:
    """One learner's card: ``password`` is the new password, or None when they keep the one they have."""

    learner: User
    password: str | None


def sign_in_card_learners(actor: User, school_class: SchoolClass) -> list[Membership]:
    """The learners of the class whose sign-in the actor manages, in card order (family, given name)."""
    return list(
        permissions.learner_sign_ins_managed_by(actor)
        .filter(school=school_class.school, user__enrolments__school_class=school_class)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__pk")
    )


@transaction.atomic
def sign_in_cards_issue(*, actor: User, school_class: SchoolClass, reset_existing: bool) -> list[SignInCard]:
    """Cards for every learner of the class. A learner without a password gets a new simple one; a
    learner who has one keeps it (their card says so) unless ``reset_existing``, which replaces it.
    Each card is audited."""
    if not permissions.can_view_class_roster(actor, school_class):
        raise NotFound(_("There is no such class."), code="schools.class_not_found")
    cards = []
    for membership in sign_in_card_learners(actor, school_class):
        learner = membership.user
        if learner.has_usable_password() and not reset_existing:
            cards.append(SignInCard(learner, None))
            detail = "printed a sign-in card; the password they have was kept"
        else:
            detail = (
                "printed a sign-in card with a new password, replacing the old one"
                if learner.has_usable_password()
                else "printed a sign-in card with a first password"
            )
            password = simple_password(learner)
            learner.set_password(password)
            learner.save(update_fields=["password"])
            cards.append(SignInCard(learner, password))
        audit_record(
            school=school_class.school,
            actor=actor,
            action=AuditEntry.Action.SIGN_IN_CARD,
            subject=learner,
            school_class=school_class,
            detail=detail,
        )
    return cards


# --- access that ends (and resumes) -----------------------------------------------------------------


def _school_person(school: School, user: User) -> None:
    member = Membership.objects.filter(school=school, user=user).exists()
    guardian = Guardianship.objects.filter(school=school, guardian=user, revoked_at__isnull=True).exists()
    if not (member or guardian):
        raise NotFound(_("There is no such person in this school."), code="schools.person_not_found")


def _only_in_schools_of(actor: User, user: User) -> None:
    """An account is global; a school's administrator may switch it off only when every role and link
    it has is in schools they administer."""
    managed = permissions.schools_managed_by(actor).values("pk")
    links = Guardianship.objects.filter(guardian=user, revoked_at__isnull=True)
    elsewhere = (
        Membership.objects.filter(user=user).exclude(school__in=managed).exists()
        or links.exclude(school__in=managed).exists()
    )
    if elsewhere:
        raise PermissionDenied(
            _(
                "%(name)s also belongs to another school, so this school cannot switch the account off. "
                "End their roles and links here instead."
            )
            % {"name": user.name},
            code="schools.account_in_other_school",
        )


@transaction.atomic
def account_deactivate(*, actor: User, school: School, user: User) -> int:
    """Switch an account off: it can no longer sign in, every session of it ends now, and every
    permission ignores it. The account and its records stay; :func:`account_reactivate` undoes it.
    Returns how many sessions ended."""
    permissions.require_school_admin(actor, school, to=_("deactivate accounts"))
    _school_person(school, user)
    if user.pk == actor.pk:
        raise DomainError(_("You cannot deactivate your own account."), code="schools.deactivate_self")
    if not user.is_active:
        raise Conflict(
            _("%(name)s's account is already deactivated.") % {"name": user.name},
            code="schools.account_already_deactivated",
        )
    _only_in_schools_of(actor, user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions.sessions_end_for(user)
    audit_record(school=school, actor=actor, action=AuditEntry.Action.ACCOUNT_DEACTIVATED, subject=user)
    return ended


@transaction.atomic
def account_reactivate(*, actor: User, school: School, user: User) -> None:
    """Let a deactivated account sign in again (with the password it had; sessions do not come back)."""
    permissions.require_school_admin(actor, school, to=_("reactivate accounts"))
    _school_person(school, user)
    if user.is_active:
        raise Conflict(
            _("%(name)s's account is active.") % {"name": user.name}, code="schools.account_already_active"
        )
    _only_in_schools_of(actor, user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(school=school, actor=actor, action=AuditEntry.Action.ACCOUNT_REACTIVATED, subject=user)


@transaction.atomic
def teaching_end(*, actor: User, assignment: TeachingAssignment) -> TeachingAssignment:
    """End a teacher's assignment to a class: from now on it opens nothing (the class, its learners,
    their families' messages). The row stays for the record; assigning the teacher again undoes it."""
    permissions.require_school_admin(actor, assignment.school)
    if assignment.ended_at is not None:
        raise Conflict(
            _("%(teacher)s no longer teaches %(class)s.")
            % {"teacher": assignment.teacher.name, "class": assignment.school_class.name},
            code="schools.teaching_already_ended",
        )
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    audit_record(
        school=assignment.school,
        actor=actor,
        action=AuditEntry.Action.TEACHING_ENDED,
        subject=assignment.teacher,
        school_class=assignment.school_class,
    )
    return assignment


@transaction.atomic
def support_end(*, actor: User, assignment: SupportAssignment) -> SupportAssignment:
    """End a specialist's, para-professional's or mentor's work with a learner (assign again to undo)."""
    permissions.require_school_admin(actor, assignment.school)
    if assignment.ended_at is not None:
        raise Conflict(
            _("%(staff)s no longer works with %(learner)s.")
            % {"staff": assignment.staff.name, "learner": assignment.learner.name},
            code="schools.support_already_ended",
        )
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    audit_record(
        school=assignment.school,
        actor=actor,
        action=AuditEntry.Action.SUPPORT_ENDED,
        subject=assignment.staff,
        detail=f"with {assignment.learner.username} ({assignment.role})",
    )
    return assignment


@transaction.atomic
def term_end_change(*, actor: User, term: AcademicTerm, ends_on: datetime.date) -> AcademicTerm:
    """Move a term's last day: later to extend it (its classes open again to their teachers, learners and
    families), earlier to end it. After its last day a term's classes open only to administrators."""
    permissions.require_school_admin(actor, term.school)
    if ends_on <= term.starts_on:
        raise DomainError(_("A term must end after it starts."), code="schools.term_dates_invalid")
    before = term.ends_on
    if ends_on == before:
        return term
    term.ends_on = ends_on
    term.save(update_fields=["ends_on"])
    audit_record(
        school=term.school,
        actor=actor,
        action=AuditEntry.Action.TERM_DATES_CHANGED,
        detail=f"{term.name}: last day {before:%Y-%m-%d} → {ends_on:%Y-%m-%d}",
    )
    return term
