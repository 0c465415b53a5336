"""Rank learning resources for one learner, each with a plain explanation in the learner's words.

A resource (a reading, a video link, an interactive, a worksheet) teaches one or more competencies. For one
learner it is scored as

    score = expected learning gain * expected engagement

- **Readiness** of each competency the resource teaches comes from the learner's mastered set and the
  prerequisite graph: *mastered*; *locked* when a prerequisite is not mastered; otherwise *in progress*
  (the learner has an estimate for it) or *ready* (not practised yet). The same words as the practice
  pages, except that a competency with a missing prerequisite is locked even if it was practised.
- **Expected learning gain** of a competency is ``readiness weight * (1 - estimate)``: the learner's
  distance to mastery (the estimate is the learner model's 0-1 mastery estimate, e.g. the chance of
  answering the next item correctly), times the share of that distance a learner in that state can expect
  to close with one resource (:data:`READINESS_WEIGHTS`). This is the knowledge-tracing assumption that
  one learning opportunity turns a fixed share of the not-yet-known into known, with that share cut when
  the foundations are missing. A resource's gain is the mean over its competencies (tagging more
  competencies does not make a resource look better).
- **Expected engagement** (0-1) says how likely the learner is to really work with it: a base plus bonuses
  for a topic the learner is interested in, a kind they prefer, and a reading level near theirs
  (:data:`BASE_ENGAGEMENT`, :data:`INTEREST_WEIGHT`, :data:`KIND_WEIGHT`, :data:`LEVEL_WEIGHT`).

The product makes readiness dominate (a locked or mastered competency scores a fraction of a ready one)
while interests and preferences reorder resources of similar readiness. Ties keep the catalogue's order.
Everything is deterministic, and pure: the Django side builds :class:`ResourceInfo` and
:class:`LearnerSnapshot` from its models.

Examples
--------
>>> learner = LearnerSnapshot(
...     estimates={"fractions": 0.95, "ratios": 0.40},
...     mastered=frozenset({"fractions"}),
...     prerequisites={"ratios": ("fractions",), "percent": ("ratios",)},
...     names={"fractions": "Fractions", "ratios": "Ratios", "percent": "Percentages"},
...     interests=frozenset({"football"}),
...     preferred_kinds=frozenset({"video"}),
... )
>>> catalogue = [
...     ResourceInfo("r1", "Percent of a crowd", ("percent",), "video", topics=("football",)),
...     ResourceInfo("r2", "Ratios on the pitch", ("ratios",), "video", topics=("football",)),
...     ResourceInfo("r3", "Ratio worksheet", ("ratios",), "worksheet"),
... ]
>>> [r.resource.key for r in recommend(catalogue, learner)]
['r2', 'r3', 'r1']
>>> import textwrap
>>> print(textwrap.fill(recommend(catalogue, learner, limit=1)[0].explanation, 100))
You are ready for Ratios (you mastered Fractions, which it builds on) and have started it, and this
one is about football, which you like. It is a video, which you like to learn from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

READY, IN_PROGRESS, LOCKED, MASTERED = "ready", "in_progress", "locked", "mastered"

READINESS_WEIGHTS: Mapping[str, float] = {READY: 1.0, IN_PROGRESS: 1.0, LOCKED: 0.2, MASTERED: 0.05}
"""Share of the distance to mastery one resource can be expected to close, by the competency's state.

Ready and in-progress competencies get the full share. Learning without the foundations is much slower
(knowledge-tracing models with prerequisites, and this engine's simulator, put it at a fraction of the
normal rate), so a locked competency gets 0.2: it ranks below a ready one unless the ready one is nearly
mastered and the locked one matches everything the learner likes. A mastered competency gets 0.05: a
refresher is worth a little (mastery fades), never more than a next step.
"""

BASE_ENGAGEMENT = 0.4
"""Engagement of a resource that matches nothing the learner told us: most learners still do the work."""

INTEREST_WEIGHT = 0.3
"""Added when the resource is about one of the learner's interests: the largest bonus, because interest
is what most raises the effort learners put in (the reason personalization connects to interests)."""

KIND_WEIGHT = 0.2
"""Added when the resource's kind (or media type) is one the learner prefers (video, reading, ...)."""

LEVEL_WEIGHT = 0.1
"""Added in full for a reading level within :data:`LEVEL_TOLERANCE` grades of the learner's, fading to
nothing :data:`LEVEL_FALLOFF` grades further; half of it when either level is unknown. Small, because a
text a grade or two off is still usable."""

