"""Pages of differentiation: a class's groupings (/classes/<id>/groups/), one grouping with its
groups, reasons, regrouping suggestion, tasks and roles, a task's work and feedback, and the learner's own
groups (/me/groups/).

Only the class's teachers open the class pages (anyone else: 404). A POST that succeeds redirects with a
message; bad input shows the page again with the reason (400) and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tessera.differentiation import selectors, services
from tessera.differentiation.forms import (
    FeedbackForm,
    GroupingForm,
    GroupPlanForm,
    KeepApartForm,
    PlaceForm,
    RoleForm,
    SubmissionForm,
    TaskForm,
)
from tessera.differentiation.models import Group, Grouping, KeepApart
from tessera.schools.errors import DomainError, PermissionDenied, form_write, refusal_page
from tessera.schools.models import SchoolClass, User


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _taught_class(request: HttpRequest, class_id: int) -> SchoolClass:
    access = selectors.class_access(_user(request), class_id)
    if access is None or not access.teaches:
        raise Http404("No such class.")
    return access.school_class


# --- the class's groupings -----------------------------------------------------------------------


@login_required
def groupings_page(request: HttpRequest, class_id: int) -> HttpResponse:
    user = _user(request)
    school_class = _taught_class(request, class_id)
    action = request.POST.get("action") if request.method == "POST" else None
    learners = selectors.class_learners(school_class)
    grouping_form = GroupingForm(
        request.POST if action == "create" else None,
        competencies=selectors.competencies_for_class(school_class),
    )
    apart_form = KeepApartForm(request.POST if action == "apart" else None, learners=learners)
    if action == "create":
        grouping, refused = form_write(
            grouping_form,
            request,
            lambda: services.grouping_create(
                actor=user,
                school_class=school_class,
                objective=grouping_form.cleaned_data["objective"],
                competencies=list(grouping_form.cleaned_data["competencies"]),
                group_count=grouping_form.cleaned_data["group_count"],
                max_size=grouping_form.cleaned_data["max_size"],
            ),
        )
        if refused:
            return refused
        if grouping is not None:
            messages.success(
                request, _("Groups made for “%s”: each placement says why.") % grouping.objective
            )
            return redirect("class-grouping", school_class.pk, grouping.pk)
    elif action == "apart":
        pair, refused = form_write(
            apart_form,
            request,
            lambda: services.keep_apart_add(
                actor=user,
                school_class=school_class,
                learner=apart_form.cleaned_data["learner"],
                other=apart_form.cleaned_data["other"],
            ),
        )
        if refused:
            return refused
        if pair is not None:
            messages.success(request, _("Those two learners will not be put in the same group."))
            return redirect("class-groupings", school_class.pk)
    elif action == "unapart":
        pair = KeepApart.objects.filter(school_class=school_class, pk=request.POST.get("pair") or 0).first()
        if pair is None:
            raise Http404("No such pair.")
        services.keep_apart_remove(actor=user, pair=pair)
        messages.success(request, _("They may be grouped together again."))
        return redirect("class-groupings", school_class.pk)
    context = {
        "school_class": school_class,
        "groupings": selectors.groupings_of_class(user, school_class),
        "grouping_form": grouping_form,
        "apart_form": apart_form,
        "apart": selectors.keep_apart_pairs(school_class),
    }
    return render(request, "differentiation/groupings.html", context, status=400 if action else 200)


# --- one grouping --------------------------------------------------------------------------------


def _grouping(request: HttpRequest, school_class: SchoolClass, grouping_id: int) -> Grouping:
    grouping = selectors.grouping_for(_user(request), school_class, grouping_id)
    if grouping is None:
        raise Http404("No such grouping.")
    return grouping


@login_required
def grouping_page(request: HttpRequest, class_id: int, grouping_id: int) -> HttpResponse:
    user = _user(request)
    school_class = _taught_class(request, class_id)
    grouping = _grouping(request, school_class, grouping_id)
    action = request.POST.get("action") if request.method == "POST" else None
    data = request.POST if request.method == "POST" else None
    learners = selectors.class_learners(school_class)
    groups = grouping.groups.all()
    place_form = PlaceForm(data if action == "place" else None, learners=learners, groups=groups)
    task_forms = {}
    role_forms = {}
    plan_forms = {}
    posted_group = request.POST.get("group") if action in ("task", "role", "plan") else None
    competencies = grouping.competencies.all()
    resources = selectors.resources_for_class(school_class)
    for group in groups:
        posted = data if posted_group == str(group.pk) else None
        task_forms[group.pk] = TaskForm(
            posted if action == "task" else None,
            competencies=competencies,
            resources=resources,
            prefix=f"task-{group.pk}",
        )
        plan_forms[group.pk] = GroupPlanForm(
            posted if action == "plan" else None,
            resources=resources,
            prefix=f"plan-{group.pk}",
            initial={"objective": group.objective, "resources": list(group.resources.all())},
        )
        role_forms[group.pk] = RoleForm(
            posted if action == "role" else None,
            learners=selectors.group_members(group),
            prefix=f"role-{group.pk}",
        )
    done: str | None = None
    if action == "place":
        placed, refused = form_write(
            place_form,
            request,
            lambda: services.placement_set(
                actor=user,
                grouping=grouping,
                learner=place_form.cleaned_data["learner"],
                group=place_form.cleaned_data["group"],
                pin=place_form.cleaned_data["pin"],
            ),
        )
        if refused:
            return refused
        if placed is not None:
            done = _("%(name)s is now in %(group)s.") % {
                "name": placed.learner.name,
                "group": placed.group.name,
            }
    elif action in ("task", "role", "plan"):
        chosen = next((g for g in groups if str(g.pk) == posted_group), None)
        if chosen is None:
            raise Http404("No such group.")
        if action == "task":
            done, refused = _give_task(request, user, chosen, task_forms[chosen.pk])
        elif action == "plan":
            done, refused = _plan_group(request, user, chosen, plan_forms[chosen.pk])
        else:
            done, refused = _give_role(request, user, chosen, role_forms[chosen.pk])
        if refused:
            return refused
    elif action in ("regroup", "release", "check"):
        try:
            done = _small_action(request, user, grouping, action)
        except PermissionDenied as error:
            return refusal_page(request, error.message)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("class-grouping", school_class.pk, grouping.pk)
    if done is not None:
        messages.success(request, done)
        return redirect("class-grouping", school_class.pk, grouping.pk)
    context = {
        "school_class": school_class,
        "view": selectors.grouping_view(grouping),
        "place_form": place_form,
        "task_forms": task_forms,
        "role_forms": role_forms,
        "plan_forms": plan_forms,
    }
    return render(request, "differentiation/grouping.html", context, status=400 if action else 200)


def _give_task(
    request: HttpRequest, user: User, group: Group, form: TaskForm
) -> tuple[str | None, HttpResponse | None]:
    task, refused = form_write(
        form, request, lambda: services.task_create(actor=user, group=group, **form.cleaned_data)
    )
    if task is None:
        return None, refused
    return _("Task “%(task)s” given to %(group)s.") % {"task": task.title, "group": group.name}, None


def _plan_group(
    request: HttpRequest, user: User, group: Group, form: GroupPlanForm
) -> tuple[str | None, HttpResponse | None]:
    saved, refused = form_write(
        form,
        request,
        lambda: services.group_update(
            actor=user,
            group=group,
            objective=form.cleaned_data["objective"],
            resources=list(form.cleaned_data["resources"]),
        ),
    )
    if saved is None:
        return None, refused
    return _("%(group)s's objective and resources are saved.") % {"group": group.name}, None


def _give_role(
    request: HttpRequest, user: User, group: Group, form: RoleForm
) -> tuple[str | None, HttpResponse | None]:
    saved, refused = form_write(
        form,
        request,
        lambda: (
            services.role_assign(
                actor=user, group=group, learner=form.cleaned_data["learner"], role=form.cleaned_data["role"]
            )
            or "removed"
        ),
    )
    if saved is None:
        return None, refused
    return _("Role saved for %(name)s.") % {"name": form.cleaned_data["learner"].name}, None


def _small_action(request: HttpRequest, user: User, grouping: Grouping, action: str) -> str:
    """Regroup (accept the ticked moves), release a pin or a move, or ask for evidence checks."""
    chosen = [int(v) for v in request.POST.getlist("learner") if v.isdigit()]
    if action == "regroup":
        accepted = chosen if request.POST.get("decision") != "dismiss" else []
        regrouping = services.regrouping_decide(actor=user, grouping=grouping, accepted=accepted)
        moved = sum(1 for m in regrouping.moves if m["accepted"])
        return _("Regrouping saved: %(moved)s of %(total)s moves made.") % {
            "moved": moved,
            "total": len(regrouping.moves),
        }
    people = list(selectors.class_learners(grouping.school_class).filter(pk__in=chosen))
    if action == "release":
        for learner in people:
            services.placement_release(actor=user, grouping=grouping, learner=learner)
        return _("Back to what the evidence suggests.")
    asked = services.evidence_check_request(actor=user, grouping=grouping, learners=people)
    return _("A short check was asked of %(count)s learners.") % {"count": asked}


# --- a task's work -------------------------------------------------------------------------------


@login_required
def task_page(request: HttpRequest, class_id: int, grouping_id: int, task_id: int) -> HttpResponse:
    user = _user(request)
    school_class = _taught_class(request, class_id)
    grouping = _grouping(request, school_class, grouping_id)
    task = selectors.task_for(user, task_id)
    if task is None or task.group.grouping_id != grouping.pk:
        raise Http404("No such task.")
    form = FeedbackForm(request.POST or None, learners=selectors.task_learners(task))
    if request.method == "POST":
        feedback, refused = form_write(
            form,
            request,
            lambda: services.feedback_give(
                actor=user,
                task=task,
                learner=form.cleaned_data["learner"],
                text=form.cleaned_data["text"],
                token=form.cleaned_data["token"],
            ),
        )
        if refused:
            return refused
        if feedback is not None:
            messages.success(request, _("Feedback sent to %(name)s.") % {"name": feedback.learner.name})
            return redirect("group-task", school_class.pk, grouping.pk, task.pk)
    context = {
        "school_class": school_class,
        "grouping": grouping,
        "task": task,
        "work": selectors.task_work(task),
        "form": form,
    }
    return render(
        request, "differentiation/task.html", context, status=400 if request.method == "POST" else 200
    )


# --- the learner's groups ------------------------------------------------------------------------


@login_required
def my_groups_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = SubmissionForm(request.POST or None)
    if request.method == "POST":
        posted = request.POST.get("task", "")
        task = selectors.my_task(user, int(posted)) if posted.isdigit() and len(posted) < 19 else None
        if task is None:
            raise Http404("No such task.")
        saved, refused = form_write(
            form,
            request,
            lambda: services.submission_save(learner=user, task=task, text=form.cleaned_data["text"]),
        )
        if refused:
            return refused
        if saved is not None:
            messages.success(request, _("Your work on “%s” is saved.") % task.title)
            return redirect("my-groups")
    context = {"mine": selectors.my_groups(user), "form": form}
    return render(
        request, "differentiation/my_groups.html", context, status=400 if request.method == "POST" else 200
    )
