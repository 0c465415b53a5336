"""Whether items have been answered: the rule lives in practice, a layer above curriculum.

Curriculum may not import practice, so practice registers its reader here when Django starts
(``PracticeConfig.ready``), as individualization registers its accommodations with practice
(:mod:`tessera.practice.accommodations`). :func:`tessera.curriculum.items.services.item_edit` asks it: an
item with answers is never changed in place, it gets a new version.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

AnsweredReader = Callable[[Collection[int]], set[int]]
_readers: list[AnsweredReader] = []


def answered_reader_register(reader: AnsweredReader) -> None:
    """Add a source of answers: ``reader(item_ids)`` returns the ids among them that have answers."""
    if reader not in _readers:
        _readers.append(reader)


def answered_item_ids(item_ids: Collection[int]) -> set[int]:
    """The items among ``item_ids`` that someone has answered (in any registered source)."""
    ids = set(item_ids)
    if not ids:
        return set()
    found: set[int] = set()
    for reader in _readers:
        found |= reader(ids) & ids
    return found