LEVEL_TOLERANCE = 1
"""Grades either side of the learner's reading level that count as "at your level"."""

LEVEL_FALLOFF = 3
"""Grades beyond the tolerance over which the reading-level bonus fades to zero."""

UNPRACTISED_ESTIMATE = 0.5
"""Estimate assumed for a competency the learner has not practised (no evidence either way)."""

KIND_NOUNS: Mapping[str, str] = {
    "reading": "a reading",
    "video": "a video",
    "interactive": "a hands-on, interactive activity",
    "worksheet": "a worksheet",
}
"""How each resource kind is named in an explanation."""


@dataclass(frozen=True)
class Wording:
    """The sentences of an explanation, with ``%(name)s`` placeholders: English by default. A caller that
    speaks the learner's language passes translated ones (the engine knows no language machinery).

    Examples
    --------
    >>> Wording().ready % {"name": "Fractions"}
    'You are ready to start Fractions'
    """

    unlinked: str = "This one is not linked to a competency yet"
    mastered: str = "You have already mastered %(name)s, so this one would be a refresher"
    locked: str = (
        "%(name)s builds on %(needed)s, which you have not mastered yet, so this one may be hard for now"
    )
    ready_built_on: str = "You are ready for %(name)s (you mastered %(built_on)s, which it builds on)"
    started_built_on: str = (
        "You are ready for %(name)s (you mastered %(built_on)s, which it builds on) and have started it"
    )
    started: str = "You have started %(name)s and this one can take you further"
    ready: str = "You are ready to start %(name)s"
    with_topics: str = "%(reason)s, and this one is about %(topics)s, which you like"
    topics: str = "It is about %(topics)s, which you like"
    kind: str = "It is %(noun)s, which you like to learn from."
    level: str = "It is written at your reading level."
    level_hard: str = "The reading may be hard for now."
    level_easy: str = "The reading may feel easy."
    other_kind: str = "a %(kind)s"
    kind_nouns: Mapping[str, str] = field(default_factory=lambda: dict(KIND_NOUNS))
    last_and: str = "%(rest)s and %(last)s"


ENGLISH = Wording()


@dataclass(frozen=True)
class ResourceInfo:
    """One learning resource as the recommender sees it.

    Parameters
    ----------
    key : str
        A unique id (e.g. the resource's primary key or code), returned with its recommendation.
    title : str
        The title shown to the learner.
    competencies : tuple of str
        The competencies it teaches (codes, as in :class:`LearnerSnapshot`).
    kind : str
        ``"reading"``, ``"video"``, ``"interactive"`` or ``"worksheet"`` (other kinds are allowed).
    media_type : str
        Optional media type, e.g. ``"video/mp4"``; its main type also counts as a kind for preferences.
    reading_level : int or None
        A grade (0-13), or None when unknown.
    topics : tuple of str
        Interest topics it is about (e.g. ``("football",)``); compared case-insensitively.

    Examples
    --------
    >>> ResourceInfo("r1", "Ratios on the pitch", ("ratios",), "video", topics=("football",)).kinds()
    frozenset({'video'})
    """

    key: str
    title: str
    competencies: tuple[str, ...]
    kind: str
    media_type: str = ""
    reading_level: int | None = None
    topics: tuple[str, ...] = ()

    def kinds(self) -> frozenset[str]:
        """The kind and the media type's main type (``"video/mp4"`` gives ``"video"``), lower case."""
        names = {self.kind.strip().casefold()}
        if self.media_type:
            names.add(self.media_type.split("/", 1)[0].strip().casefold())
        return frozenset(name for name in names if name)


