"""The learner's goals under /me/goals/ (set, break into steps, reflect, mark reached), and the read-only
goals for the people who work with a learner, who comment on them (and guardians, as the sharing rule
allows), under /learners/<membership id>/goals/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tessera.personalization.goals import forms, permissions, selectors, services
from tessera.personalization.goals.models import Goal
from tessera.personalization.views import (
    _context,
    _handled,
    _learner,
    _learner_sharing,
    _me,
    _Refused,
    _url,
    _user,
)
from tessera.schools.errors import Conflict, DomainError
from tessera.schools.models import Membership


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
            form.add_error(None, error.message)
            form.token_renew()
        except DomainError as error:
            form.add_error(None, error.message)
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


# --- for the people who work with a learner (and guardians, as the sharing rule allows) ----------


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
