"""The learner's pages: today, practice, my mastery, history. Parse, authorize, read progress, render.

Every page is a learner's own: a signed-in user without a learner membership gets a 403 page saying so,
and a practice session that is not theirs is a 404 (like the API). The practice page itself is a shell:
``practice.js`` talks to the JSON API (next item, answers, end) and keeps answers given offline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from tessera.curriculum.models import Framework, Item
from tessera.curriculum.rich_text import text_html
from tessera.practice import permissions, progress, services
from tessera.practice.models import Answer, LearnerCompetencyState, PracticeSession
from tessera.schools.errors import DomainError, NotFound
from tessera.schools.errors import PermissionDenied as DomainPermissionDenied
from tessera.schools.models import Membership, School, User

HISTORY_PER_PAGE = 25


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def learner_schools(user: User) -> list[School]:
    """The schools where ``user`` is a learner, oldest membership first."""
    memberships = Membership.objects.filter(user=user, role=Membership.Role.LEARNER).select_related("school")
    return [m.school for m in memberships.order_by("pk")]


def _not_a_learner(request: HttpRequest) -> HttpResponse:
    return render(request, "practice/not_a_learner.html", status=403)


def _reason(row: progress.CompetencyProgress) -> str:
    """Why a competency is a next step, in the learner's words."""
    if row.status == progress.IN_PROGRESS:
        percent = round((row.level or 0) * 100)
        return _(
            "in progress: you have started it (%(percent)s%% so far); keep going until it is mastered"
        ) % {"percent": percent}
    if row.mastered_prerequisites:
        names = ", ".join(c.name for c in row.mastered_prerequisites)
        return _("ready: you mastered %(names)s, which it builds on") % {"names": names}
    if row.prerequisites:  # only prerequisites without questions, which lock nothing
        return _("ready: nothing has to be mastered before it")
    return _("ready: a starting point, nothing comes before it")


@dataclass
class FrameworkToday:
    framework: Framework
    steps: list[progress.CompetencyProgress]
    reviews: list[LearnerCompetencyState]


@dataclass
class SchoolToday:
    school: School
    streak: int
    frameworks: list[FrameworkToday] = field(default_factory=list)


@login_required
@ensure_csrf_cookie
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    schools = learner_schools(user)
    if not schools:
        return _not_a_learner(request)
    now = timezone.now()
    rows = []
    for school in schools:
        zone = school.zone
        streak = progress.practice_streak(user, school, today=timezone.localtime(now, zone).date(), zone=zone)
        due = list(progress.reviews_due(user, school, now))
        entry = SchoolToday(school, streak)
        for framework in progress.frameworks_of(user, school):
            steps = progress.next_steps(progress.framework_progress(user, school, framework))
            reviews = [r for r in due if r.competency.framework_id == framework.pk]
            entry.frameworks.append(FrameworkToday(framework, steps, reviews))
        rows.append(entry)
    return render(request, "practice/today.html", {"schools": rows, "several": len(rows) > 1})


@login_required
@require_POST
def session_start(request: HttpRequest) -> HttpResponse:
    """Start a session from a Start button (``competency``, ``how``) and go to its practice page."""
    user = _user(request)
    if not learner_schools(user):
        return _not_a_learner(request)
    how = request.POST.get("how", PracticeSession.How.CHOSEN)
    if how not in (PracticeSession.How.SUGGESTED, PracticeSession.How.CHOSEN):
        how = PracticeSession.How.CHOSEN
    competency = _posted(request, "competency", permissions.competencies_visible_to(user))
    school = _posted(request, "school", School.objects.all()) if request.POST.get("school") else None
    try:
        session = services.session_start(learner=user, competency=competency, how=how, school=school)
    except NotFound as error:
        raise Http404(error.message) from error
    except DomainPermissionDenied:
        return _not_a_learner(request)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("learn-today")
    return redirect("learn-practice", session_id=session.pk)


def _posted(request: HttpRequest, field: str, rows: QuerySet[Any]) -> Any:
    """The row whose id the form posted in ``field``, among ``rows``; 404 naming nothing otherwise."""
    try:
        pk = int(request.POST.get(field, ""))
    except ValueError:
        raise Http404(_("There is no %(field)s with this id.") % {"field": field}) from None
    row = rows.filter(pk=pk).first() if 0 < pk < 2**62 else None
    if row is None:
        raise Http404(_("There is no %(field)s with this id.") % {"field": field})
    return row


