"""Pages of a class for voice and choice: choice boards, proposals and competency-based progression,
under /classes/<class_id>/.

Only the class's teachers and the learners enrolled in it open these pages; anyone else gets 404, so the
pages reveal nothing. Views parse, authorize (selectors and services), call and render: a POST that
succeeds redirects with a message; one with bad input shows the page again with the reason (400); one
the user may not do answers 403 saying why. Nothing changes when a POST fails.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tessera.personalization.choice import selectors, services
from tessera.personalization.choice.forms import (
    BoardForm,
    DecisionForm,
    OptionForm,
    PickForm,
    ProgressionForm,
    ProposalForm,
)
from tessera.personalization.choice.models import ChoiceBoard, ClassProgression
from tessera.schools.errors import Conflict, DomainError, PermissionDenied
from tessera.schools.models import User

PROPOSALS_PER_PAGE = 20


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _access(request: HttpRequest, class_id: int) -> selectors.ClassAccess:
    access = selectors.class_access(_user(request), class_id)
    if access is None:
        raise Http404("No such class.")
    return access


def denied(request: HttpRequest, message: str) -> HttpResponse:
    """403 with the reason, for someone who sees the page but may not do this."""
    return render(request, "denied.html", {"message": message}, status=403)


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


# --- choice boards -------------------------------------------------------------------------------


def _board_form(access: selectors.ClassAccess, data: Any = None) -> BoardForm:
    return BoardForm(
        data,
        competencies=selectors.competencies_for_class(access.school_class),
        learners=selectors.class_learners(access.school_class),
    )


@login_required
def boards_page(request: HttpRequest, class_id: int) -> HttpResponse:
    user = _user(request)
    access = _access(request, class_id)
    form = _board_form(access, request.POST or None) if access.teaches or request.method == "POST" else None
    if request.method == "POST" and form is not None:
        if not access.teaches:
            return denied(request, _("Only a teacher of this class can create a choice board."))
        if form.is_valid():
            try:
                board = services.board_create(
                    actor=user, school_class=access.school_class, **form.cleaned_data
                )
            except PermissionDenied as error:
                return denied(request, error.message)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Board “%s” created: now add ways to learn and to show.") % board)
                return redirect("class-choice-board", access.school_class.pk, board.pk)
    context = {
        "access": access,
        "school_class": access.school_class,
        "boards": selectors.boards_of_class(user, access.school_class),
        "form": form,
    }
    return render(request, "personalization/choice/boards.html", context, status=_status(request))


def _board(request: HttpRequest, access: selectors.ClassAccess, board_id: int) -> ChoiceBoard:
    board = selectors.board_of_class(_user(request), access.school_class, board_id)
    if board is None:
        raise Http404("No such board.")
    return board


def _render_board(
    request: HttpRequest,
    access: selectors.ClassAccess,
    board: ChoiceBoard,
    *,
    option_form: OptionForm | None = None,
    pick_form: PickForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    picks = selectors.my_picks(board, user) if access.learns else {}
    if access.teaches and option_form is None:
        option_form = OptionForm(resources=selectors.resources_for_class(access.school_class))
    if access.learns and pick_form is None:
        initial = {purpose: choice.option_id for purpose, choice in picks.items()}
        pick_form = PickForm(initial=initial, options=board.options.all())
    learner_picks = selectors.board_picks(user, board)
    context = {
        "access": access,
        "school_class": access.school_class,
        "board": board,
        "options": selectors.board_options(board),
        "picks": picks,
        "option_form": option_form,
        "pick_form": pick_form,
        "learner_picks": learner_picks,
        "not_picked": [row for row in learner_picks if not row.complete],
    }
    return render(request, "personalization/choice/board.html", context, status=status)


@login_required
def board_page(request: HttpRequest, class_id: int, board_id: int) -> HttpResponse:
    access = _access(request, class_id)
    return _render_board(request, access, _board(request, access, board_id))


@login_required
@require_POST
def option_add(request: HttpRequest, class_id: int, board_id: int) -> HttpResponse:
    access = _access(request, class_id)
    board = _board(request, access, board_id)
    form = OptionForm(request.POST, resources=selectors.resources_for_class(access.school_class))
    if form.is_valid():
        try:
            option = services.option_add(actor=_user(request), board=board, **form.cleaned_data)
        except PermissionDenied as error:
            return denied(request, error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Option “%s” added.") % option.title)
            return redirect("class-choice-board", access.school_class.pk, board.pk)
    if not access.teaches:
        return denied(request, _("Only a teacher of this class can change its choice boards."))
    return _render_board(request, access, board, option_form=form, status=400)


@login_required
@require_POST
def pick(request: HttpRequest, class_id: int, board_id: int) -> HttpResponse:
    access = _access(request, class_id)
    board = _board(request, access, board_id)
    if not access.learns:
        return denied(request, _("Only learners of this class can pick on its choice boards."))
    form = PickForm(request.POST, options=board.options.all())
    if form.is_valid():
        try:
            for purpose in ("learn", "show"):
                if form.cleaned_data.get(purpose):
                    services.choice_pick(
                        learner=_user(request), board=board, option=form.cleaned_data[purpose]
                    )
        except PermissionDenied as error:
            return denied(request, error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your choice is saved. You can change it any time."))
            return redirect("class-choice-board", access.school_class.pk, board.pk)
    return _render_board(request, access, board, pick_form=form, status=400)


# --- proposals -----------------------------------------------------------------------------------


@login_required
def proposals_page(request: HttpRequest, class_id: int) -> HttpResponse:
    user = _user(request)
    access = _access(request, class_id)
    competencies = selectors.competencies_for_class(access.school_class)
    form = ProposalForm(request.POST or None, competencies=competencies) if access.learns else None
    if request.method == "POST":
        if form is None:
            return denied(request, _("You can propose only in a class you are enrolled in."))
        if form.is_valid():
            try:
                proposal, created = services.proposal_submit(
                    learner=user, school_class=access.school_class, **form.cleaned_data
                )
            except PermissionDenied as error:
                return denied(request, error.message)
            except Conflict as error:
                form.add_error(None, error.message)
                form.token_renew()
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                if created:
                    messages.success(request, _("Proposal sent. Your teacher will answer it here."))
                else:
                    messages.info(request, _("This proposal was already sent. Your teacher gets it once."))
                return redirect(
                    reverse("class-proposals", args=[access.school_class.pk]) + f"#proposal-{proposal.pk}"
                )
    page = Paginator(selectors.proposals_of_class(user, access.school_class), PROPOSALS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "access": access,
        "school_class": access.school_class,
        "form": form,
        "page": page,
        "decision_forms": {
            p.pk: DecisionForm(auto_id=f"id_p{p.pk}_%s")
            for p in page
            if access.teaches and p.status == "pending"
        },
    }
    return render(request, "personalization/choice/proposals.html", context, status=_status(request))


@login_required
@require_POST
def proposal_decide(request: HttpRequest, class_id: int, proposal_id: int) -> HttpResponse:
    user = _user(request)
    access = _access(request, class_id)
    proposal = selectors.proposal_of_class(user, access.school_class, proposal_id)
    if proposal is None:
        raise Http404("No such proposal.")
    if not access.teaches:
        return denied(request, _("Only a teacher of this class can decide on its proposals."))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _proposals_again(request, access, proposal.pk, form)
    try:
        services.proposal_decide(actor=user, proposal=proposal, **form.cleaned_data)
    except PermissionDenied as error:
        return denied(request, error.message)
    except DomainError as error:
        form.add_error(None, error.message)
        return _proposals_again(request, access, proposal.pk, form)
    messages.success(request, _("Decision saved; %s sees it now.") % proposal.learner.name)
    return redirect("class-proposals", access.school_class.pk)


def _proposals_again(
    request: HttpRequest, access: selectors.ClassAccess, proposal_id: int, form: DecisionForm
) -> HttpResponse:
    """The proposals page again (400) with the rejected decision form and its error under its proposal."""
    user = _user(request)
    proposals = selectors.proposals_of_class(user, access.school_class)
    ids = list(proposals.values_list("pk", flat=True))
    number = ids.index(proposal_id) // PROPOSALS_PER_PAGE + 1 if proposal_id in ids else 1
    page = Paginator(proposals, PROPOSALS_PER_PAGE).get_page(number)  # the page the proposal is on
    forms = {p.pk: DecisionForm(auto_id=f"id_p{p.pk}_%s") for p in page if p.status == "pending"}
    form.auto_id = f"id_p{proposal_id}_%s"
    forms[proposal_id] = form
    context = {
        "access": access,
        "school_class": access.school_class,
        "form": None,
        "page": page,
        "decision_forms": forms,
    }
    return render(request, "personalization/choice/proposals.html", context, status=400)


# --- progression ---------------------------------------------------------------------------------


@login_required
def progression_page(request: HttpRequest, class_id: int) -> HttpResponse:
    user = _user(request)
    access = _access(request, class_id)
    school_class = access.school_class
    progression = selectors.progression_of_class(user, school_class)
    form = None
    if access.teaches:
        initial = selectors.progression_initial(progression) if progression is not None else {}
        form = ProgressionForm(
            request.POST or None,
            initial=initial,
            frameworks=selectors.frameworks_for_class(school_class),
            competencies=selectors.competencies_for_class(school_class),
        )
    if request.method == "POST":
        if form is None:
            return denied(request, _("Only a teacher of this class can set how it progresses."))
        if form.is_valid():
            try:
                services.progression_set(actor=user, school_class=school_class, **form.cleaned_data)
            except PermissionDenied as error:
                return denied(request, error.message)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Progression of %s saved.") % school_class.name)
                return redirect("class-progression", school_class.pk)
    personalized = progression is not None and progression.mode == ClassProgression.Mode.PERSONALIZATION
    context = {
        "access": access,
        "school_class": school_class,
        "progression": progression,
        "personalized": personalized,
        "form": form,
        "sequence": selectors.sequence(progression) if personalized and progression else [],
        "positions": selectors.class_positions(user, progression) if personalized and progression else [],
        "mine": selectors.my_position(user, progression)
        if personalized and progression and access.learns
        else None,
    }
    return render(request, "personalization/choice/progression.html", context, status=_status(request))
