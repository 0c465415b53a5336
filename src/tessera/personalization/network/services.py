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
        raise PermissionDenied(f"Only a learner of this school can {to}.")


# --- the learning network ------------------------------------------------------------------------


@transaction.atomic
def connection_invite(*, learner: User, school: School, member: User, kind: str) -> NetworkConnection:
    """The learner invites a person of their school into their network. A mentor must be approved by
    the school. Inviting someone who declined earlier asks them again."""
    _require_learner(learner, school, to="build a learning network")
    if kind not in KIND_ROLES:
        raise DomainError("Choose who this is: a peer, a teacher, a mentor or other staff.")
    if member.pk == learner.pk:
        raise DomainError("You are already at the centre of your own network: invite someone else.")
    memberships = Membership.objects.filter(user=member, school=school, role__in=KIND_ROLES[kind])
    if not memberships.exists():
        label = Kind(kind).label.lower()
        raise DomainError(f"{member.name} is not a {label} of this school.")
    if kind == Kind.MENTOR and not memberships.filter(approved_at__isnull=False).exists():
        raise DomainError(
            f"{member.name} is not an approved mentor yet: only mentors the school has approved can join "
            "a learning network."
        )
    if not perms.people_a_learner_may_invite(learner, school).filter(pk=member.pk).exists():
        raise DomainError(
            "You can invite the people you learn with: classmates, your teachers, your supporters and the "
            "school's approved mentors."
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
            raise Conflict(f"{member.name} is already {existing.get_status_display().lower()}.")
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
        raise PermissionDenied("Only the person invited can accept or decline this invitation.")
    connection = NetworkConnection.objects.select_for_update().get(pk=connection.pk)
    if connection.status != NetworkConnection.Status.PENDING:
        raise Conflict(f"This invitation was already answered ({connection.get_status_display().lower()}).")
    connection.status = NetworkConnection.Status.ACCEPTED if accept else NetworkConnection.Status.DECLINED
    connection.answered_at = timezone.now()
    connection.save(update_fields=["status", "answered_at"])
    return connection


# --- peer help -----------------------------------------------------------------------------------


@transaction.atomic
def help_opt_in_set(*, learner: User, school: School, open_to_help: bool) -> LearnerProfile:
    """The learner agrees (or no longer agrees) to be suggested to peers who need help."""
    _require_learner(learner, school, to="offer help to peers")
    profile, _ = LearnerProfile.objects.select_for_update().get_or_create(school=school, learner=learner)
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
    _require_learner(learner, school, to="ask peers for help")
    question = text_checked(question, what="question", limit=LONG_TEXT)
    if helper.pk == learner.pk:
        raise DomainError("Ask someone else: you cannot ask yourself for help.")
    if competency.school_id not in (None, school.pk):
        raise DomainError("That competency is not in a framework of this school.")
    if not Membership.objects.filter(user=helper, school=school, role=Role.LEARNER).exists():
        raise DomainError("Peer help is between learners of the same school.")
    if _mastered(learner, school, competency):
        raise DomainError(f"You have mastered {competency.name} already.")
    if not _mastered(helper, school, competency):
        raise DomainError(f"{helper.name} has not mastered {competency.name}.")
    if not LearnerProfile.objects.filter(school=school, learner=helper, open_to_help=True).exists():
        raise DomainError(f"{helper.name} has not offered to help peers.")
    # One learner's asks one after the other, so a double click cannot open two requests.
    Membership.objects.select_for_update().filter(user=learner, school=school, role=Role.LEARNER).first()
    open_request = HelpRequest.objects.filter(
        school=school, learner=learner, helper=helper, competency=competency, status__in=OPEN_HELP
    ).first()
    if open_request is not None:
        if open_request.question == question:
            return open_request  # the same ask again (a double click): nothing new
        raise Conflict(f"You already asked {helper.name} about {competency.name}.")
    return HelpRequest.objects.create(
        school=school, learner=learner, helper=helper, competency=competency, question=question
    )


@transaction.atomic
def help_request_answer(*, actor: User, request: HelpRequest, accept: bool) -> HelpRequest:
    """The peer asked consents (accepts) or declines; only they can."""
    if not perms.can_answer_help_request(actor, request):
        raise PermissionDenied("Only the peer who was asked can accept or decline this request.")
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != HelpRequest.Status.ASKED:
        raise Conflict(f"This request was already answered ({request.get_status_display().lower()}).")
    request.status = HelpRequest.Status.ACCEPTED if accept else HelpRequest.Status.DECLINED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    return request


@transaction.atomic
def help_request_close(*, actor: User, request: HelpRequest) -> HelpRequest:
    """Either learner ends the conversation (no more messages)."""
    if not perms.can_take_part_in_help(actor, request):
        raise PermissionDenied("Only the two learners of this conversation can close it.")
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in OPEN_HELP:
        raise Conflict("This conversation is already over.")
    request.status = HelpRequest.Status.CLOSED
    request.save(update_fields=["status"])
    return request


@transaction.atomic
def help_message_post(*, author: User, request: HelpRequest, text: str) -> HelpMessage:
    """One message from one of the two learners, once the helper has accepted."""
    if not perms.can_take_part_in_help(author, request):
        raise PermissionDenied("Staff read these conversations; only the two learners write in them.")
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == HelpRequest.Status.ASKED:
        raise DomainError(f"{request.helper.name} has not accepted yet: messages start once they do.")
    if request.status != HelpRequest.Status.ACCEPTED:
        raise DomainError("This conversation is over: no more messages.")
    text = text_checked(text, what="message", limit=MESSAGE_LIMIT)
    return HelpMessage.objects.create(school_id=request.school_id, request=request, author=author, text=text)


@transaction.atomic
def help_message_report(*, actor: User, message: HelpMessage, reason: str) -> HelpMessage:
    """Either learner reports a message of the other, with a reason; their teachers see the report."""
    if not perms.can_take_part_in_help(actor, message.request):
        raise PermissionDenied("Only the two learners of this conversation can report its messages.")
    if message.author_id == actor.pk:
        raise PermissionDenied("You cannot report your own message.")
    reason = text_checked(reason, what="reason", limit=SHORT_TEXT)
    message = HelpMessage.objects.select_for_update().get(pk=message.pk)
    if message.reported_at is not None:
        raise Conflict("This message was already reported.")
    message.reported_by = actor
    message.reported_at = timezone.now()
    message.report_reason = reason
    message.save(update_fields=["reported_by", "reported_at", "report_reason"])
    return message
