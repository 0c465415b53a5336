"""Writes for the learning network and peer help.

- A learner invites people of their school into their network: peers (learners), teachers, approved
  mentors and other staff; only the invited person accepts or declines.
- Peer help: a learner who has not mastered a competency asks a peer who has, and who opted in to
  helping; the peer consents by accepting; then both write messages (length-limited), and either may
  report a message of the other with a reason. Teachers of either learner read the conversation.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.curriculum.models import Competency
from tessera.personalization.fields import LONG_TEXT, SHORT_TEXT
from tessera.personalization.network import permissions as perms
from tessera.personalization.network.models import HelpMessage, HelpRequest, NetworkConnection
from tessera.personalization.profile.models import LearnerProfile
from tessera.personalization.written import text_checked
from tessera.practice.selectors import learner_masteries
from tessera.schools.errors import Conflict, DomainError, PermissionDenied
from tessera.schools.models import Membership, School, User

Kind = NetworkConnection.Kind
Role = Membership.Role
MESSAGE_LIMIT = 1000
# Which school roles may join a learner's network as which kind of member.
KIND_ROLES: dict[str, tuple[str, ...]] = {
    Kind.PEER: (Role.LEARNER,),
    Kind.TEACHER: (Role.TEACHER,),
    Kind.MENTOR: (Role.MENTOR,),
    Kind.OTHER: (Role.ADMINISTRATOR, Role.SPECIALIST, Role.PARA_PROFESSIONAL),
}
OPEN_HELP = (HelpRequest.Status.ASKED, HelpRequest.Status.ACCEPTED)


def _require_learner(user: User, school: School, *, to: str) -> None:
    if not Membership.objects.filter(user=user, school=school, role=Role.LEARNER).exists():
        raise PermissionDenied(
            _("Only a learner of this school can %(to)s.") % {"to": to}, code="personalization.not_a_learner"
        )


# --- the learning network ------------------------------------------------------------------------


@transaction.atomic
def connection_invite(*, learner: User, school: School, member: User, kind: str) -> NetworkConnection:
    """The learner invites a person of their school into their network. A mentor must be approved by
    the school. Inviting someone who declined earlier asks them again."""
    _require_learner(learner, school, to=_("build a learning network"))
    if kind not in KIND_ROLES:
        raise DomainError(
            _("Choose who this is: a peer, a teacher, a mentor or other staff."),
            code="personalization.unknown_network_kind",
        )
    if member.pk == learner.pk:
        raise DomainError(
            _("You are already at the centre of your own network: invite someone else."),
            code="personalization.network_self_invite",
        )
    memberships = Membership.objects.filter(user=member, school=school, role__in=KIND_ROLES[kind])
    if not memberships.exists():
        label = Kind(kind).label.lower()
        raise DomainError(
            _("%(name)s is not a %(kind)s of this school.") % {"name": member.name, "kind": label},
            code="personalization.network_member_wrong_role",
        )
    if kind == Kind.MENTOR and not memberships.filter(approved_at__isnull=False).exists():
        raise DomainError(
            _(
                "%(name)s is not an approved mentor yet: only mentors the school has approved can join "
                "a learning network."
            )
            % {"name": member.name},
            code="personalization.mentor_not_approved",
        )
    if not perms.people_a_learner_may_invite(learner, school).filter(pk=member.pk).exists():
        raise DomainError(
            _(
                "You can invite the people you learn with: classmates, your teachers, your supporters "
                "and the school's approved mentors."
            ),
            code="personalization.network_member_not_allowed",
        )
    existing = (
        NetworkConnection.objects.select_for_update()
        .filter(school=school, learner=learner, member=member)
        .first()
    )
    if existing is not None:
        if existing.status == NetworkConnection.Status.PENDING and existing.kind == kind:
            return existing  # the same invitation again (a double click): nothing to do
        if existing.status != NetworkConnection.Status.DECLINED:
            raise Conflict(
                _("%(name)s is already %(status)s.")
                % {"name": member.name, "status": existing.get_status_display().lower()},
                code="personalization.network_already_member",
            )
        existing.status = NetworkConnection.Status.PENDING
        existing.kind = kind
        existing.answered_at = None
        existing.save(update_fields=["status", "kind", "answered_at"])
        return existing
    try:
        with transaction.atomic():
            return NetworkConnection.objects.create(
                school=school, learner=learner, member=member, kind=kind, invited_by=learner
            )
    except IntegrityError:  # the same invitation, sent twice at the same moment
        return NetworkConnection.objects.get(school=school, learner=learner, member=member)


@transaction.atomic
def connection_answer(*, actor: User, connection: NetworkConnection, accept: bool) -> NetworkConnection:
    """The invited person accepts or declines; nobody else can."""
    if not perms.can_answer_connection(actor, connection):
        raise PermissionDenied(
            _("Only the person invited can accept or decline this invitation."),
            code="personalization.not_invited_person",
        )
    connection = NetworkConnection.objects.select_for_update().get(pk=connection.pk)
    if connection.status != NetworkConnection.Status.PENDING:
        raise Conflict(
            _("This invitation was already answered (%(status)s).")
            % {"status": connection.get_status_display().lower()},
            code="personalization.invitation_already_answered",
        )
    connection.status = NetworkConnection.Status.ACCEPTED if accept else NetworkConnection.Status.DECLINED
    connection.answered_at = timezone.now()
    connection.save(update_fields=["status", "answered_at"])
    return connection


# --- peer help -----------------------------------------------------------------------------------


@transaction.atomic
def help_opt_in_set(*, learner: User, school: School, open_to_help: bool) -> LearnerProfile:
    """The learner agrees (or no longer agrees) to be suggested to peers who need help."""
    _require_learner(learner, school, to=_("offer help to peers"))
    profile, _created = LearnerProfile.objects.select_for_update().get_or_create(
        school=school, learner=learner
    )
    profile.open_to_help = open_to_help
    profile.save(update_fields=["open_to_help", "updated_at"])
    return profile


def _mastered(user: User, school: School, competency: Competency) -> bool:
    found = learner_masteries(school_id=school.pk, learner_id=user.pk, competency_ids=[competency.pk])
    return competency.pk in found and found[competency.pk].mastered


@transaction.atomic
def help_request_ask(
    *, learner: User, school: School, helper: User, competency: Competency, question: str
) -> HelpRequest:
    """A learner who has not mastered ``competency`` asks a peer who has, and who agreed to help."""
    _require_learner(learner, school, to=_("ask peers for help"))
    question = text_checked(question, what=_("question"), limit=LONG_TEXT)
    if helper.pk == learner.pk:
        raise DomainError(
            _("Ask someone else: you cannot ask yourself for help."), code="personalization.help_self"
        )
    if competency.school_id not in (None, school.pk):
        raise DomainError(
            _("That competency is not in a framework of this school."),
            code="personalization.competency_not_in_school",
        )
    if not Membership.objects.filter(user=helper, school=school, role=Role.LEARNER).exists():
        raise DomainError(
            _("Peer help is between learners of the same school."), code="personalization.help_other_school"
        )
    if _mastered(learner, school, competency):
        raise DomainError(
            _("You have mastered %(competency)s already.") % {"competency": competency.name},
            code="personalization.help_already_mastered",
        )
    if not _mastered(helper, school, competency):
        raise DomainError(
            _("%(name)s has not mastered %(competency)s.")
            % {"name": helper.name, "competency": competency.name},
            code="personalization.helper_not_mastered",
        )
    if not LearnerProfile.objects.filter(school=school, learner=helper, open_to_help=True).exists():
        raise DomainError(
            _("%(name)s has not offered to help peers.") % {"name": helper.name},
            code="personalization.helper_not_offering",
        )
    # One learner's asks one after the other, so a double click cannot open two requests.
    Membership.objects.select_for_update().filter(user=learner, school=school, role=Role.LEARNER).first()
    open_request = HelpRequest.objects.filter(
        school=school, learner=learner, helper=helper, competency=competency, status__in=OPEN_HELP
    ).first()
    if open_request is not None:
        if open_request.question == question:
            return open_request  # the same ask again (a double click): nothing new
        raise Conflict(
            _("You already asked %(name)s about %(competency)s.")
            % {"name": helper.name, "competency": competency.name},
            code="personalization.help_already_asked",
        )
    return HelpRequest.objects.create(
        school=school, learner=learner, helper=helper, competency=competency, question=question
    )


@transaction.atomic
def help_request_answer(*, actor: User, request: HelpRequest, accept: bool) -> HelpRequest:
    """The peer asked consents (accepts) or declines; only they can."""
    if not perms.can_answer_help_request(actor, request):
        raise PermissionDenied(
            _("Only the peer who was asked can accept or decline this request."),
            code="personalization.not_asked_peer",
        )
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != HelpRequest.Status.ASKED:
        raise Conflict(
            _("This request was already answered (%(status)s).")
            % {"status": request.get_status_display().lower()},
            code="personalization.help_already_answered",
        )
    request.status = HelpRequest.Status.ACCEPTED if accept else HelpRequest.Status.DECLINED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    return request


@transaction.atomic
def help_request_close(*, actor: User, request: HelpRequest) -> HelpRequest:
    """Either learner ends the conversation (no more messages)."""
    if not perms.can_take_part_in_help(actor, request):
        raise PermissionDenied(
            _("Only the two learners of this conversation can close it."),
            code="personalization.not_help_participant",
        )
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in OPEN_HELP:
        raise Conflict(_("This conversation is already over."), code="personalization.help_already_closed")
    request.status = HelpRequest.Status.CLOSED
    request.save(update_fields=["status"])
    return request


@transaction.atomic
def help_message_post(*, author: User, request: HelpRequest, text: str) -> HelpMessage:
    """One message from one of the two learners, once the helper has accepted."""
    if not perms.can_take_part_in_help(author, request):
        raise PermissionDenied(
            _("Staff read these conversations; only the two learners write in them."),
            code="personalization.not_help_participant",
        )
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == HelpRequest.Status.ASKED:
        raise DomainError(
            _("%(name)s has not accepted yet: messages start once they do.") % {"name": request.helper.name},
            code="personalization.help_not_accepted",
        )
    if request.status != HelpRequest.Status.ACCEPTED:
        raise DomainError(
            _("This conversation is over: no more messages."), code="personalization.help_closed"
        )
    text = text_checked(text, what=_("message"), limit=MESSAGE_LIMIT)
    return HelpMessage.objects.create(school_id=request.school_id, request=request, author=author, text=text)


@transaction.atomic
def help_message_report(*, actor: User, message: HelpMessage, reason: str) -> HelpMessage:
    """Either learner reports a message of the other, with a reason; their teachers see the report."""
    if not perms.can_take_part_in_help(actor, message.request):
        raise PermissionDenied(
            _("Only the two learners of this conversation can report its messages."),
            code="personalization.not_help_participant",
        )
    if message.author_id == actor.pk:
        raise PermissionDenied(
            _("You cannot report your own message."), code="personalization.report_own_message"
        )
    reason = text_checked(reason, what=_("reason"), limit=SHORT_TEXT)
    message = HelpMessage.objects.select_for_update().get(pk=message.pk)
    if message.reported_at is not None:
        raise Conflict(
            _("This message was already reported."), code="personalization.message_already_reported"
        )
    message.reported_by = actor
    message.reported_at = timezone.now()
    message.report_reason = reason
    message.save(update_fields=["reported_by", "reported_at", "report_reason"])
    return message