@dataclass(frozen=True)
class LearnerSnapshot:
    """What the recommender knows about one learner: evidence from practice and their own profile.

    Parameters
    ----------
    estimates : mapping of str to float
        The learner model's mastery estimate (0-1) per practised competency; missing means not practised.
    mastered : frozenset of str
        Competencies the mastery rule says the learner has mastered.
    prerequisites : mapping of str to sequence of str
        ``{competency: [its prerequisites]}``, the framework's prerequisite graph.
    names : mapping of str to str
        Competency names for explanations (the code is used when a name is missing).
    interests : frozenset of str
        Topics the learner likes (from their profile), compared case-insensitively.
    preferred_kinds : frozenset of str
        Kinds of resources the learner prefers (``"video"``, ``"reading"``, ``"interactive"``, ...).
    reading_level : int or None
        The learner's reading level as a grade, or None when unknown.

    Examples
    --------
    >>> LearnerSnapshot(estimates={"ratios": 1.5})
    Traceback (most recent call last):
    ...
    ValueError: estimate for 'ratios' must be in [0, 1], got 1.5
    """

    estimates: Mapping[str, float] = field(default_factory=dict)
    mastered: frozenset[str] = frozenset()
    prerequisites: Mapping[str, Sequence[str]] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    interests: frozenset[str] = frozenset()
    preferred_kinds: frozenset[str] = frozenset()
    reading_level: int | None = None

    def __post_init__(self) -> None:
        for competency, estimate in self.estimates.items():
            if not 0.0 <= estimate <= 1.0:
                raise ValueError(f"estimate for {competency!r} must be in [0, 1], got {estimate}")

    def name(self, competency: str) -> str:
        """The competency's name for an explanation."""
        return self.names.get(competency, competency)


@dataclass(frozen=True)
class Recommendation:
    """One ranked resource: its score, the parts behind it, and the explanation shown to the learner.

    ``competency`` is the resource's competency with the largest expected gain (the one the explanation
    talks about), ``status`` its readiness state, ``missing`` its prerequisites not mastered yet,
    ``matched_topics`` the resource topics the learner likes, and ``reasons`` short codes of what drove the
    score (``"ready"``, ``"interest"``, ``"kind"``, ``"level"``, ...), for templates and tests.
    """

    resource: ResourceInfo
    score: float
    expected_gain: float
    engagement: float
    competency: str
    status: str
    missing: tuple[str, ...]
    matched_topics: tuple[str, ...]
    reasons: tuple[str, ...]
    explanation: str


def competency_status(competency: str, learner: LearnerSnapshot) -> str:
    """``"mastered"``, ``"locked"`` (a prerequisite not mastered), ``"in_progress"`` or ``"ready"``.

    Examples
    --------
    >>> learner = LearnerSnapshot({"a": 0.9, "b": 0.3}, frozenset({"a"}), {"b": ["a"], "c": ["b"]})
    >>> [competency_status(name, learner) for name in ("a", "b", "c", "d")]
    ['mastered', 'in_progress', 'locked', 'ready']
    """
    if competency in learner.mastered:
        return MASTERED
    if missing_prerequisites(competency, learner):
        return LOCKED
    return IN_PROGRESS if competency in learner.estimates else READY


def missing_prerequisites(competency: str, learner: LearnerSnapshot) -> tuple[str, ...]:
    """The competency's direct prerequisites the learner has not mastered, in the graph's order.

    Examples
    --------
    >>> learner = LearnerSnapshot(mastered=frozenset({"a"}), prerequisites={"c": ["a", "b"]})
    >>> missing_prerequisites("c", learner)
    ('b',)
    """
    return tuple(p for p in learner.prerequisites.get(competency, ()) if p not in learner.mastered)


def competency_gain(competency: str, learner: LearnerSnapshot) -> float:
    """Expected rise of the learner's mastery of ``competency`` from one resource on it.

    ``READINESS_WEIGHTS[status] * (1 - estimate)``, with :data:`UNPRACTISED_ESTIMATE` when not practised.

    Examples
    --------
    >>> learner = LearnerSnapshot({"a": 0.9, "b": 0.3}, frozenset({"a"}), {"b": ["a"], "c": ["b"]})
    >>> [round(competency_gain(name, learner), 3) for name in ("a", "b", "c")]
    [0.005, 0.7, 0.1]
    """
    estimate = learner.estimates.get(competency, UNPRACTISED_ESTIMATE)
    return READINESS_WEIGHTS[competency_status(competency, learner)] * (1.0 - estimate)


def expected_gain(resource: ResourceInfo, learner: LearnerSnapshot) -> float:
    """Mean :func:`competency_gain` over the resource's competencies (0 when it names none).

    Examples
    --------
    >>> learner = LearnerSnapshot({"a": 0.2})
    >>> expected_gain(ResourceInfo("r", "A", ("a", "b"), "reading"), learner)
    0.65
    """
    if not resource.competencies:
        return 0.0
    gains = [competency_gain(competency, learner) for competency in resource.competencies]
    return sum(gains) / len(gains)


