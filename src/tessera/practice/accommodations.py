"""The accommodations a learner's support plan sets, as practice applies them.

Which plan is in force, which supports it sets and who may see it are individualization's rules, in a
layer above practice: individualization registers its reader here when Django starts
(``IndividualizationConfig.ready``), so practice asks without importing it, and the assessment app,
beside individualization, asks the same way. Each session stores what was applied
(``PracticeSession.accommodations``): the proof a plan was followed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Applied:
    """One support as a session applies it: ``kind`` (read_aloud, extended_time, …), its ``value`` ("1.5",
    "3" options, …) and its ``label`` in the learner's language."""

    kind: str
    value: str = ""
    label: str = ""


Reader = Callable[[int, int, datetime.date], Sequence[Applied]]
_readers: list[Reader] = []


def reader_register(reader: Reader) -> None:
    """Add a source of accommodations (once per reader)."""
    if reader not in _readers:
        _readers.append(reader)


def applied_for(school_id: int, learner_id: int, on: datetime.date) -> list[dict[str, str]]:
    """Every support in force for the learner in the school on ``on``, as stored on a session."""
    return [asdict(applied) for reader in _readers for applied in reader(school_id, learner_id, on)]
