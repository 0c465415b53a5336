"""Writes for voice and choice in a class: choice boards and their options, learners' picks, proposals
and their decisions, and a class's progression (calendar or competency-based).

Keyword-only, transactional, checking permissions with :mod:`tessera.personalization.choice.permissions`
and raising domain errors (:mod:`tessera.schools.errors`) that say what is wrong; nothing is changed
when one is raised.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.curriculum.models import Competency, Framework, Resource
from tessera.events.log import event_record
from tessera.personalization.choice import permissions as perms
from tessera.personalization.choice.models import (
    Choice,
    ChoiceBoard,
    ChoiceOption,
    ClassProgression,
    Proposal,
)
from tessera.personalization.events import ProposalDecided
from tessera.personalization.fields import LONG_TEXT, SHORT_TEXT
from tessera.personalization.written import text_checked
from tessera.schools.errors import Conflict, DomainError, PermissionDenied
from tessera.schools.models import Enrolment, SchoolClass, User

Purpose = ChoiceOption.Purpose
Status = Proposal.Status
Mode = ClassProgression.Mode


def _school_can_use(school_id: int, framework_school_id: int | None) -> bool:
    """A school uses its own frameworks and the shared ones."""
    return framework_school_id is None or framework_school_id == school_id


def _check_competency(school_class: SchoolClass, competency: Competency | None) -> None:
    if competency is not None and not _school_can_use(school_class.school_id, competency.school_id):
        raise DomainError(
            _("That competency is not in a framework of this school."),
            code="personalization.competency_not_in_school",
        )


# --- choice boards -------------------------------------------------------------------------------


@transaction.atomic
def board_create(
    *,
    actor: User,
    school_class: SchoolClass,
    objective: str,
    competency: Competency | None = None,
    co_designed_with: User | None = None,
) -> ChoiceBoard:
    """A teacher of the class offers a board for an objective, optionally designed with a learner of
    the class (named on the board)."""
    if not perms.can_teach_class(actor, school_class):
        raise PermissionDenied(
            _("Only a teacher of this class can create a choice board."),
            code="personalization.not_class_teacher",
        )
    objective = text_checked(objective, what=_("objective"), limit=SHORT_TEXT)
    _check_competency(school_class, competency)
    if (
        co_designed_with is not None
        and not Enrolment.objects.filter(school_class=school_class, learner=co_designed_with).exists()
    ):
        raise DomainError(
            _("A board is co-designed with a learner of this class; that person is not in it."),
            code="personalization.co_designer_not_in_class",
        )
    return ChoiceBoard.objects.create(
        school=school_class.school,
        school_class=school_class,
        objective=objective,
        competency=competency,
        created_by=actor,
        co_designed_with=co_designed_with,
    )


@transaction.atomic
def option_add(
    *,
    actor: User,
    board: ChoiceBoard,
    purpose: str,
    title: str,
    description: str = "",
    resource: Resource | None = None,
) -> ChoiceOption:
    """A teacher of the board's class adds a way to learn or a way to show learning."""
    if not perms.can_manage_board(actor, board):
        raise PermissionDenied(
            _("Only a teacher of this class can change its choice boards."),
            code="personalization.not_class_teacher",
        )
    if purpose not in Purpose.values:
        raise DomainError(
            _("Say whether this option is a way to learn or a way to show learning."),
            code="personalization.unknown_option_purpose",
        )
    title = text_checked(title, what=_("title"), limit=SHORT_TEXT)
    description = text_checked(description, what=_("description"), limit=LONG_TEXT, required=False)
    if resource is not None and not _school_can_use(board.school_id, resource.school_id):
        raise DomainError(
            _("That resource is not in a framework of this school."),
            code="personalization.resource_not_in_school",
        )
    position = ChoiceOption.objects.filter(board=board, purpose=purpose).count()
    return ChoiceOption.objects.create(
        school_id=board.school_id,
        board=board,
        purpose=purpose,
        title=title,
        description=description,
        resource=resource,
        position=position,
    )


