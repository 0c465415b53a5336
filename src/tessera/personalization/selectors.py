"""Reads for the learner's own pages (profile and its history, library and recommendations, goals with
their progress from evidence, calibration of confidence) and for the people who may read them, filtered by
:mod:`tessera.personalization.permissions`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.curriculum import permissions as curriculum_permissions
from tessera.curriculum.models import Competency, Framework, Resource
from tessera.engine import recommend
from tessera.engine.mastery import shown_percent
from tessera.personalization import permissions
from tessera.personalization.explanation_wording import learner_wording
from tessera.personalization.models import (
    ConfidenceRating,
    Goal,
    LearnerProfile,
    LearnerProfileVersion,
    LearningPreference,
    SavedResource,
)
from tessera.practice import progress
from tessera.practice.models import Answer
from tessera.practice.selectors import Mastery, learner_masteries, mastery_or_start
from tessera.schools.models import Membership, School, User

# --- whose pages -----------------------------------------------------------------------------------


def learner_memberships(user: User) -> list[Membership]:
    """The schools where the user is a learner (their own pages exist there), by school name."""
    return list(
        Membership.objects.filter(user=user, role=Membership.Role.LEARNER)
        .select_related("school")
        .order_by("school__name", "pk")
    )


def own_membership(user: User, school_id: int | None) -> Membership | None:
    """The user's learner membership in ``school_id`` (or their first school when not given)."""
    memberships = learner_memberships(user)
    if school_id is None:
        return memberships[0] if memberships else None
    return next((m for m in memberships if m.school_id == school_id), None)


def learner_page_for(user: User, membership_id: int) -> Membership | None:
    """A learner membership whose profile and goals the user may read, or None."""
    return (
        permissions.learners_with_pages_visible_to(user)
        .select_related("user", "school")
        .filter(pk=membership_id)
        .first()
    )


# --- profile -------------------------------------------------------------------------------------


def profile_of(learner: User, school: School) -> LearnerProfile | None:
    return LearnerProfile.objects.filter(school=school, learner=learner).first()


PROFILE_LABELS = {
    "strengths": gettext_lazy("Strengths"),
    "challenges": gettext_lazy("Challenges"),
    "interests": gettext_lazy("Interests"),
    "passions": gettext_lazy("Passions"),
    "aspirations": gettext_lazy("Aspirations"),
    "learning_preferences": gettext_lazy("How I learn best"),
    "languages": gettext_lazy("Languages"),
    "accessibility": gettext_lazy("Accessibility preferences"),
    "reading_level": gettext_lazy("Reading level"),
    "share_profile": gettext_lazy("Profile shared with my family"),
    "share_goals": gettext_lazy("Goals shared with my family"),
    "share_reflections": gettext_lazy("Reflections shared with my family"),
}
SHARING_FIELDS = ("share_profile", "share_goals", "share_reflections")
PREFERENCE_LABELS = dict(LearningPreference.choices)


def display_value(name: str, value: Any) -> str:
    if name == "learning_preferences":
        return ", ".join(str(PREFERENCE_LABELS.get(v, v)) for v in value or [])
    if name == "interests":
        return ", ".join(value or [])
    if name in SHARING_FIELDS:
        return _("yes") if value else _("no")
    if name == "reading_level":
        return "" if value is None else _("grade %d") % value
    return str(value or "")


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class VersionRow:
    version: LearnerProfileVersion
    changes: list[Change]


def profile_history(profile: LearnerProfile) -> list[VersionRow]:
    """Each saved edit with what it changed, newest first."""
    rows: list[VersionRow] = []
    previous: dict[str, Any] = {}
    for version in profile.versions.select_related("edited_by").order_by("created_at", "pk"):
        changes = []
        for name, label in PROFILE_LABELS.items():
            before = display_value(name, previous.get(name))
            after = display_value(name, version.snapshot.get(name))
            if before != after:
                changes.append(Change(str(label), before, after))
        rows.append(VersionRow(version, changes))
        previous = version.snapshot
    return rows[::-1]


