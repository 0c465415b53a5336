"""The prerequisite graph of a framework: pure functions over ``{competency: [prerequisites]}``.

The mapping has the shape the engine's ``fit(..., prerequisites=...)`` takes. Nothing here touches the
database, so the import validator and the services share one definition of a cycle.

>>> find_cycle({"b": ["a"], "a": ["b"]})
['b', 'a', 'b']
>>> topological_order({"fractions": ["division"], "percents": ["fractions"], "division": []})
['division', 'fractions', 'percents']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


def _nodes(prerequisites: Mapping[str, Sequence[str]]) -> list[str]:
    seen: dict[str, None] = {}
    for node, before in prerequisites.items():
        seen.setdefault(node)
        for prerequisite in before:
            seen.setdefault(prerequisite)
    return list(seen)


def find_cycle(prerequisites: Mapping[str, Sequence[str]]) -> list[str] | None:
    """A cycle as the competencies in learning order (each is a prerequisite of the next), the first
    repeated at the end: ``[a, b, a]`` means a comes before b, which comes before a. None without one.

    Iterative depth-first search, so a long chain cannot exhaust Python's recursion limit.
    """
    done: set[str] = set()
    for start in _nodes(prerequisites):
        if start in done:
            continue
        path = [start]
        on_path = {start}
        stack = [iter(prerequisites.get(start, ()))]
        while stack:
            before = next(stack[-1], None)
            if before is None:
                stack.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
            elif before in on_path:
                # path runs from a competency down to its prerequisites; learning order is the reverse.
                return list(reversed([*path[path.index(before) :], before]))
            elif before not in done:
                path.append(before)
                on_path.add(before)
                stack.append(iter(prerequisites.get(before, ())))
    return None


def topological_order(prerequisites: Mapping[str, Sequence[str]]) -> list[str]:
    """Every competency after all of its prerequisites; ties keep the order they were given in.

    Raises ValueError naming a cycle when there is one.
    """
    cycle = find_cycle(prerequisites)
    if cycle is not None:
        raise ValueError("prerequisites form a cycle: " + " → ".join(cycle))
    order: list[str] = []
    placed: set[str] = set()
    pending = _nodes(prerequisites)
    while pending:
        waiting = []
        for node in pending:
            if all(before in placed for before in prerequisites.get(node, ())):
                order.append(node)
                placed.add(node)
            else:
                waiting.append(node)
        pending = waiting
    return order


def unlocked(prerequisites: Mapping[str, Sequence[str]], mastered: Iterable[str]) -> list[str]:
    """Competencies not yet mastered whose prerequisites are all mastered: what a learner may start
    next, in topological order."""
    have = set(mastered)
    return [
        node
        for node in topological_order(prerequisites)
        if node not in have and all(before in have for before in prerequisites.get(node, ()))
    ]


def would_close_cycle(
    prerequisites: Mapping[str, Sequence[str]], *, competency: str, prerequisite: str
) -> list[str] | None:
    """The cycle that adding "``prerequisite`` comes before ``competency``" would create, or None."""
    extended = {node: list(before) for node, before in prerequisites.items()}
    extended.setdefault(competency, []).append(prerequisite)
    cycle = find_cycle(extended)
    if cycle is None:
        return None
    ring = cycle[:-1]
    if prerequisite in ring:  # start at the new edge, so the message reads from what was added
        start = ring.index(prerequisite)
        ring = ring[start:] + ring[:start]
    return [*ring, ring[0]]