@transaction.atomic
def choice_pick(*, learner: User, board: ChoiceBoard, option: ChoiceOption) -> Choice:
    """The learner picks one option for its purpose. Picking the same one again changes nothing;
    picking another replaces the earlier pick (and records the new time)."""
    if not perms.can_pick_on_board(learner, board):
        raise PermissionDenied(
            _("Only learners of this class can pick on its choice boards."),
            code="personalization.not_class_learner",
        )
    if option.board_id != board.pk:
        raise DomainError(_("That option is not on this board."), code="personalization.option_not_on_board")
    existing = (
        Choice.objects.select_for_update()
        .filter(board=board, learner=learner, purpose=option.purpose)
        .first()
    )
    if existing is not None:
        if existing.option_id != option.pk:
            existing.option = option
            existing.save(update_fields=["option", "chosen_at"])
        return existing
    try:
        with transaction.atomic():
            return Choice.objects.create(
                school_id=board.school_id, board=board, learner=learner, option=option, purpose=option.purpose
            )
    except IntegrityError:  # a first pick sent twice at the same moment: the other copy won
        existing = Choice.objects.get(board=board, learner=learner, purpose=option.purpose)
        if existing.option_id != option.pk:
            existing.option = option
            existing.save(update_fields=["option", "chosen_at"])
        return existing


# --- proposals -----------------------------------------------------------------------------------


def proposal_create(
    *,
    learner: User,
    school_class: SchoolClass,
    title: str,
    description: str,
    competency: Competency | None = None,
    token: uuid.UUID | None = None,
) -> Proposal:
    """A learner proposes their own objective or activity (see :func:`proposal_submit` for ``token``)."""
    proposal, _created = proposal_submit(
        learner=learner,
        school_class=school_class,
        title=title,
        description=description,
        competency=competency,
        token=token,
    )
    return proposal


@transaction.atomic
def proposal_submit(
    *,
    learner: User,
    school_class: SchoolClass,
    title: str,
    description: str,
    competency: Competency | None = None,
    token: uuid.UUID | None,
) -> tuple[Proposal, bool]:
    """A learner proposes their own objective or activity in a class they are enrolled in; returns the
    proposal and whether this submission created it.

    ``token`` is the form's one-time token: the same form sent again (a double tap, or two copies of the
    request at the same moment) returns the proposal it sent the first time, so the teacher gets one.
    The same token with a different proposal is a :class:`Conflict` and nothing is stored. Two forms
    with the same title are two proposals (a learner may propose again what was declined)."""
    if not perms.can_learn_in_class(learner, school_class):
        raise PermissionDenied(
            _("You can propose only in a class you are enrolled in."),
            code="personalization.not_class_learner",
        )
    title = text_checked(title, what=_("title"), limit=SHORT_TEXT)
    description = text_checked(description, what=_("description"), limit=LONG_TEXT)
    _check_competency(school_class, competency)
    sent = (school_class.pk, title, description, competency.pk if competency else None)
    if token is not None:
        earlier = _proposal_submitted(learner, school_class, token)
        if earlier is not None:
            return _proposal_sent_again(earlier, sent), False
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                school=school_class.school,
                school_class=school_class,
                learner=learner,
                title=title,
                description=description,
                competency=competency,
                token=token,
            )
    except IntegrityError:
        if token is None:
            raise
        # A copy of this request stored the proposal a moment ago (after our look-up): that one it is.
        earlier = Proposal.objects.get(school_id=school_class.school_id, learner=learner, token=token)
        return _proposal_sent_again(earlier, sent), False
    return proposal, True


def _proposal_submitted(learner: User, school_class: SchoolClass, token: uuid.UUID) -> Proposal | None:
    return Proposal.objects.filter(school_id=school_class.school_id, learner=learner, token=token).first()


def _proposal_sent_again(proposal: Proposal, sent: tuple[int, str, str, int | None]) -> Proposal:
    stored = (proposal.school_class_id, proposal.title, proposal.description, proposal.competency_id)
    if stored != sent:
        raise Conflict(
            _(
                "This form already sent your proposal “%(proposal)s”. Your new proposal is kept in the "
                "form: send it again to propose it too."
            )
            % {"proposal": proposal.title},
            code="personalization.form_already_used",
        )
    return proposal


