"""The learner's own pages: /me/supports/ (the supports of their plan in force today, and turning a
pausable one off for the day), and an objective's progress for those who may read the learner's records
(/schools/<id>/objectives/<id>/progress/, with its data as CSV). Parse, authorize, read, render."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tessera.individualization import permissions as perms
from tessera.individualization import selectors, services
from tessera.individualization.audit import Action, client_address, record_access
from tessera.individualization.models import Accommodation, PlanObjective
from tessera.schools.charts import fmt, line_chart
from tessera.schools.errors import PermissionDenied
from tessera.schools.models import Membership, School, User

Kind = Accommodation.Kind

# How each support changes the learner's work: how it is presented, how they respond, where, and when.
GROUPS: dict[str, Promise] = {
    Kind.READ_ALOUD: gettext_lazy("Presentation"),
    Kind.LARGER_TEXT: gettext_lazy("Presentation"),
    Kind.FEWER_OPTIONS: gettext_lazy("Presentation"),
    Kind.CALCULATOR: gettext_lazy("Response"),
    Kind.ALTERNATIVE_RESPONSE: gettext_lazy("Response"),
    Kind.QUIET_SETTING: gettext_lazy("Setting"),
    Kind.EXTENDED_TIME: gettext_lazy("Timing"),
    Kind.BREAKS: gettext_lazy("Timing"),
}
GROUP_ORDER = [str(g) for g in dict.fromkeys(GROUPS.values())]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@dataclass(frozen=True)
class SupportRow:
    kind: str
    label: str
    detail: str
    group: str
    on: bool
    may_pause: bool


@dataclass(frozen=True)
class SchoolSupports:
    school: School
    supports: list[SupportRow]


def _detail(support: selectors.Support) -> str:
    if support.kind == Kind.EXTENDED_TIME and support.value:
        return _("x%(factor)s the usual time") % {"factor": support.value}
    if support.kind == Kind.FEWER_OPTIONS and support.value:
        return _("%(options)s answer options") % {"options": support.value}
    return support.value


def _learner_schools(user: User) -> list[School]:
    memberships = Membership.objects.filter(user=user, role=Membership.Role.LEARNER).select_related("school")
    return [m.school for m in memberships.order_by("pk")]


def _supports_today(user: User, schools: list[School], today: datetime.date) -> list[SchoolSupports]:
    found = []
    for school in schools:
        rows = [
            SupportRow(
                kind=s.kind,
                label=s.label,
                detail=_detail(s),
                group=str(GROUPS.get(s.kind) or _("Presentation")),
                on=not s.paused,
                may_pause=s.learner_may_pause,
            )
            for s in selectors.accommodations_in_force(school, user, today, with_paused=True)
        ]
        if rows:
            rows.sort(key=lambda r: (GROUP_ORDER.index(r.group) if r.group in GROUP_ORDER else 99, r.label))
            found.append(SchoolSupports(school, rows))
    return found


@login_required
@require_http_methods(["GET", "POST"])
def my_supports(request: HttpRequest) -> HttpResponse:
    """Any signed-in person sees their own supports (usually none); a learner turns a pausable one off
    for today. A support the plan keeps on is refused (403, nothing changed)."""
    user = _user(request)
    today = timezone.localdate()
    schools = _learner_schools(user)
    if request.method == "POST":
        school = next((s for s in schools if str(s.pk) == request.POST.get("school", "")), None)
        if school is None:
            raise Http404(_("You are not a learner in this school."))
        kind = request.POST.get("kind", "")
        try:
            services.accommodation_pause(learner=user, school=school, kind=kind, on=today)
        except PermissionDenied as error:
            return render(request, "denied.html", {"message": error.message}, status=403)
        label = Kind(kind).label if kind in Kind.values else kind
        messages.success(request, _("%(support)s is off for today.") % {"support": label})
        return redirect("my-supports")
    return render(
        request,
        "individualization/my_supports.html",
        {"blocks": _supports_today(user, schools, today), "today": today},
    )


# --- an objective's progress ------------------------------------------------------------------------


def _objective_for(user: User, school_id: int, objective_id: int) -> PlanObjective:
    """The objective, for someone who may read its learner's records; 404 for anyone else."""
    objective = (
        PlanObjective.objects.select_related("plan__learner", "plan__school", "school")
        .filter(school_id=school_id, pk=objective_id)
        .first()
    )
    if objective is None or not perms.can_read_records(user, objective.school, objective.plan.learner):
        raise Http404(_("There is no objective with this id."))
    return objective


@login_required
@require_GET
def objective_progress(request: HttpRequest, school_id: int, objective_id: int) -> HttpResponse:
    user = _user(request)
    objective = _objective_for(user, school_id, objective_id)
    plan = objective.plan
    points = selectors.objective_progress(objective)
    as_csv = request.GET.get("format") == "csv"
    record_access(
        school=objective.school,
        learner=plan.learner,
        actor=user,
        action=Action.DOWNLOADED if as_csv else Action.READ,
        record=f"objective {objective.pk} progress (plan {plan.pk})",
        address=client_address(request),
    )
    if as_csv:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["date", "value", "aim", "source"])
        for p in points:
            writer.writerow([p.measured_on.isoformat(), fmt(p.value), fmt(p.aim), p.source])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="objective-{objective.pk}-progress.csv"'
        return response
    unit = "%" if objective.unit == "%" else f" {objective.unit}"
    chart = line_chart(
        [(p.measured_on, p.value) for p in points],
        [(plan.starts_on, objective.baseline), (objective.target_date, objective.target)],
        unit=unit,
    )
    return render(
        request,
        "individualization/objective_progress.html",
        {
            "objective": objective,
            "plan": plan,
            "learner": plan.learner,
            "points": points,
            "chart": chart,
            "unit": objective.unit,
        },
    )
