"""Pages of the learner's own part of personalization, under /me/ (profile, library, goals, confidence),
and the read-only pages for the people who work with a learner, under /learners/<membership id>/.

Parse, authorize (selectors and services), render. A learner in several schools picks one with
``?school=<id>``. Something the user may not see is a 404; something they may see but not change is a 403
that says why; nothing is changed either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tessera.personalization import forms, permissions, selectors, services
from tessera.personalization.models import Goal
from tessera.schools.errors import Conflict, DomainError, add_form_error
from tessera.schools.models import Membership, User


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status, self.message = status, message


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(request: HttpRequest, status: int, message: str) -> HttpResponse:
    return render(request, "personalization/refused.html", {"message": message}, status=status)


def _handled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a refusal or a domain error into a page with its status and message (nothing was changed)."""

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _Refused as refusal:
            return _refused(request, refusal.status, refusal.message)
        except DomainError as error:
            return _refused(request, error.status, error.message)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return login_required(wrapper)


def _school_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("school") or request.POST.get("school")
    return int(raw) if raw and raw.isdigit() and len(raw) < 12 else None


def _me(request: HttpRequest) -> Membership:
    membership = selectors.own_membership(_user(request), _school_param(request))
    if membership is None:
        raise _Refused(404, _("These pages are for learners, in a school where you are one."))
    return membership


def _url(name: str, me: Membership, *args: Any) -> str:
    return f"{reverse(name, args=args)}?school={me.school_id}"


def _context(request: HttpRequest, me: Membership, section: str, **extra: Any) -> dict[str, Any]:
    schools = selectors.learner_memberships(_user(request))
    return {
        "me": me,
        "school": me.school,
        "section": section,
        "other_schools": schools if len(schools) > 1 else [],
        **extra,
    }


# --- profile -------------------------------------------------------------------------------------


def _profile_page(
    request: HttpRequest,
    me: Membership,
    *,
    form: forms.ProfileForm | None = None,
    sharing: forms.SharingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    view = selectors.profile_view(user, me.school)
    if form is None:
        form = forms.ProfileForm(
            initial=forms.ProfileForm.initial_from(selectors.profile_of(user, me.school))
        )
    if sharing is None:
        shared = {"profile": view.shares_profile, "goals": view.shares_goals}
        sharing = forms.SharingForm(initial={**shared, "reflections": view.shares_reflections})
    context = _context(request, me, "profile", form=form, view=view, sharing=sharing)
    return render(request, "personalization/profile_edit.html", context, status=status)


@_handled
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    me, user = _me(request), _user(request)
    profile = selectors.profile_of(user, me.school)
    form = forms.ProfileForm(request.POST or None, initial=forms.ProfileForm.initial_from(profile))
    if request.method == "POST" and form.is_valid():
        try:
            _profile, changed = services.profile_update(
                learner=user, school=me.school, data=form.cleaned_data
            )
        except DomainError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("Profile saved.") if changed else _("Nothing changed."))
            return redirect(_url("personalization-profile", me))
    return _profile_page(request, me, form=form, status=400 if request.method == "POST" else 200)


@_handled
@require_POST
def profile_sharing(request: HttpRequest) -> HttpResponse:
    """The learner's three sharing choices. Reflections without goals is a form error (400, nothing
    saved); below the school's choosing age a 403 says the school shares them until then."""
    me = _me(request)
    form = forms.SharingForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, me, sharing=form, status=400)
    data = form.cleaned_data
    _profile, changed = services.profile_sharing_set(
        learner=_user(request),
        school=me.school,
        profile=data["profile"],
        goals=data["goals"],
        reflections=data["reflections"],
    )
    shared = [
        str(label)
        for label, chosen in (
            (_("your profile"), data["profile"]),
            (_("your goals"), data["goals"]),
            (_("your reflections"), data["reflections"]),
        )
        if chosen
    ]
    if not changed:
        messages.success(request, _("Your choices are saved; nothing changed."))
    elif shared:
        messages.success(request, _("Saved. Your family can now see: %s.") % ", ".join(shared))
    else:
        messages.success(
            request, _("Saved. Your profile, goals and reflections are now private from your family.")
        )
    return redirect(_url("personalization-profile", me))