@dataclass
class ProfileView:
    profile: LearnerProfile | None
    fields: list[tuple[str, str]]
    shares_profile: bool  # what the learner's guardians see now (the school's rule or the learner's choice)
    shares_goals: bool
    shares_reflections: bool
    can_choose_sharing: bool
    choosing_age: int


def profile_view(learner: User, school: School) -> ProfileView:
    profile = profile_of(learner, school)
    shown = profile or LearnerProfile(school=school, learner=learner)
    age = learner.age_on(timezone.localdate())
    from_age = permissions.choosing_age(school.pk)
    fields = [
        (str(label), display_value(name, getattr(shown, name)))
        for name, label in PROFILE_LABELS.items()
        if name not in SHARING_FIELDS
    ]
    return ProfileView(
        profile=profile,
        fields=fields,
        shares_profile=permissions.guardians_see(shown, permissions.PROFILE),
        shares_goals=permissions.guardians_see(shown, permissions.Topic.GOALS),
        shares_reflections=permissions.guardians_see(shown, permissions.Topic.REFLECTIONS),
        can_choose_sharing=age is None or age >= from_age,
        choosing_age=from_age,
    )


# --- library -------------------------------------------------------------------------------------


def school_frameworks(learner: User, school: School) -> QuerySet[Framework]:
    return curriculum_permissions.frameworks_visible_to(learner).filter(
        Q(school=school) | Q(school__isnull=True)
    )


def library_competencies(learner: User, school: School) -> QuerySet[Competency]:
    """Competencies that have resources, for the library's filter."""
    return (
        Competency.objects.filter(framework__in=school_frameworks(learner, school), resources__isnull=False)
        .distinct()
        .order_by("framework__name", "domain__position", "position", "pk")
    )


def goal_competencies(learner: User, school: School) -> QuerySet[Competency]:
    return (
        Competency.objects.filter(framework__in=school_frameworks(learner, school))
        .select_related("domain")
        .order_by("framework__name", "domain__position", "position", "pk")
    )


def library_search(
    learner: User, school: School, *, text: str = "", competency_id: int | None = None, kind: str = ""
) -> QuerySet[Resource]:
    resources = Resource.objects.filter(framework__in=school_frameworks(learner, school))
    for word in text.split()[:8]:
        resources = resources.filter(
            Q(title__icontains=word)
            | Q(competencies__name__icontains=word)
            | Q(interest_topics__icontains=word)
        )
    if competency_id:
        resources = resources.filter(competencies__pk=competency_id)
    if kind:
        resources = resources.filter(kind=kind)
    return resources.distinct().prefetch_related("competencies").order_by("title", "pk")


def saved_resources(learner: User, school: School) -> QuerySet[SavedResource]:
    return (
        SavedResource.objects.filter(school=school, learner=learner)
        .select_related("resource")
        .prefetch_related("resource__competencies")
    )


def saved_resource_ids(learner: User, school: School) -> set[int]:
    return set(
        SavedResource.objects.filter(school=school, learner=learner).values_list("resource_id", flat=True)
    )


@dataclass
class Recommendation:
    resource: Resource
    competency: Competency
    explanation: str
    score: float


# How a learning preference of the profile names the resource kind it likes (engine's kinds).
PREFERRED_KINDS: dict[str, str] = {
    LearningPreference.VIDEO: Resource.Kind.VIDEO,
    LearningPreference.READING: Resource.Kind.READING,
    LearningPreference.HANDS_ON: Resource.Kind.INTERACTIVE,
    LearningPreference.WORKSHEETS: Resource.Kind.WORKSHEET,
}


USEFUL_NOW = frozenset({"ready", "in_progress"})


