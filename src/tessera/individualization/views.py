"""Pages of individualization, under ``/schools/<school_id>/learners/<learner_id>/`` (the learner's user id):

- ``plan/``: the learner's records for those who may read them (the plan team, the guardians, the school's
  administrators): the plan in force, every version with its signatures and what changed, evaluations (their
  files downloaded through ``attachments/<id>/``), meetings, support logs and this week's minutes; a
  guardian also sees who read the records. The read is audited (by the selectors). Everyone else, a
  teacher of the learner outside the team included: 404, the same as for a stranger, so nobody learns that
  a plan exists.
- ``accommodations/``: only the supports to apply today, for the learner's teachers (on the team or not)
  and those who read the records; the read is audited as "accommodations to apply". Everyone else: 404.
- ``alerts/<id>/review/`` (POST): a team member marks an off-track objective's alert as reviewed.
- ``evaluations/``, ``meetings/``, ``plans/new/``, ``plans/<id>/sign/``, ``support-logs/``: one form each;
  a POST that succeeds redirects to the plan page (or, for a support log by someone who may not read the
  plan, back to the form) with a message; bad input shows the form again with the reason (400) and changes
  nothing; someone who may see the learner but not do this gets the reason (403).

And ``/schools/<school_id>/records-audit/``: the school's administrators review every access (``?learner=``
to filter, ``?format=csv`` to export).
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tessera.individualization import pages, selectors, services
from tessera.individualization import permissions as perms
from tessera.individualization.audit import Action, client_address, record_access
from tessera.individualization.forms import (
    OBJECTIVE_SLOTS,
    EvaluationForm,
    MeetingForm,
    PlanForm,
    SignForm,
    SupportLogForm,
)
from tessera.individualization.models import Area, EvaluationAttachment, PlanMember, SupportPlan, TeamAlert
from tessera.individualization.services import (
    AccommodationSpec,
    MemberSpec,
    ObjectiveSpec,
    PlanContent,
    ServiceSpec,
)
from tessera.schools.errors import DomainError, PermissionDenied, add_form_error, form_write, refusal_page
from tessera.schools.models import School, User

AUDIT_PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _school_and_learner(school_id: int, learner_id: int) -> tuple[School, User]:
    school = get_object_or_404(School, pk=school_id)
    learner = pages.learner_of(school, learner_id)
    if learner is None:
        raise Http404("No such learner.")
    return school, learner


def _form_page(
    request: HttpRequest, learner: User, school: School, form: Any, *, title: str, button: str, **extra: Any
) -> HttpResponse:
    context = {
        "learner": learner,
        "school": school,
        "form": form,
        "title": title,
        "button": button,
        "back_to": _back_to(_user(request), school, learner),
        **extra,
    }
    return render(
        request, "individualization/form.html", context, status=400 if request.method == "POST" else 200
    )


def _back_to(user: User, school: School, learner: User) -> str | None:
    """Where a form links back to: the plan for those who read it, else the accommodations for those who
    see them (a teacher outside the team, a para-professional assigned to the learner)."""
    if perms.can_read_records(user, school, learner):
        return "plan"
    if perms.can_see_accommodations(user, school, learner):
        return "accommodations"
    return None


# --- the learner's plan --------------------------------------------------------------------------


@login_required
def learner_plan(request: HttpRequest, school_id: int, learner_id: int) -> HttpResponse:
    user = _user(request)
    school, learner = _school_and_learner(school_id, learner_id)
    records = selectors.records_for(user, school, learner, address=client_address(request))
    if records is None:
        raise Http404("No such learner.")
    today = timezone.localdate()
    # the version in force, with the prefetched team, objectives and supports of ``records.versions``
    plan = next((v for v in records.versions if records.plan and v.pk == records.plan.pk), None)
    guardian = perms.is_guardian(user, school, learner)
    prefetch_related_objects(records.evaluations, "evaluator")  # one query, however many evaluations
    areas = dict(Area.choices)
    for evaluation in records.evaluations:
        evaluation.area_labels = [str(areas.get(code, code)) for code in evaluation.areas]  # type: ignore[attr-defined]
    audit = selectors.audit_log_for(user, school, learner) if guardian else None
    context = {
        "learner": learner,
        "school": school,
        "records": records,
        "plan": plan,
        "groups": _grouped(plan),
        "changes": pages.changes_of(records.versions),
        "week": pages.minutes_this_week(school, learner, plan, today),
        "is_guardian": guardian,
        "audit": list(audit[:50]) if audit is not None else None,
        "may_write": perms.can_write_records(user, school, learner),
        "may_evaluate": perms.can_enter_evaluation(user, school, learner),
        "may_log": perms.can_log_support(user, school, learner),
        "to_sign": [
            v
            for v in records.versions
            if v.status == SupportPlan.Status.DRAFT
            and any(m.user_id == user.pk and m.signed_at is None for m in v.members.all())
        ],
    }
    return render(request, "individualization/plan.html", context)


@login_required
def learner_accommodations(request: HttpRequest, school_id: int, learner_id: int) -> HttpResponse:
    user = _user(request)
    school, learner = _school_and_learner(school_id, learner_id)
    supports = selectors.accommodations_to_apply(user, school, learner, address=client_address(request))
    if supports is None:
        raise Http404("No such learner.")
    context = {
        "learner": learner,
        "school": school,
        "supports": supports,
        "teaches": perms.teaches(user, school, learner),
        "may_log": perms.can_log_support(user, school, learner),
    }
    return render(request, "individualization/accommodations.html", context)


GROUPS = (
    (_("Presentation"), ("read_aloud", "larger_text")),
    (_("Response"), ("fewer_options", "calculator", "alternative_response")),
    (_("Setting"), ("quiet_setting",)),
    (_("Timing"), ("extended_time", "breaks")),
)


def _grouped(plan: SupportPlan | None) -> list[tuple[str, list[Any]]]:
    """The plan's accommodations grouped as presentation, response, setting and timing."""
    if plan is None:
        return []
    accommodations = list(plan.accommodations.all())
    groups = [(str(label), [a for a in accommodations if a.kind in kinds]) for label, kinds in GROUPS]
    return [(label, found) for label, found in groups if found]