@transaction.atomic
def proposal_decide(*, actor: User, proposal: Proposal, decision: str, comment: str = "") -> Proposal:
    """A teacher of the class accepts the proposal, accepts it with changes (``adjusted``: the comment
    says which), or declines it (the comment gives the reason). The family is told that the teacher
    answered (``teacher_feedback``, topic feedback: the school's rule, as the proposal was made in class)."""
    if not perms.can_decide_proposal(actor, proposal):
        raise PermissionDenied(
            _("Only a teacher of this class can decide on its proposals."),
            code="personalization.not_class_teacher",
        )
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Status.PENDING:
        raise Conflict(
            _("This proposal was already decided (%(status)s).")
            % {"status": proposal.get_status_display().lower()},
            code="personalization.proposal_already_decided",
        )
    if decision not in (Status.ACCEPTED, Status.ADJUSTED, Status.DECLINED):
        raise DomainError(_("Choose accept, adjust or decline."), code="personalization.unknown_decision")
    required = decision != Status.ACCEPTED
    what = _("reason for declining") if decision == Status.DECLINED else _("comment")
    if decision == Status.ADJUSTED:
        what = _("comment saying what to change")
    comment = text_checked(comment, what=what, limit=LONG_TEXT, required=required)
    proposal.status = decision
    proposal.teacher_comment = comment
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "teacher_comment", "decided_by", "decided_at"])
    event_record(
        school=proposal.school,
        learner=proposal.learner,
        actor=actor,
        fact=ProposalDecided(proposal.pk, proposal.title, decision, actor.pk, actor.name),
        at=proposal.decided_at,
    )
    return proposal


# --- class progression ---------------------------------------------------------------------------


def default_sequence(framework: Framework) -> list[Competency]:
    """A framework's competencies in teaching order (domain by domain, as the framework orders them)."""
    return list(framework.competencies.order_by("domain__position", "position", "pk"))


@transaction.atomic
def progression_set(
    *,
    actor: User,
    school_class: SchoolClass,
    mode: str,
    framework: Framework | None = None,
    competencies: Sequence[Competency] = (),
) -> ClassProgression:
    """A teacher sets how the class moves on. In personalization mode the class has a competency
    sequence: the competencies chosen, or else every competency of ``framework`` in teaching order."""
    if not perms.can_teach_class(actor, school_class):
        raise PermissionDenied(
            _("Only a teacher of this class can set how it progresses."),
            code="personalization.not_class_teacher",
        )
    if mode not in Mode.values:
        raise DomainError(
            _("Choose calendar or competency-based progression."),
            code="personalization.unknown_progression_mode",
        )
    chosen = list(competencies)
    if framework is not None and not _school_can_use(school_class.school_id, framework.school_id):
        raise DomainError(
            _("That framework is not one of this school's."), code="personalization.framework_not_in_school"
        )
    for competency in chosen:
        _check_competency(school_class, competency)
    if mode == Mode.PERSONALIZATION and not chosen:
        if framework is None:
            raise DomainError(
                _("Choose the framework (or the competencies) the class moves through."),
                code="personalization.progression_sequence_missing",
            )
        chosen = default_sequence(framework)
        if not chosen:
            raise DomainError(
                _("That framework has no competencies yet."), code="personalization.framework_empty"
            )
    progression, _created = ClassProgression.objects.select_for_update().get_or_create(
        school_class=school_class, defaults={"school": school_class.school}
    )
    progression.mode = mode
    progression.save(update_fields=["mode"])
    if chosen:
        progression.competencies.set(chosen)
    return progression


def frameworks_for_class(school_class: SchoolClass) -> Q:
    """Frameworks a class may use: its school's and the shared ones (as a filter on Framework)."""
    return Q(school__isnull=True) | Q(school_id=school_class.school_id)