def _learner_snapshot(
    learner: User, school: School, profile: LearnerProfile | None
) -> tuple[recommend.LearnerSnapshot, dict[str, Competency]]:
    """What the engine's recommender knows about the learner: mastery evidence per competency (keyed by
    id, so codes of different frameworks never clash), the prerequisite graph and their profile."""
    estimates: dict[str, float] = {}
    mastered: set[str] = set()
    prerequisites: dict[str, list[str]] = {}
    competencies: dict[str, Competency] = {}
    for framework in school_frameworks(learner, school):
        for domain in progress.framework_progress(learner, school, framework):
            for row in domain.competencies:
                key = str(row.competency.pk)
                competencies[key] = row.competency
                prerequisites[key] = [str(c.pk) for c in row.prerequisites]
                if row.level is not None:
                    estimates[key] = min(max(row.level, 0.0), 1.0)
                if row.status == progress.MASTERED:
                    mastered.add(key)
    snapshot = recommend.LearnerSnapshot(
        estimates=estimates,
        mastered=frozenset(mastered),
        prerequisites=prerequisites,
        names={key: c.name for key, c in competencies.items()},
        interests=frozenset(profile.interests if profile else ()),
        preferred_kinds=frozenset(
            PREFERRED_KINDS[p]
            for p in (profile.learning_preferences if profile else ())
            if p in PREFERRED_KINDS
        ),
        reading_level=profile.reading_level if profile else None,
    )
    return snapshot, competencies


def recommendations_for(learner: User, school: School, *, limit: int = 6) -> list[Recommendation]:
    """Resources of the learner's frameworks ranked by :func:`tessera.engine.recommend.recommend`:
    readiness (mastery and prerequisites), expected learning gain, and the match with their interests and
    preferences. Only what the learner is ready for or working on is recommended (a locked or mastered
    competency's resources stay in the library's search). Every item carries the engine's explanation in
    the learner's words."""
    snapshot, competencies = _learner_snapshot(learner, school, profile_of(learner, school))
    if not competencies:
        return []
    links = Resource.competencies.through.objects.filter(competency_id__in=[int(k) for k in competencies])
    taught: dict[int, list[str]] = {}
    for resource_id, competency_id in links.order_by("pk").values_list("resource_id", "competency_id"):
        taught.setdefault(resource_id, []).append(str(competency_id))
    resources = {r.pk: r for r in Resource.objects.filter(pk__in=taught).order_by("title", "pk")}
    catalogue = [
        recommend.ResourceInfo(
            key=str(r.pk),
            title=r.title,
            competencies=tuple(taught[r.pk]),
            kind=r.kind,
            media_type=r.media_type,
            reading_level=r.reading_level,
            topics=tuple(str(t) for t in r.interest_topics),
        )
        for r in resources.values()
    ]
    ranked = [r for r in recommend.recommend(catalogue, snapshot) if r.status in USEFUL_NOW][:limit]
    wording = learner_wording()
    return [
        Recommendation(
            resources[int(r.resource.key)],
            competencies[r.competency],
            recommend.explanation(
                r.resource, snapshot, r.competency, r.status, r.missing, r.matched_topics, r.reasons, wording
            ),
            r.score,
        )
        for r in ranked
    ]


# --- goals ---------------------------------------------------------------------------------------


def _goal_competencies() -> Prefetch[Any]:
    """A goal's competencies with how many items each has, as :func:`goals_progress` reads them."""
    return Prefetch(
        "competencies", queryset=Competency.objects.annotate(item_count=Count("items")).order_by("pk")
    )


def goals_of(learner: User, school: School) -> QuerySet[Goal]:
    return Goal.objects.filter(school=school, learner=learner).prefetch_related(_goal_competencies(), "steps")


def goal_for(user: User, goal_id: int) -> Goal | None:
    return (
        permissions.goals_visible_to(user)
        .select_related("learner", "school")
        .prefetch_related(_goal_competencies(), "steps", "reflections", "comments__author")
        .filter(pk=goal_id)
        .first()
    )


@dataclass
class GoalCompetencyRow:
    competency: Competency
    mastery: Mastery
    practisable: bool = False

    @property
    def mastered_at(self) -> datetime.datetime | None:
        return self.mastery.mastered_at

    @property
    def percent(self) -> int | None:
        return self.mastery.percent


@dataclass
class GoalProgress:
    competencies: list[GoalCompetencyRow]
    mastered: int
    mean_estimate: float | None
    answers_since: int
    correct_since: int
    steps_done: int
    steps_total: int

    @property
    def is_competency_goal(self) -> bool:
        return bool(self.competencies)

    @property
    def mastered_percent(self) -> int:
        return round(100 * self.mastered / len(self.competencies)) if self.competencies else 0

    @property
    def mean_percent(self) -> int | None:
        return None if self.mean_estimate is None else shown_percent(self.mean_estimate)

    @property
    def steps_percent(self) -> int:
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 0