@login_required
def attachment_download(
    request: HttpRequest, school_id: int, learner_id: int, attachment_id: int
) -> FileResponse:
    user = _user(request)
    school, learner = _school_and_learner(school_id, learner_id)
    if not perms.can_read_records(user, school, learner):
        raise Http404("No such file.")
    attachment = EvaluationAttachment.objects.filter(
        school=school, evaluation__learner=learner, pk=attachment_id
    ).first()
    if attachment is None:
        raise Http404("No such file.")
    path = services.attachments_folder() / Path(attachment.stored_name).name
    if not path.is_file():
        raise Http404("The file is missing.")
    record_access(
        school=school,
        learner=learner,
        actor=user,
        action=Action.DOWNLOADED,
        record=f"attachment {attachment.pk} of evaluation {attachment.evaluation_id}",
        address=client_address(request),
    )
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- forms ---------------------------------------------------------------------------------------


def _refuse(request: HttpRequest, user: User, school: School, learner: User, reason: str) -> HttpResponse:
    """403 with the reason for those who may know the learner (their records' readers and the school's
    staff); 404 for anyone else."""
    if perms.can_read_records(user, school, learner) or pages.is_staff(user, school):
        return refusal_page(request, reason)
    raise Http404("No such learner.")


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_new(request: HttpRequest, school_id: int, learner_id: int) -> HttpResponse:
    user = _user(request)
    school, learner = _school_and_learner(school_id, learner_id)
    if not perms.can_enter_evaluation(user, school, learner):
        return _refuse(
            request,
            user,
            school,
            learner,
            _("Evaluations are entered by a specialist assigned to the learner."),
        )
    form = EvaluationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        address = client_address(request)

        def write() -> Any:
            data = form.cleaned_data
            with transaction.atomic():
                evaluation = services.evaluation_record(
                    actor=user,
                    school=school,
                    learner=learner,
                    kind=data["kind"],
                    evaluated_on=data["evaluated_on"],
                    areas=data["areas"],
                    findings=data["findings"],
                    recommendations=data["recommendations"],
                    address=address,
                )
                if data["attachment"]:
                    try:
                        services.attachment_add(
                            actor=user, evaluation=evaluation, upload=data["attachment"], address=address
                        )
                    except PermissionDenied:
                        raise
                    except DomainError as error:
                        add_form_error(form, error, "attachment")
                        transaction.set_rollback(True)
                        return None
            return evaluation

        evaluation, refused = form_write(form, request, write)
        if refused:
            return refused
        if evaluation is not None:
            messages.success(request, _("The evaluation is recorded."))
            return redirect("learner-plan", school.pk, learner.pk)
    return _form_page(
        request,
        learner,
        school,
        form,
        title=_("Record an evaluation"),
        button=_("Record the evaluation"),
        multipart=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, school_id: int, learner_id: int) -> HttpResponse:
    user = _user(request)
    school, learner = _school_and_learner(school_id, learner_id)
    if not perms.can_write_records(user, school, learner):
        return _refuse(
            request, user, school, learner, _("Only the learner's plan team records its meetings.")
        )
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        meeting, refused = form_write(
            form,
            request,
            lambda: services.meeting_record(
                actor=user,
                school=school,
                learner=learner,
                address=client_address(request),
                **form.cleaned_data,
            ),
        )
        if refused:
            return refused
        if meeting is not None:
            messages.success(request, _("The team meeting is recorded."))
            return redirect("learner-plan", school.pk, learner.pk)
    return _form_page(
        request, learner, school, form, title=_("Record a team meeting"), button=_("Record the meeting")
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_sign(request: HttpRequest, school_id: int, learner_id: int, plan_id: int) -> HttpResponse:
    user = _user(request)
    school, learner = _school_and_learner(school_id, learner_id)
    if not perms.can_read_records(user, school, learner):
        raise Http404("No such plan.")
    plan = get_object_or_404(SupportPlan, school=school, learner=learner, pk=plan_id)
    member = PlanMember.objects.filter(plan=plan, user=user).first()
    guardian = member is not None and member.role == PlanMember.Role.GUARDIAN
    form = SignForm(request.POST or None, guardian=guardian)
    if request.method == "POST":
        signed, refused = form_write(
            form, request, lambda: services.plan_sign(actor=user, plan=plan, address=client_address(request))
        )
        if refused:
            return refused
        if signed is not None:
            if signed.status == SupportPlan.Status.ACTIVE:
                done = _("Thank you: everyone has signed, and the plan is in effect from %(date)s.") % {
                    "date": signed.effective_from
                }
            elif guardian:
                done = _("Thank you: your consent is recorded.")
            else:
                done = _("Your signature is recorded.")
            messages.success(request, done)
            return redirect("learner-plan", school.pk, learner.pk)
    elif member is None:
        return refusal_page(request, _("Only the members of this plan's team sign it."))
    title = _("Consent to the plan") if guardian else _("Sign the plan")
    button = _("I consent") if guardian else _("Sign")
    return _form_page(request, learner, school, form, title=title, button=button, plan=plan)


@login_required
@require_POST
def alert_review(request: HttpRequest, school_id: int, learner_id: int, alert_id: int) -> HttpResponse:
    """Mark an off-track objective's alert as reviewed (again: nothing changes), back to the plan."""
    user = _user(request)
    school, learner = _school_and_learner(school_id, learner_id)
    if not perms.can_read_records(user, school, learner):
        raise Http404("No such alert.")
    alert = get_object_or_404(TeamAlert, school=school, learner=learner, pk=alert_id)
    try:
        services.alert_review(actor=user, alert=alert, address=client_address(request))
    except PermissionDenied as error:
        return refusal_page(request, error.message)
    messages.success(request, _("The alert is marked as reviewed."))
    return redirect("learner-plan", school.pk, learner.pk)


@login_required
@require_http_methods(["GET", "POST"])
def support_log_new(request: HttpRequest, school_id: int, learner_id: int) -> HttpResponse:
    user = _user(request)
    school, learner = _school_and_learner(school_id, learner_id)
    if not perms.can_log_support(user, school, learner):
        return _refuse(
            request,
            user,
            school,
            learner,
            _("Only the staff assigned to this learner, and their teachers, log support sessions for them."),
        )
    plan = selectors.plan_in_force(school, learner, timezone.localdate())
    form = SupportLogForm(request.POST or None, objectives=pages.loggable_objectives(user, school, plan))
    if request.method == "POST":
        log, refused = form_write(
            form,
            request,
            lambda: services.support_log_add(
                actor=user,
                school=school,
                learner=learner,
                held_on=form.cleaned_data["held_on"],
                minutes=form.cleaned_data["minutes"],
                what_was_done=form.cleaned_data["what_was_done"],
                notes=form.cleaned_data["notes"],
                objective=form.cleaned_data.get("objective"),
                measured=form.cleaned_data.get("measured"),
                address=client_address(request),
            ),
        )
        if refused:
            return refused
        if log is not None:
            messages.success(
                request, _("The session of %(minutes)s minutes is logged.") % {"minutes": log.minutes}
            )
            if perms.can_read_records(user, school, learner):
                return redirect("learner-plan", school.pk, learner.pk)
            return redirect("support-log-new", school.pk, learner.pk)
    return _form_page(
        request, learner, school, form, title=_("Log a support session"), button=_("Log the session")
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, school_id: int, learner_id: int) -> HttpResponse:
    user = _user(request)
    school, learner = _school_and_learner(school_id, learner_id)
    if not perms.can_write_records(user, school, learner):
        return _refuse(request, user, school, learner, _("Only the learner's plan team drafts their plan."))
    in_force = selectors.plan_in_force(school, learner, timezone.localdate())
    form = PlanForm(
        request.POST or None,
        people=pages.team_candidates(school, learner),
        staff=pages.school_staff(school),
        initial=_initial(in_force),
    )
    if request.method == "POST":
        plan, refused = form_write(
            form, request, lambda: _draft(request, user, school, learner, form, in_force)
        )
        if refused:
            return refused
        if plan is not None:
            messages.success(
                request,
                _("Version %(version)s is drafted: it takes effect when every member has signed.")
                % {"version": plan.version},
            )
            return redirect("learner-plan", school.pk, learner.pk)
    return render(
        request,
        "individualization/plan_form.html",
        {"learner": learner, "school": school, "form": form, "in_force": in_force},
        status=400 if request.method == "POST" else 200,
    )


def _initial(plan: SupportPlan | None) -> dict[str, Any]:
    if plan is None:
        return {}
    return {
        "kind": plan.kind,
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "present_levels": plan.present_levels,
        "members": [m.user_id for m in plan.members.all()],
        "accommodations": [a.kind for a in plan.accommodations.all()],
    }


def _draft(
    request: HttpRequest,
    user: User,
    school: School,
    learner: User,
    form: PlanForm,
    in_force: SupportPlan | None,
) -> SupportPlan:
    data = form.cleaned_data
    kinds = data["accommodations"]
    pausable = set(data["pausable"])
    objectives = []
    for slot in range(1, OBJECTIVE_SLOTS + 1):
        description = (data.get(f"o{slot}_description") or "").strip()
        if not description:
            continue
        objectives.append(
            ObjectiveSpec(
                area=data[f"o{slot}_area"],
                description=description,
                baseline=data[f"o{slot}_baseline"],
                target=data[f"o{slot}_target"],
                target_date=data[f"o{slot}_target_date"],
                measured_how=data[f"o{slot}_measured_how"] or "",
                unit=data[f"o{slot}_unit"] or "%",
                frequency=data[f"o{slot}_frequency"] or "weekly",
            )
        )
    content = PlanContent(
        present_levels=data["present_levels"],
        members=[MemberSpec(u, form.roles[u.pk]) for u in data["members"]],
        objectives=objectives,
        accommodations=[
            AccommodationSpec(
                kind,
                factor=data["factor"] if kind == "extended_time" else None,
                options=data["options"] if kind == "fewer_options" else None,
                mode=data["mode"] if kind == "alternative_response" else "",
                learner_may_pause=kind in pausable,
            )
            for kind in kinds
        ],
        services=(
            [ServiceSpec(data["service_minutes"], data["service_provider"])]
            if data["service_minutes"]
            else []
        ),
        modifications=[line.strip() for line in data["modifications"].splitlines() if line.strip()],
    )
    amends = in_force if data["amend"] else None
    return services.plan_draft(
        actor=user,
        school=school,
        learner=learner,
        kind=data["kind"],
        starts_on=amends.starts_on if amends else data["starts_on"],
        ends_on=amends.ends_on if amends else data["ends_on"],
        content=content,
        amends=amends,
        effective_from=data["effective_from"] or (timezone.localdate() if amends else None),
        change_summary=data["change_summary"],
        address=client_address(request),
    )


# --- the administrator's review ------------------------------------------------------------------


@login_required
def records_audit(request: HttpRequest, school_id: int) -> HttpResponse:
    user = _user(request)
    school = get_object_or_404(School, pk=school_id)
    if not perms.is_admin(user, school):
        raise Http404("No such page.")
    learner = None
    learner_id = request.GET.get("learner") or ""
    if learner_id:
        learner = pages.learner_of(school, int(learner_id)) if learner_id.isdigit() else None
        if learner is None:
            raise Http404("No such learner.")
    rows = selectors.audit_log_for(user, school, learner)
    assert rows is not None  # an administrator
    if request.GET.get("format") == "csv":
        return _audit_csv(school, rows)
    page = Paginator(rows, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "school": school,
        "page": page,
        "learner": learner,
        "learners": pages.school_learners(school),
    }
    return render(request, "individualization/records_audit.html", context)


def _audit_csv(school: School, rows: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = datetime.date.today().isoformat()
    response["Content-Disposition"] = f'attachment; filename="records-audit-{school.pk}-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(["at", "learner", "who", "action", "record", "address"])
    for row in rows.iterator():
        writer.writerow(
            [
                row.at.isoformat(),
                _cell(row.learner.name),
                _cell(row.actor.name if row.actor else ""),
                row.action,
                _cell(row.record),
                row.address or "",
            ]
        )
    return response


def _cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value
