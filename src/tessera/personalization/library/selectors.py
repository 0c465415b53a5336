"""Reads of the learner's library: search over the resources of their school's frameworks, what they
saved, and the recommendations of :mod:`tessera.engine.recommend`, each with its explanation in the
learner's words."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from tessera.curriculum.models import Competency, Resource
from tessera.engine import recommend
from tessera.personalization.library.models import SavedResource
from tessera.personalization.library.wording import learner_wording
from tessera.personalization.profile.models import LearnerProfile, LearningPreference
from tessera.personalization.profile.selectors import profile_of
from tessera.personalization.selectors import school_frameworks
from tessera.practice import progress
from tessera.schools.models import School, User


def library_competencies(learner: User, school: School) -> QuerySet[Competency]:
    """Competencies that have resources, for the library's filter."""
    return (
        Competency.objects.filter(framework__in=school_frameworks(learner, school), resources__isnull=False)
        .distinct()
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