def matched_topics(resource: ResourceInfo, learner: LearnerSnapshot) -> tuple[str, ...]:
    """The resource's topics the learner is interested in (case-insensitive), in the resource's order.

    Examples
    --------
    >>> learner = LearnerSnapshot(interests=frozenset({"Football", "music"}))
    >>> matched_topics(ResourceInfo("r", "T", ("a",), "video", topics=("space", "football")), learner)
    ('football',)
    """
    liked = {interest.strip().casefold() for interest in learner.interests}
    return tuple(topic for topic in resource.topics if topic.strip().casefold() in liked)


def kind_matches(resource: ResourceInfo, learner: LearnerSnapshot) -> bool:
    """Whether the resource's kind or media type is one the learner prefers.

    Examples
    --------
    >>> kind_matches(ResourceInfo("r", "T", (), "link", media_type="video/mp4"),
    ...              LearnerSnapshot(preferred_kinds=frozenset({"Video"})))
    True
    """
    preferred = {kind.strip().casefold() for kind in learner.preferred_kinds}
    return bool(resource.kinds() & preferred)


def level_fit(resource: ResourceInfo, learner: LearnerSnapshot) -> float:
    """1 within :data:`LEVEL_TOLERANCE` grades of the learner's reading level, fading to 0; 0.5 if unknown.

    Examples
    --------
    >>> learner = LearnerSnapshot(reading_level=6)
    >>> [level_fit(ResourceInfo("r", "T", (), "reading", reading_level=g), learner) for g in (7, 9, 12)]
    [1.0, 0.333..., 0.0]
    """
    if resource.reading_level is None or learner.reading_level is None:
        return 0.5
    beyond = abs(resource.reading_level - learner.reading_level) - LEVEL_TOLERANCE
    return min(1.0, max(0.0, 1.0 - beyond / LEVEL_FALLOFF))


def engagement(resource: ResourceInfo, learner: LearnerSnapshot) -> float:
    """Expected engagement in [0.4, 1]: the base plus interest, kind and reading-level bonuses.

    Examples
    --------
    >>> learner = LearnerSnapshot(interests=frozenset({"music"}), preferred_kinds=frozenset({"video"}))
    >>> round(engagement(ResourceInfo("r", "T", (), "video", topics=("music",)), learner), 2)
    0.95
    >>> round(engagement(ResourceInfo("r", "T", (), "worksheet"), learner), 2)
    0.45
    """
    return (
        BASE_ENGAGEMENT
        + INTEREST_WEIGHT * bool(matched_topics(resource, learner))
        + KIND_WEIGHT * kind_matches(resource, learner)
        + LEVEL_WEIGHT * level_fit(resource, learner)
    )


def recommend(
    resources: Iterable[ResourceInfo], learner: LearnerSnapshot, limit: int | None = None
) -> list[Recommendation]:
    """Rank ``resources`` for ``learner``, best first, each with its explanation.

    Parameters
    ----------
    resources : iterable of ResourceInfo
        The catalogue to rank; keys must be unique.
    learner : LearnerSnapshot
        The learner's estimates, mastered set, prerequisite graph and profile.
    limit : int or None
        Return at most this many (all when None).

    Returns
    -------
    list of Recommendation
        Highest score first; equal scores keep the catalogue's order.

    Examples
    --------
    >>> recommend([], LearnerSnapshot())
    []
    >>> catalogue = [ResourceInfo("a", "A", ("x",), "reading"), ResourceInfo("b", "B", ("y",), "video")]
    >>> [r.resource.key for r in recommend(catalogue, LearnerSnapshot(mastered=frozenset({"x"})))]
    ['b', 'a']
    """
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be a non-negative count or None, got {limit}")
    catalogue = list(resources)
    keys = [resource.key for resource in catalogue]
    if len(set(keys)) != len(keys):
        duplicate = next(key for key in keys if keys.count(key) > 1)
        raise ValueError(f"resource keys must be unique, {duplicate!r} appears more than once")
    ranked = sorted(
        (score_resource(resource, learner) for resource in catalogue), key=lambda r: -r.score
    )  # sorted is stable: ties keep the catalogue's order
    return ranked if limit is None else ranked[:limit]