@_handled
def profile_history(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    profile = selectors.profile_of(_user(request), me.school)
    rows = selectors.profile_history(profile) if profile else []
    return render(
        request,
        "personalization/profile_history.html",
        _context(request, me, "profile", rows=rows, learner=me),
    )


# --- library -------------------------------------------------------------------------------------


@_handled
def library(request: HttpRequest) -> HttpResponse:
    me, user = _me(request), _user(request)
    competencies = selectors.library_competencies(user, me.school)
    search = forms.LibrarySearchForm(request.GET or None, competencies=competencies)
    searched = request.GET.get("q") is not None or bool(
        request.GET.get("competency") or request.GET.get("kind")
    )
    results = None
    if searched and search.is_valid():
        data = search.cleaned_data
        found = selectors.library_search(
            user,
            me.school,
            text=data.get("q") or "",
            competency_id=data.get("competency"),
            kind=data.get("kind") or "",
        )
        results = Paginator(found, 20).get_page(request.GET.get("page"))
    context = _context(
        request,
        me,
        "library",
        search=search,
        results=results,
        searched=searched,
        recommendations=selectors.recommendations_for(user, me.school),
        saved=selectors.saved_resources(user, me.school),
        saved_ids=selectors.saved_resource_ids(user, me.school),
        query=_without_page(request),
    )
    return render(
        request,
        "personalization/library.html",
        context,
        status=400 if searched and not search.is_valid() else 200,
    )


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _back_to_library(request: HttpRequest, me: Membership) -> HttpResponse:
    query = request.POST.get("query", "")
    target = reverse("personalization-library") + "?" + (query if query else f"school={me.school_id}")
    if query and "school=" not in query:
        target += f"&school={me.school_id}"
    return redirect(target)


@_handled
@require_POST
def resource_save(request: HttpRequest, resource_id: int) -> HttpResponse:
    me = _me(request)
    saved = services.resource_save(learner=_user(request), school=me.school, resource_id=resource_id)
    messages.success(request, _("“%s” is in your library.") % saved.resource.title)
    return _back_to_library(request, me)


@_handled
@require_POST
def resource_unsave(request: HttpRequest, resource_id: int) -> HttpResponse:
    me = _me(request)
    services.resource_unsave(learner=_user(request), school=me.school, resource_id=resource_id)
    messages.success(request, _("Removed from your library."))
    return _back_to_library(request, me)


# --- goals ---------------------------------------------------------------------------------------


@_handled
@require_http_methods(["GET", "POST"])
def goals(request: HttpRequest) -> HttpResponse:
    me, user = _me(request), _user(request)
    competencies = selectors.goal_competencies(user, me.school)
    form = forms.GoalForm(request.POST or None, competencies=competencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            goal, created = services.goal_submit(
                learner=user,
                school=me.school,
                title=data["title"],
                why=data["why"],
                competency_ids=data["competencies"],
                target_date=data["target_date"],
                token=data["token"],
            )
        except Conflict as error:
            add_form_error(form, error)
            form.token_renew()
        except DomainError as error:
            add_form_error(form, error)
        else:
            if created:
                messages.success(request, _("Goal set. Break it into steps below."))
            else:
                messages.info(request, _("This goal was already added. Here it is."))
            return redirect(_url("personalization-goal", me, goal.pk))
    rows = selectors.goals_progress(selectors.goals_of(user, me.school))
    context = _context(request, me, "goals", form=form, rows=rows)
    return render(
        request, "personalization/goals.html", context, status=400 if request.method == "POST" else 200
    )


def _own_goal(request: HttpRequest, goal_id: int) -> tuple[Membership, Goal]:
    user = _user(request)
    goal = selectors.goal_for(user, goal_id)
    if goal is None or goal.learner_id != user.pk:
        raise _Refused(404, _("No such goal."))
    me = selectors.own_membership(user, goal.school_id)
    if me is None:
        raise _Refused(404, _("No such goal."))
    return me, goal


def _goal_context(goal: Goal) -> dict[str, Any]:
    progress = selectors.goal_progress(goal)
    return {
        "goal": goal,
        "progress": progress,
        "milestones": selectors.open_milestones(goal, progress),
        "steps": list(goal.steps.all()),
        "reflections": list(goal.reflections.all()),
        "comments": list(goal.comments.all()),
    }


@_handled
def goal_detail(request: HttpRequest, goal_id: int) -> HttpResponse:
    me, goal = _own_goal(request, goal_id)
    context = _context(
        request,
        me,
        "goals",
        step_form=forms.StepForm(),
        reflection_form=forms.ReflectionForm(),
        **_goal_context(goal),
    )
    return render(request, "personalization/goal_detail.html", context)


def _goal_write(request: HttpRequest, goal_id: int, write: Callable[[Goal], str]) -> HttpResponse:
    """Run a write on a goal as the signed-in user (the service checks it is theirs), then go back."""
    user = _user(request)
    goal = selectors.goal_for(user, goal_id)
    if goal is None:
        raise _Refused(404, _("No such goal."))
    messages.success(request, write(goal))
    return redirect(f"{reverse('personalization-goal', args=[goal.pk])}?school={goal.school_id}")


@_handled
@require_POST
def goal_status(request: HttpRequest, goal_id: int) -> HttpResponse:
    def write(goal: Goal) -> str:
        status = request.POST.get("status", "")
        changed = services.goal_status_set(actor=_user(request), goal_id=goal.pk, status=status)
        return _("Goal marked: %s.") % changed.get_status_display()

    return _goal_write(request, goal_id, write)


@_handled
@require_POST
def step_add(request: HttpRequest, goal_id: int) -> HttpResponse:
    def write(goal: Goal) -> str:
        title = request.POST.get("title", "")
        step = services.goal_step_add(actor=_user(request), goal_id=goal.pk, title=title)
        return _("Step “%s” added.") % step.title

    return _goal_write(request, goal_id, write)


@_handled
@require_POST
def step_tick(request: HttpRequest, goal_id: int, step_id: int) -> HttpResponse:
    done = request.POST.get("done") == "1"

    def write(goal: Goal) -> str:
        step = services.goal_step_tick(actor=_user(request), goal_id=goal.pk, step_id=step_id, done=done)
        return (_("Done: “%s”. Well done!") if done else _("“%s” is open again.")) % step.title

    return _goal_write(request, goal_id, write)


@_handled
@require_POST
def step_move(request: HttpRequest, goal_id: int, step_id: int) -> HttpResponse:
    direction = request.POST.get("direction", "")

    def write(goal: Goal) -> str:
        services.goal_step_move(actor=_user(request), goal_id=goal.pk, step_id=step_id, direction=direction)
        return _("Step moved.")

    return _goal_write(request, goal_id, write)


@_handled
@require_POST
def reflection_add(request: HttpRequest, goal_id: int) -> HttpResponse:
    def write(goal: Goal) -> str:
        services.reflection_add(
            actor=_user(request),
            goal_id=goal.pk,
            prompt=request.POST.get("prompt", ""),
            text=request.POST.get("text", ""),
            milestone=request.POST.get("milestone", ""),
        )
        return _("Reflection saved.")

    return _goal_write(request, goal_id, write)


# --- confidence and calibration ------------------------------------------------------------------


@_handled
@require_http_methods(["GET", "POST"])
def confidence(request: HttpRequest) -> HttpResponse:
    me, user = _me(request), _user(request)
    form = forms.ConfidenceForm(
        request.POST or None, competencies=selectors.goal_competencies(user, me.school)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.confidence_rate(
                learner=user,
                school=me.school,
                competency_id=form.cleaned_data["competency"],
                confidence=form.cleaned_data["confidence"],
            )
        except DomainError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("Thank you. See how it compares with your answers below."))
            return redirect(_url("personalization-confidence", me))
    context = _context(request, me, "confidence", form=form, rows=selectors.calibration_for(user, me.school))
    return render(
        request, "personalization/confidence.html", context, status=400 if request.method == "POST" else 200
    )


# --- for the people who work with a learner (and guardians, as the sharing rule allows) -----------


def _learner(request: HttpRequest, membership_id: int) -> Membership:
    membership = selectors.learner_page_for(_user(request), membership_id)
    if membership is None:
        raise _Refused(404, _("No such learner, or their profile is not shared with you."))
    return membership


def _learner_sharing(request: HttpRequest, membership_id: int, what: str) -> Membership:
    """The learner whose ``what`` (profile or goals) the user may read: a guardian only when the learner
    shares that one, not merely the other."""
    learner = _learner(request, membership_id)
    visible = permissions.learners_with_pages_visible_to(_user(request), what)
    if not visible.filter(pk=learner.pk).exists():
        if what == permissions.PROFILE:
            raise _Refused(404, _("No such learner, or their profile is not shared with you."))
        raise _Refused(404, _("No such learner, or their goals are not shared with you."))
    return learner


def _learner_with_profile(request: HttpRequest, membership_id: int) -> Membership:
    return _learner_sharing(request, membership_id, permissions.PROFILE)


@_handled
def learner_profile(request: HttpRequest, membership_id: int) -> HttpResponse:
    learner = _learner_with_profile(request, membership_id)
    view = selectors.profile_view(learner.user, learner.school)
    return render(request, "personalization/learner_profile.html", {"learner": learner, "view": view})


@_handled
def learner_profile_history(request: HttpRequest, membership_id: int) -> HttpResponse:
    learner = _learner_with_profile(request, membership_id)
    profile = selectors.profile_of(learner.user, learner.school)
    rows = selectors.profile_history(profile) if profile else []
    return render(
        request, "personalization/profile_history.html", {"learner": learner, "rows": rows, "read_only": True}
    )


@_handled
def learner_goals(request: HttpRequest, membership_id: int) -> HttpResponse:
    learner = _learner_sharing(request, membership_id, permissions.Topic.GOALS)
    goals = selectors.goals_of(learner.user, learner.school) & permissions.goals_visible_to(_user(request))
    rows = selectors.goals_progress(goals)
    return render(request, "personalization/learner_goals.html", {"learner": learner, "rows": rows})


def _learner_goal(request: HttpRequest, membership_id: int, goal_id: int) -> tuple[Membership, Goal]:
    learner = _learner(request, membership_id)
    goal = selectors.goal_for(_user(request), goal_id)
    if goal is None or (goal.learner_id, goal.school_id) != (learner.user_id, learner.school_id):
        raise _Refused(404, _("No such goal."))
    return learner, goal


@_handled
def learner_goal(request: HttpRequest, membership_id: int, goal_id: int) -> HttpResponse:
    learner, goal = _learner_goal(request, membership_id, goal_id)
    can_comment = permissions.can_comment_goal(_user(request), goal)
    context = {
        "learner": learner,
        "can_comment": can_comment,
        "comment_form": forms.CommentForm(),
        **_goal_context(goal),
        "reflections_hidden": not permissions.can_view_reflections(_user(request), goal),
    }
    if context["reflections_hidden"]:
        context["reflections"] = []
    return render(request, "personalization/learner_goal.html", context)


@_handled
@require_POST
def goal_comment(request: HttpRequest, membership_id: int, goal_id: int) -> HttpResponse:
    learner, goal = _learner_goal(request, membership_id, goal_id)
    services.goal_comment_add(author=_user(request), goal_id=goal.pk, text=request.POST.get("text", ""))
    messages.success(request, _("Comment added."))
    return redirect("personalization-learner-goal", learner.pk, goal.pk)
