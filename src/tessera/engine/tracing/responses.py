"""Turning a log of answers into per-learner sequences, checking it on the way."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from tessera.engine.tracing.interface import Response
from tessera.engine.tracing.validation import checked_correctness


def group_by_learner(responses: Iterable[Response]) -> dict[str, list[tuple[str, int]]]:
    """Split answers (in time order) into one ``(competency, correct)`` list per learner.

    Raises ``ValueError`` if a correctness is not binary.

    >>> group_by_learner([Response("ana", "add", 1), Response("ben", "add", 0), Response("ana", "sub", 0)])
    {'ana': [('add', 1), ('sub', 0)], 'ben': [('add', 0)]}
    """
    sequences: dict[str, list[tuple[str, int]]] = {}
    for learner, competency, correct in responses:
        sequences.setdefault(str(learner), []).append((str(competency), checked_correctness(correct)))
    return sequences


def known_competencies(
    sequences: Mapping[str, list[tuple[str, int]]],
    declared: Iterable[str],
    prerequisites: Mapping[str, Sequence[str]] | None,
) -> list[str]:
    """Every competency with answers, declared, or named in the prerequisite graph, sorted."""
    names = {competency for sequence in sequences.values() for competency, _ in sequence}
    names.update(str(name) for name in declared)
    for competency, requirements in (prerequisites or {}).items():
        names.add(str(competency))
        names.update(str(name) for name in requirements)
    return sorted(names)