def goal_progress(goal: Goal) -> GoalProgress:
    """The progress of one goal (see :func:`goals_progress`)."""
    return goals_progress([goal])[0][1]


def _answers_since(*, correct: bool) -> Coalesce:
    """How many practice answers the goal's learner gave on its competencies since it was set."""
    linked = Goal.competencies.through.objects.filter(goal_id=OuterRef(OuterRef("pk"))).values(
        "competency_id"
    )
    answers = Answer.objects.filter(
        school_id=OuterRef("school_id"),
        learner_id=OuterRef("learner_id"),
        competency_id__in=linked,
        created_at__gte=OuterRef("created_at"),
    )
    if correct:
        answers = answers.filter(correct=True)
    counted = answers.order_by().values("learner_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _competencies_counted(goal: Goal) -> bool:
    cached = getattr(goal, "_prefetched_objects_cache", {}).get("competencies")
    return cached is not None and all(hasattr(c, "item_count") for c in cached)


def goals_progress(goals: Iterable[Goal]) -> list[tuple[Goal, GoalProgress]]:
    """Progress from evidence: for linked competencies, the share mastered (the engine's mastery rule),
    the mean estimate and the practice answers since the goal was set; for every goal, the steps done.

    A fixed number of queries for any number of goals (the query budget of the goal lists): read the goals
    from :func:`goals_of` or :func:`goal_for`, which prefetch their competencies and steps."""
    goals = list(goals)
    unread = [g for g in goals if not _competencies_counted(g)]
    for goal in unread:  # a goal read elsewhere (a service's return): read its competencies as we need
        getattr(goal, "_prefetched_objects_cache", {}).pop("competencies", None)
    prefetch_related_objects(unread, _goal_competencies())
    competencies = {goal.pk: list(goal.competencies.all()) for goal in goals}
    found: dict[tuple[int, int], dict[int, Mastery]] = {}
    for school_id, learner_id in {(g.school_id, g.learner_id) for g in goals if competencies[g.pk]}:
        ids = {
            c.pk
            for g in goals
            if (g.school_id, g.learner_id) == (school_id, learner_id)
            for c in competencies[g.pk]
        }
        found[school_id, learner_id] = learner_masteries(
            school_id=school_id, learner_id=learner_id, competency_ids=sorted(ids)
        )
    with_competencies = [g.pk for g in goals if competencies[g.pk]]
    counts = (
        {
            pk: (answered, correct)
            for pk, answered, correct in Goal.objects.filter(pk__in=with_competencies)
            .annotate(answered=_answers_since(correct=False), correct=_answers_since(correct=True))
            .values_list("pk", "answered", "correct")
        }
        if with_competencies
        else {}
    )
    result = []
    for goal in goals:
        masteries = found.get((goal.school_id, goal.learner_id), {})
        rows = [
            GoalCompetencyRow(
                c,
                mastery_or_start(masteries, learner_id=goal.learner_id, competency_id=c.pk),
                practisable=c.item_count > 0,  # type: ignore[attr-defined]  # annotated by _goal_competencies
            )
            for c in competencies[goal.pk]
        ]
        estimates = [r.mastery.level for r in rows if r.mastery.level is not None and r.mastery.started]
        answered, correct = counts.get(goal.pk, (0, 0))
        steps = list(goal.steps.all())
        progress = GoalProgress(
            competencies=rows,
            mastered=sum(1 for r in rows if r.mastered_at is not None),
            mean_estimate=sum(estimates) / len(estimates) if estimates else None,
            answers_since=answered,
            correct_since=correct,
            steps_done=sum(1 for s in steps if s.done_at is not None),
            steps_total=len(steps),
        )
        result.append((goal, progress))
    return result


PROMPTS = [
    gettext_lazy("What helped you most?"),
    gettext_lazy("What will you try next time?"),
    gettext_lazy("What was hard, and how did you get past it?"),
    gettext_lazy("What are you proud of?"),
]


@dataclass
class Milestone:
    key: str
    label: str


def open_milestones(
    goal: Goal, goal_progress: GoalProgress, *, today: datetime.date | None = None
) -> list[Milestone]:
    """Milestones reached that the learner has not reflected on yet, oldest first: a step done, a linked
    competency mastered, the target date passed, the goal reached."""
    reached: list[Milestone] = []
    for step in goal.steps.all():
        if step.done_at is not None:
            reached.append(Milestone(f"step:{step.pk}", _("You finished the step “%s”.") % step.title))
    for row in goal_progress.competencies:
        if row.mastered_at is not None:
            reached.append(
                Milestone(f"mastered:{row.competency.pk}", _("You mastered %s.") % row.competency.name)
            )
    today = today or timezone.localdate()
    if goal.target_date is not None and goal.target_date < today and goal.status == Goal.Status.ACTIVE:
        reached.append(Milestone("target-date", _("The target date of this goal has passed.")))
    if goal.status == Goal.Status.REACHED:
        reached.append(Milestone("reached", _("You reached this goal.")))
    done = {r.milestone for r in goal.reflections.all()}
    return [m for m in reached if m.key not in done]


# --- calibration ---------------------------------------------------------------------------------


@dataclass
class CalibrationRow:
    competency: Competency
    confidence: int
    rated_at: datetime.datetime
    estimate: float | None
    mastered: bool
    message: str
    agrees: bool | None = field(default=None)


CONFIDENCE_LABELS = {
    1: gettext_lazy("Not yet: I need help"),
    2: gettext_lazy("A little unsure"),
    3: gettext_lazy("Fairly confident"),
    4: gettext_lazy("Confident: I could explain it to a friend"),
}


# From this estimate on, feeling unsure is under-confidence worth telling the learner about.
CLOSE_TO_MASTERY = 0.7


def calibration_message(
    name: str, confidence: int, estimate: float | None, mastered: bool
) -> tuple[str, bool | None]:
    """The learner's confidence compared with the evidence, in plain words; and whether they agree."""
    confident = confidence >= 3
    feel = _("You feel confident about %s") % name if confident else _("You feel unsure about %s") % name
    if estimate is None and not mastered:
        return _(
            "%s; you have not answered questions on it yet, so there is no evidence to compare."
        ) % feel, None
    percent = shown_percent(estimate or 0.0)
    if mastered and confident:
        return _("%s, and your answers agree: you have mastered it.") % feel, True
    if mastered:
        return _("%s, but your answers show you have mastered it.") % feel, False
    if confident:
        return _("%(feel)s; the evidence says not yet: %(p)d%%.") % {"feel": feel, "p": percent}, False
    if (estimate or 0) >= CLOSE_TO_MASTERY:
        return _("%(feel)s, but your answers show you know more than you think: %(p)d%%.") % {
            "feel": feel,
            "p": percent,
        }, False
    return _("%(feel)s, and the evidence agrees: not yet (%(p)d%%). Practice will help.") % {
        "feel": feel,
        "p": percent,
    }, True


def calibration_for(learner: User, school: School) -> list[CalibrationRow]:
    """The latest confidence per competency the learner rated, compared with the engine's estimate."""
    latest: dict[int, ConfidenceRating] = {}
    for rating in ConfidenceRating.objects.filter(school=school, learner=learner).select_related(
        "competency"
    ):
        latest.setdefault(rating.competency_id, rating)  # newest first
    found = learner_masteries(school_id=school.pk, learner_id=learner.pk, competency_ids=list(latest))
    rows = []
    for competency_id, rating in latest.items():
        mastery = mastery_or_start(found, learner_id=learner.pk, competency_id=competency_id)
        estimate = mastery.level if mastery.started else None
        mastered = mastery.mastered
        message, agrees = calibration_message(rating.competency.name, rating.confidence, estimate, mastered)
        rows.append(
            CalibrationRow(
                rating.competency, rating.confidence, rating.created_at, estimate, mastered, message, agrees
            )
        )
    return sorted(rows, key=lambda r: r.competency.name)
