"""What a server process keeps in memory per framework: the newest version of something built from it
(its item bank, its fitted learner model), for the most recently used frameworks only."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class NewestPerFramework(OrderedDict[int, tuple[Hashable, V]], Generic[V]):
    """Framework id → (the version it was built at, what was built), least recently used first.

    One version per framework: keeping a newer one drops the older. ``size`` frameworks at most (at least
    one). Safe to share between threads."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def fresh(self, framework_id: int, version: Hashable) -> V | None:
        """What was built for ``framework_id`` at ``version``, or None (never built, or at another one)."""
        with self._lock:
            cached = self.get(framework_id)
            if cached is None or cached[0] != version:
                return None
            self.move_to_end(framework_id)
            return cached[1]

    def keep(self, framework_id: int, version: Hashable, value: V, *, size: int) -> None:
        with self._lock:
            self[framework_id] = (version, value)
            self.move_to_end(framework_id)
            while len(self) > max(1, size):
                self.popitem(last=False)