@login_required
@ensure_csrf_cookie
@require_GET
def practice(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(
        permissions.sessions_of(_user(request)).select_related("competency", "school"), pk=session_id
    )
    supports = supports_shown(session.accommodations)
    return render(
        request,
        "practice/practice.html",
        {
            "session": session,
            "supports": supports,
            "larger_text": any(s.kind == "larger_text" for s in supports),
            "read_aloud": any(s.kind == "read_aloud" for s in supports),
        },
    )


@dataclass(frozen=True)
class Support:
    kind: str
    text: str


def supports_shown(applied: Any) -> list[Support]:
    """The supports stored on the session when it started (``PracticeSession.accommodations``), in words.

    The page applies those of the question itself: ``read_aloud`` (a button in the question card, in
    ``practice.js``) and ``larger_text`` (a class on the practice container). The others (extended time,
    breaks, fewer options, calculator, …) are only listed here for now: practice has no timer, and the
    assessment issue applies timing and the rest to timed tests.
    """
    shown = []
    for support in applied if isinstance(applied, list) else []:
        if not isinstance(support, dict) or not support.get("kind"):
            continue
        kind, value = str(support["kind"]), str(support.get("value") or "")
        label = str(support.get("label") or kind.replace("_", " ").capitalize())
        if kind == "extended_time" and value:
            text = _("%(label)s (x%(factor)s)") % {"label": label, "factor": value}
        elif value:
            text = _("%(label)s (%(value)s)") % {"label": label, "value": value}
        else:
            text = label
        shown.append(Support(kind, text))
    return shown


@dataclass
class FrameworkMastery:
    framework: Framework
    domains: list[progress.DomainProgress]
    steps: list[tuple[progress.CompetencyProgress, str]]


@login_required
@ensure_csrf_cookie
@require_GET
def mastery(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    schools = learner_schools(user)
    if not schools:
        return _not_a_learner(request)
    rows: list[dict[str, Any]] = []
    for school in schools:
        frameworks = []
        for framework in progress.frameworks_of(user, school):
            domains = progress.framework_progress(user, school, framework)
            steps = [(row, _reason(row)) for row in progress.next_steps(domains)]
            frameworks.append(FrameworkMastery(framework, domains, steps))
        rows.append({"school": school, "frameworks": frameworks, "zone": school.zone})
    return render(
        request,
        "practice/mastery.html",
        {"schools": rows, "several": len(rows) > 1, "status_labels": progress.STATUS_LABELS},
    )


def _option_html(item: Item, number: object) -> SafeString:
    """An option of ``item`` as the learner saw it (safe HTML, maths as MathML), or the number given."""
    try:
        index = int(number)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return conditional_escape(str(number))
    if 0 <= index < len(item.choices):
        return mark_safe(text_html(str(item.choices[index]), inline=True))  # noqa: S308 - sanitized by nh3
    return conditional_escape(str(number))


def answer_html(answer: Answer) -> SafeString:
    """What the learner answered, as they saw it: the option(s) of a choice item, of the version answered
    (the answer's item row is that version); the text or number they typed otherwise."""
    given = answer.given
    item: Item = answer.item
    if item.kind == Item.Kind.MULTIPLE_CHOICE:
        return _option_html(item, given)
    if item.kind == Item.Kind.MULTIPLE_SELECTION and isinstance(given, list):
        return format_html_join(", ", "{}", ((_option_html(item, number),) for number in sorted(given)))
    return conditional_escape(str(given))


@dataclass(frozen=True)
class HistoryRow:
    """One answer of the history, with the stem of the version answered, rendered as the learner saw it."""

    answer: Answer
    when: datetime
    given: SafeString
    stem_html: SafeString
    version: int


def _history_row(answer: Answer, zone: Any) -> HistoryRow:
    item: Item = answer.item
    return HistoryRow(
        answer=answer,
        when=timezone.localtime(answer.created_at, zone),
        given=answer_html(answer),
        stem_html=mark_safe(text_html(item.stem)),  # noqa: S308 - sanitized by nh3 (curriculum.rich_text)
        version=item.version,
    )


@login_required
@ensure_csrf_cookie
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    schools = learner_schools(user)
    if not schools:
        return _not_a_learner(request)
    school = schools[0]
    wanted = request.GET.get("school", "")
    if wanted:
        school = next((s for s in schools if str(s.pk) == wanted), None) or _no_school()
    zone = school.zone
    page = Paginator(progress.answer_history(user, school), HISTORY_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [_history_row(a, zone) for a in page]
    context = {"school": school, "schools": schools, "page": page, "rows": rows, "zone": zone}
    return render(request, "practice/history.html", context)


def _no_school() -> School:
    raise Http404(_("You are not a learner of this school."))
