"""Pages of the learning network and peer help, under /me/.

- /me/network/: a learner's network in each school where they learn (invite people of the school), and
  the invitations addressed to the user (any role), which only they accept or decline.
- /me/help/: peer help. A learner sees the competencies they are stuck on with suggested peers (and why),
  asks one; a peer answers; both write in the conversation. Teachers of either learner read it
  (/me/help/oversight/ lists them, reported messages first), as the page says.

A POST that succeeds redirects with a message; bad input shows the page again with the reason (400); an
action the user may not take answers 403 with the reason; an object they may not see answers 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tessera.curriculum.models import Competency
from tessera.personalization.choice import permissions as perms
from tessera.personalization.choice.views import denied
from tessera.personalization.models import HelpMessage, HelpRequest
from tessera.personalization.network import selectors, services
from tessera.personalization.network.forms import AskForm, HelpOptInForm, InviteForm, MessageForm, ReportForm
from tessera.schools.errors import DomainError, PermissionDenied, add_form_error
from tessera.schools.models import School, User

MESSAGES_PER_PAGE = 50
OVERSIGHT_PER_PAGE = 25


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _learner_school(user: User, school_id: Any) -> School:
    """A school where the user is a learner, named by a posted id (else 404)."""
    try:
        school = selectors.schools_learning_in(user).filter(pk=int(school_id)).first()
    except (TypeError, ValueError):
        school = None
    if school is None:
        raise Http404("You are not a learner of that school.")
    return school


# --- the learning network ------------------------------------------------------------------------


def _network_sections(user: User, invite_form: InviteForm | None = None) -> list[dict[str, Any]]:
    sections = []
    for school in selectors.schools_learning_in(user):
        form = InviteForm(
            initial={"school": school.pk},
            people=selectors.invitable_people(user, school),
            auto_id=f"id_s{school.pk}_%s",
        )
        if invite_form is not None and str(invite_form.data.get("school")) == str(school.pk):
            form = invite_form
        sections.append({"school": school, "connections": selectors.network_of(user, school), "form": form})
    return sections


def _render_network(
    request: HttpRequest, invite_form: InviteForm | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    context = {
        "sections": _network_sections(user, invite_form),
        "invitations": selectors.invitations_to(user),
        "joined": selectors.networks_joined_by(user),
    }
    return render(request, "personalization/network/network.html", context, status=status)


@login_required
def network_page(request: HttpRequest) -> HttpResponse:
    return _render_network(request)


@login_required
@require_POST
def network_invite(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    school = _learner_school(user, request.POST.get("school"))
    form = InviteForm(
        request.POST, people=selectors.invitable_people(user, school), auto_id=f"id_s{school.pk}_%s"
    )
    if form.is_valid():
        member = form.cleaned_data["member"]
        try:
            services.connection_invite(
                learner=user, school=school, member=member, kind=form.cleaned_data["kind"]
            )
        except PermissionDenied as error:
            return denied(request, error.message)
        except DomainError as error:
            add_form_error(form, error)
        else:
            messages.success(
                request, _("%s is invited; they join your network when they accept.") % member.name
            )
            return redirect("network")
    return _render_network(request, form, status=400)


@login_required
@require_POST
def network_answer(request: HttpRequest, connection_id: int) -> HttpResponse:
    user = _user(request)
    connection = perms.connections_visible_to(user).select_related("learner").filter(pk=connection_id).first()
    if connection is None:
        raise Http404("No such invitation.")
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Choose accept or decline."))
        return _render_network(request, status=400)
    try:
        services.connection_answer(actor=user, connection=connection, accept=answer == "accept")
    except PermissionDenied as error:
        return denied(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
        return _render_network(request, status=400)
    if answer == "accept":
        messages.success(request, _("You joined %s's learning network.") % connection.learner.name)
    else:
        messages.success(request, _("Invitation declined."))
    return redirect("network")


# --- peer help -----------------------------------------------------------------------------------


def _help_sections(user: User) -> list[dict[str, Any]]:
    sections = []
    for school in selectors.schools_learning_in(user):
        stuck = selectors.stuck_with_suggestions(user, school)
        asks = {
            (row.competency.pk, s.peer_id): AskForm(
                initial={"school": school.pk, "helper": s.peer_id, "competency": row.competency.pk},
                auto_id=f"id_ask_{row.competency.pk}_{s.peer_id}_%s",
            )
            for row in stuck
            for s in row.suggestions
        }
        sections.append(
            {
                "school": school,
                "stuck": [
                    {"row": row, "asks": [(s, asks[(row.competency.pk, s.peer_id)]) for s in row.suggestions]}
                    for row in stuck
                ],
                "opt_in": HelpOptInForm(
                    initial={"school": school.pk, "open_to_help": selectors.open_to_help(user, school)},
                    auto_id=f"id_optin{school.pk}_%s",
                ),
            }
        )
    return sections


def _render_help(request: HttpRequest, status: int = 200) -> HttpResponse:
    user = _user(request)
    context = {
        "sections": _help_sections(user),
        "asked": selectors.help_asked_by(user),
        "asked_of_me": selectors.help_asked_of(user),
        "oversees": selectors.help_overseen_by(user).exists(),
    }
    return render(request, "personalization/network/help.html", context, status=status)


@login_required
def help_page(request: HttpRequest) -> HttpResponse:
    return _render_help(request)


@login_required
@require_POST
def help_opt_in(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    school = _learner_school(user, request.POST.get("school"))
    form = HelpOptInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box or leave it empty, then save."))
        return _render_help(request, status=400)
    services.help_opt_in_set(learner=user, school=school, open_to_help=form.cleaned_data["open_to_help"])
    if form.cleaned_data["open_to_help"]:
        messages.success(request, _("Thank you: peers stuck on what you mastered may now ask you."))
    else:
        messages.success(request, _("You will not be suggested to peers any more."))
    return redirect("help")


@login_required
@require_POST
def help_ask(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    school = _learner_school(user, request.POST.get("school"))
    form = AskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your question (at most 2000 characters), then ask."))
        return _render_help(request, status=400)
    helper = User.objects.filter(pk=form.cleaned_data["helper"]).first()
    competency = Competency.objects.filter(pk=form.cleaned_data["competency"]).first()
    if helper is None or competency is None:
        messages.error(request, _("That peer or competency does not exist."))
        return _render_help(request, status=400)
    try:
        asked = services.help_request_ask(
            learner=user,
            school=school,
            helper=helper,
            competency=competency,
            question=form.cleaned_data["question"],
        )
    except PermissionDenied as error:
        return denied(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
        return _render_help(request, status=400)
    messages.success(request, _("You asked %s. You can write to each other once they accept.") % helper.name)
    return redirect("help-conversation", asked.pk)


def _request(request: HttpRequest, request_id: int) -> HelpRequest:
    found = selectors.help_request_for(_user(request), request_id)
    if found is None:
        raise Http404("No such conversation.")
    return found


def _render_conversation(
    request: HttpRequest, help_request: HelpRequest, form: MessageForm | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    takes_part = perms.can_take_part_in_help(user, help_request)
    page = Paginator(selectors.help_messages(help_request), MESSAGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "help_request": help_request,
        "page": page,
        "takes_part": takes_part,
        "is_helper": help_request.helper_id == user.pk,
        "form": form or (MessageForm() if takes_part else None),
        "report_forms": {
            m.pk: ReportForm(auto_id=f"id_report{m.pk}_%s")
            for m in page
            if takes_part and m.author_id != user.pk and m.reported_at is None
        },
    }
    return render(request, "personalization/network/conversation.html", context, status=status)


@login_required
def help_conversation(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = _request(request, request_id)
    if request.method != "POST":
        return _render_conversation(request, help_request)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.help_message_post(
                author=_user(request), request=help_request, text=form.cleaned_data["text"]
            )
        except PermissionDenied as error:
            return denied(request, error.message)
        except DomainError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("Message sent."))
            return redirect("help-conversation", help_request.pk)
    if not perms.can_take_part_in_help(_user(request), help_request):
        return denied(request, _("Staff read these conversations; only the two learners write in them."))
    return _render_conversation(request, help_request, form, status=400)


@login_required
@require_POST
def help_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = _request(request, request_id)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Choose accept or decline."))
        return _render_conversation(request, help_request, status=400)
    try:
        services.help_request_answer(actor=_user(request), request=help_request, accept=answer == "accept")
    except PermissionDenied as error:
        return denied(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
        return _render_conversation(request, help_request, status=400)
    if answer == "accept":
        messages.success(
            request, _("Thank you for helping %s: write your first message.") % help_request.learner.name
        )
    else:
        messages.success(request, _("Request declined."))
    return redirect("help-conversation", help_request.pk)


@login_required
@require_POST
def help_close(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = _request(request, request_id)
    try:
        services.help_request_close(actor=_user(request), request=help_request)
    except PermissionDenied as error:
        return denied(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
        return _render_conversation(request, help_request, status=400)
    messages.success(request, _("Conversation closed."))
    return redirect("help-conversation", help_request.pk)


@login_required
@require_POST
def help_report(request: HttpRequest, message_id: int) -> HttpResponse:
    user = _user(request)
    message = (
        HelpMessage.objects.filter(request__in=perms.help_requests_visible_to(user), pk=message_id)
        .select_related("request")
        .first()
    )
    if message is None:
        raise Http404("No such message.")
    form = ReportForm(request.POST)
    if not form.is_valid():
        if not perms.can_take_part_in_help(user, message.request):
            return denied(request, _("Only the two learners of this conversation can report its messages."))
        messages.error(request, _("Say why you report this message (at most 200 characters)."))
        return _render_conversation(request, _request(request, message.request_id), status=400)
    try:
        services.help_message_report(actor=user, message=message, reason=form.cleaned_data["reason"])
    except PermissionDenied as error:
        return denied(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
        return _render_conversation(request, _request(request, message.request_id), status=400)
    messages.success(request, _("Reported. Your teachers will look at it."))
    return redirect("help-conversation", message.request_id)


@login_required
def help_oversight(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not perms.can_oversee_help(user):
        raise Http404("This page is for teachers.")
    page = Paginator(selectors.help_overseen_by(user), OVERSIGHT_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "personalization/network/oversight.html", {"page": page})
