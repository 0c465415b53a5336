"""Guardian invitations, and the age rule for everything a person can do for themself by e-mail.

There is no self-service sign-up for learners: a school adds its learners through the roster (pages,
API or CSV import). Guardians join only through an invitation from an administrator of their child's
school: a random, single-use code that expires after ``settings.GUARDIAN_INVITATION_DAYS``. The code is
shown once to the administrator and e-mailed to the guardian; only its SHA-256 hash is stored.

Learners under ``settings.SELF_SERVICE_MIN_AGE`` (13) never get e-mail self-service: no password reset by
e-mail and no invitation linking; their teacher or school resets their password for them.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tessera.schools import permissions, services
from tessera.schools.errors import DomainError, PermissionDenied
from tessera.schools.models import GuardianInvitation, Guardianship, Membership, User

Role = Membership.Role

# Upper-case letters and digits without the look-alikes 0/O and 1/I/L: 30 symbols, 12 of them ≈ 59 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4


class InvitationCodeError(DomainError):
    """The invitation code is wrong, already used or expired."""


@dataclass(frozen=True)
class IssuedInvitation:
    """A new invitation and its code in clear text, which exists only here: show it once, never store it."""

    invitation: GuardianInvitation
    code: str


@dataclass(frozen=True)
class NewGuardianAccount:
    """The account a guardian creates while accepting an invitation."""

    username: str
    first_name: str
    last_name: str
    password: str


def code_hash(code: str) -> str:
    """The stored form of a code. Case, spaces and dashes do not matter when a guardian types it."""
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def _new_code() -> str:
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH)) for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


@transaction.atomic
def guardian_invitation_create(
    *, actor: User, learner: Membership, email: str, relationship: str, accept_url: str
) -> IssuedInvitation:
    """Invite the guardian at ``email`` to link an account to ``learner`` (a learner membership).

    Only administrators of the learner's school may invite. The e-mail with the code is sent when the
    transaction commits; ``accept_url`` is the absolute address of the page where the code is entered.
    """
    school = learner.school
    permissions.require_school_admin(actor, school, to=_("invite guardians"))
    if learner.role != Role.LEARNER:
        raise DomainError(
            _("%(name)s is not a learner of %(school)s.")
            % {"name": learner.user.name, "school": school.name},
            code="schools.not_a_member",
        )
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(
            _("“%(email)s” is not an e-mail address.") % {"email": email}, code="schools.invalid_email"
        ) from None
    if relationship not in Guardianship.Relationship.values:
        choices = ", ".join(Guardianship.Relationship.values)
        raise DomainError(
            _("Unknown relationship “%(relationship)s”; expected one of %(choices)s.")
            % {"relationship": relationship, "choices": choices},
            code="schools.unknown_relationship",
        )
    code = _new_code()
    invitation = GuardianInvitation.objects.create(
        school=school,
        learner=learner.user,
        email=email,
        relationship=relationship,
        code_hash=code_hash(code),
        created_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=settings.GUARDIAN_INVITATION_DAYS),
    )
    context = {"invitation": invitation, "code": code, "accept_url": accept_url, "school": school}
    subject = " ".join(render_to_string("accounts/invitation_email_subject.txt", context).split())
    body = render_to_string("accounts/invitation_email.txt", context)
    transaction.on_commit(partial(send_mail, subject, body, None, [email]))
    return IssuedInvitation(invitation=invitation, code=code)


def _usable_invitation(code: str) -> GuardianInvitation:
    """The invitation for ``code``, locked for this transaction, or a clear error saying what is wrong."""
    invitation = (
        GuardianInvitation.objects.select_for_update()
        .select_related("school", "learner")
        .filter(code_hash=code_hash(code))
        .first()
    )
    if invitation is None:
        raise InvitationCodeError(
            _(
                "That invitation code is not right. Check it against the e-mail from the school "
                "(12 letters and digits; dashes and spaces do not matter)."
            ),
            code="schools.invitation_code_wrong",
        )
    if invitation.used_at is not None:
        raise InvitationCodeError(
            _(
                "This invitation code has already been used. "
                "Ask the school for a new one if you still need it."
            ),
            code="schools.invitation_code_used",
        )
    if invitation.expires_at <= timezone.now():
        expired_on = timezone.localdate(invitation.expires_at)
        raise InvitationCodeError(
            _("This invitation code expired on %(date)s. Ask the school for a new one.")
            % {"date": date_format(expired_on)},  # the language's own date format
            code="schools.invitation_code_expired",
        )
    return invitation


def _create_account(account: NewGuardianAccount, email: str) -> User:
    """Validate the new account as the person typed it, then create it through the one account service."""
    candidate = User(
        username=account.username, first_name=account.first_name, last_name=account.last_name, email=email
    )
    try:
        candidate.full_clean(exclude=["password"], validate_unique=False)
        password_validation.validate_password(account.password, candidate)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), code="schools.account_invalid") from None
    return services.account_create(
        username=account.username,
        first_name=account.first_name,
        last_name=account.last_name,
        email=email,
        password_hash=make_password(account.password),
    )


@transaction.atomic
def guardian_invitation_accept(
    *, code: str, user: User | None = None, new_account: NewGuardianAccount | None = None
) -> Guardianship:
    """Use an invitation code: link the signed-in ``user``, or create ``new_account``, as the guardian.

    All or nothing: a wrong, used or expired code, or any problem with the account, changes nothing.
    The invitation is claimed with a conditional update (``used_at IS NULL``) as well as a row lock, so
    two people racing with the same code cannot both succeed.
    """
    if (user is None) == (new_account is None):
        raise ValueError("Pass either the signed-in user or a new account, not both.")
    invitation = _usable_invitation(code)
    if user is None:
        assert new_account is not None
        guardian = _create_account(new_account, invitation.email)
    else:
        if not permissions.self_service_allowed(user):
            raise PermissionDenied(
                _("This account cannot accept a guardian invitation."),
                code="schools.self_service_not_allowed",
            )
        guardian = user
    now = timezone.now()
    claimed = GuardianInvitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now, used_by=guardian)
    if not claimed:
        raise InvitationCodeError(
            _("This invitation code has just been used. Ask the school for a new one."),
            code="schools.invitation_code_used",
        )
    return services.guardian_link(
        actor=None,
        school=invitation.school,
        guardian=guardian,
        learner=invitation.learner,
        relationship=invitation.relationship,
    )