def score_resource(resource: ResourceInfo, learner: LearnerSnapshot) -> Recommendation:
    """Score one resource for one learner and explain the score.

    Examples
    --------
    >>> learner = LearnerSnapshot(mastered=frozenset({"a"}), names={"a": "Adding", "b": "Subtracting"})
    >>> print(score_resource(ResourceInfo("r", "T", ("a",), "worksheet"), learner).explanation)
    You have already mastered Adding, so this one would be a refresher.
    """
    lead = max(resource.competencies, key=lambda c: competency_gain(c, learner), default="")
    gain = expected_gain(resource, learner)
    likes = engagement(resource, learner)
    status = competency_status(lead, learner) if lead else READY
    missing = missing_prerequisites(lead, learner) if lead else ()
    topics = matched_topics(resource, learner)
    reasons = [status]
    if topics:
        reasons.append("interest")
    if kind_matches(resource, learner):
        reasons.append("kind")
    fit = level_fit(resource, learner)
    if resource.reading_level is not None and learner.reading_level is not None:
        reasons.append("level" if fit == 1.0 else "level_far")
    return Recommendation(
        resource=resource,
        score=gain * likes,
        expected_gain=gain,
        engagement=likes,
        competency=lead,
        status=status,
        missing=missing,
        matched_topics=topics,
        reasons=tuple(reasons),
        explanation=explanation(resource, learner, lead, status, missing, topics, tuple(reasons)),
    )


def explanation(
    resource: ResourceInfo,
    learner: LearnerSnapshot,
    competency: str,
    status: str,
    missing: Sequence[str],
    topics: Sequence[str],
    reasons: Sequence[str],
    wording: Wording = ENGLISH,
) -> str:
    """The learner-facing explanation: readiness first, then interest, kind and reading level, in
    ``wording``'s language.

    Examples
    --------
    >>> import textwrap
    >>> learner = LearnerSnapshot(prerequisites={"b": ["a"]}, names={"a": "Adding", "b": "Subtracting"})
    >>> resource = ResourceInfo("r", "T", ("b",), "reading", topics=("music",))
    >>> text = explanation(resource, learner, "b", LOCKED, ["a"], ["music"], [LOCKED, "interest"])
    >>> print(textwrap.fill(text, 100))
    Subtracting builds on Adding, which you have not mastered yet, so this one may be hard for now. It
    is about music, which you like.
    """
    sentences = [readiness_phrase(learner, competency, status, missing, wording)]
    listed = join_words(list(topics), wording)
    if topics and status in (READY, IN_PROGRESS):
        sentences[0] = wording.with_topics % {"reason": sentences[0], "topics": listed}
    elif topics:
        sentences.append(wording.topics % {"topics": listed})
    sentences = [sentence + "." for sentence in sentences]
    if "kind" in reasons:
        noun = wording.kind_nouns.get(resource.kind, wording.other_kind % {"kind": resource.kind})
        sentences.append(wording.kind % {"noun": noun})
    if "level" in reasons:
        sentences.append(wording.level)
    elif "level_far" in reasons and learner.reading_level is not None and resource.reading_level is not None:
        harder = resource.reading_level > learner.reading_level
        sentences.append(wording.level_hard if harder else wording.level_easy)
    return " ".join(sentences)


def readiness_phrase(
    learner: LearnerSnapshot,
    competency: str,
    status: str,
    missing: Sequence[str],
    wording: Wording = ENGLISH,
) -> str:
    """Why this competency now, in the learner's words (no final full stop).

    Examples
    --------
    >>> learner = LearnerSnapshot(names={"f": "Fractions"})
    >>> readiness_phrase(learner, "f", READY, ())
    'You are ready to start Fractions'
    """
    if not competency:
        return wording.unlinked
    name = learner.name(competency)
    built_on = [learner.name(p) for p in learner.prerequisites.get(competency, ())]
    if status == MASTERED:
        return wording.mastered % {"name": name}
    if status == LOCKED:
        return wording.locked % {
            "name": name,
            "needed": join_words([learner.name(p) for p in missing], wording),
        }
    if built_on:
        template = wording.started_built_on if status == IN_PROGRESS else wording.ready_built_on
        return template % {"name": name, "built_on": join_words(built_on, wording)}
    if status == IN_PROGRESS:
        return wording.started % {"name": name}
    return wording.ready % {"name": name}


def join_words(words: Sequence[str], wording: Wording = ENGLISH) -> str:
    """``a``, ``a and b``, ``a, b and c``.

    Examples
    --------
    >>> join_words(["Fractions", "Decimals", "Ratios"])
    'Fractions, Decimals and Ratios'
    """
    if len(words) <= 1:
        return "".join(words)
    return wording.last_and % {"rest": ", ".join(words[:-1]), "last": words[-1]}
