"""Peer help: which peers to suggest to a learner stuck on a competency, each with an explanation.

Pure and deterministic: no Django, no I/O. The caller passes the candidates (peers of the same school who
mastered the competency and opted in to helping) and the asking learner's interests; :func:`suggest_peers`
keeps those who share an interest, ranks them and says why in one sentence.

Ranking, best first:

1. more shared interests;
2. fewer open help requests already (so help is spread, nobody is swamped);
3. a higher mastery estimate (a steadier helper);
4. name, then id (a stable tie-break).

Examples
--------
>>> sam = PeerCandidate(peer_id=7, name="Sam", interests=("Football", "chess"), estimate=0.93)
>>> ana = PeerCandidate(peer_id=3, name="Ana", interests=("music",), estimate=0.97)
>>> [s.explanation for s in suggest_peers("Fractions", ["football"], [sam, ana])]
['Sam mastered Fractions and also likes football.']
>>> suggest_peers("Fractions", [], [sam, ana])
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

DEFAULT_LIMIT = 5


@dataclass(frozen=True)
class PeerCandidate:
    """A peer who mastered the competency and agreed to help.

    ``interests`` as the peer wrote them; ``open_requests`` counts the help requests they are answering
    now; ``estimate`` is the learner model's mastery estimate (None when unknown).
    """

    peer_id: int
    name: str
    interests: tuple[str, ...] = field(default_factory=tuple)
    estimate: float | None = None
    open_requests: int = 0


@dataclass(frozen=True)
class PeerSuggestion:
    peer_id: int
    name: str
    shared_interests: tuple[str, ...]
    explanation: str


def _key(topic: str) -> str:
    return " ".join(topic.split()).casefold()


def shared_interests(mine: Iterable[str], theirs: Iterable[str]) -> tuple[str, ...]:
    """The interests both have, compared without case or extra spaces, in the asking learner's words
    and order.

    >>> shared_interests(["Football", " music ", "football"], ["MUSIC", "football"])
    ('Football', 'music')
    """
    their_keys = {_key(topic) for topic in theirs if topic.strip()}
    seen: set[str] = set()
    shared: list[str] = []
    for topic in mine:
        key = _key(topic)
        if key and key in their_keys and key not in seen:
            seen.add(key)
            shared.append(" ".join(topic.split()))
    return tuple(shared)


@dataclass(frozen=True)
class PeerWording:
    """The sentences of a suggestion, with ``%(name)s`` placeholders: English by default; a caller that
    speaks the learner's language passes translated ones."""

    mastered: str = "%(name)s mastered %(competency)s."
    mastered_and_likes: str = "%(name)s mastered %(competency)s and also likes %(interests)s."
    last_and: str = "%(rest)s and %(last)s"


ENGLISH = PeerWording()


def _listed(words: Sequence[str], wording: PeerWording = ENGLISH) -> str:
    """
    >>> _listed(["football"]), _listed(["football", "music"]), _listed(["a", "b", "c"])
    ('football', 'football and music', 'a, b and c')
    """
    if len(words) == 1:
        return words[0]
    return wording.last_and % {"rest": ", ".join(words[:-1]), "last": words[-1]}


def explain(name: str, competency: str, shared: Sequence[str], wording: PeerWording = ENGLISH) -> str:
    """One sentence saying why this peer is suggested.

    >>> explain("Sam", "Fractions", ["football", "music"])
    'Sam mastered Fractions and also likes football and music.'
    >>> spanish = PeerWording(mastered_and_likes="%(name)s domina %(competency)s y le gusta %(interests)s.")
    >>> explain("Sam", "Fracciones", ["fútbol"], spanish)
    'Sam domina Fracciones y le gusta fútbol.'
    """
    if not shared:
        return wording.mastered % {"name": name, "competency": competency}
    return wording.mastered_and_likes % {
        "name": name,
        "competency": competency,
        "interests": _listed(shared, wording),
    }


def suggest_peers(
    competency: str,
    learner_interests: Sequence[str],
    candidates: Iterable[PeerCandidate],
    *,
    limit: int = DEFAULT_LIMIT,
    require_shared_interest: bool = True,
    wording: PeerWording = ENGLISH,
) -> list[PeerSuggestion]:
    """Rank ``candidates`` for a learner stuck on ``competency`` (its name, for the explanation).

    Parameters
    ----------
    competency
        The competency's name, as the learner sees it.
    learner_interests
        The asking learner's interests.
    candidates
        Peers who mastered the competency and opted in to helping (the caller filters on both).
    limit
        At most this many suggestions.
    require_shared_interest
        Keep only peers who share at least one interest (the default, as peer help is meant to connect
        learners through what they like).
    wording
        The explanation's sentences, in the learner's language (English by default).

    Returns
    -------
    list of PeerSuggestion
        Best first, each with its explanation.

    Examples
    --------
    >>> peers = [
    ...     PeerCandidate(1, "Ana", ("football",), estimate=0.9, open_requests=2),
    ...     PeerCandidate(2, "Ben", ("football",), estimate=0.8),
    ...     PeerCandidate(3, "Cy", ("football", "music"), estimate=0.7),
    ... ]
    >>> [s.name for s in suggest_peers("Ratios", ["music", "football"], peers)]
    ['Cy', 'Ben', 'Ana']
    >>> [s.name for s in suggest_peers("Ratios", ["music", "football"], peers, limit=1)]
    ['Cy']
    """
    if limit < 1:
        return []
    ranked: list[tuple[tuple[int, int, float, str, int], PeerSuggestion]] = []
    for candidate in candidates:
        shared = shared_interests(learner_interests, candidate.interests)
        if require_shared_interest and not shared:
            continue
        suggestion = PeerSuggestion(
            peer_id=candidate.peer_id,
            name=candidate.name,
            shared_interests=shared,
            explanation=explain(candidate.name, competency, shared, wording),
        )
        estimate = candidate.estimate if candidate.estimate is not None else 0.0
        key = (-len(shared), candidate.open_requests, -estimate, candidate.name.casefold(), candidate.peer_id)
        ranked.append((key, suggestion))
    ranked.sort(key=lambda pair: pair[0])
    return [suggestion for _, suggestion in ranked[:limit]]
