"""What one row of the permission matrix says: an endpoint or page, and who may use it.

Each app adds a ``cases_<area>.py`` module with a ``CASES`` list; ``test_matrix`` runs every case
against every role in ``ROLES``, and ``test_coverage`` fails when an endpoint or page has no case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Role names resolve to people of the test world (tests/conftest.py). Unprefixed roles are in school A,
# where every case's object lives; ``b_`` roles hold the same role in school B (cross-school access;
# school A's learner also attends school B, with ``b_guardian`` as guardian there). ``former_*`` roles
# had a guardianship, support assignment or teaching assignment (of the case's class) in school A that
# has ended: they must see nothing of it.
ROLES = (
    "anonymous",
    "outsider",
    "admin",
    "teacher",
    "co_teacher",
    "other_teacher",
    "learner",
    "other_learner",
    "guardian",
    "specialist",
    "para",
    "mentor",
    "former_guardian",
    "former_specialist",
    "former_teacher",
    "b_admin",
    "b_teacher",
    "b_learner",
    "b_guardian",
)


@dataclass(frozen=True)
class Case:
    """One endpoint or page.

    ``route`` names what is covered: the URL name for a page, ``"METHOD /api/path"`` for the API.
    ``allowed`` roles get ``ok``; roles in ``forbidden`` get 403 (they may see the object but not act);
    every other signed-in role gets 404, so nobody learns that an object they may not see exists.
    ``streaming`` marks an endless response (server-sent events): the matrix checks its status and that
    it streams ``text/event-stream``, and does not read its body.
    """

    route: str
    method: str
    url: Callable[[Any], str]
    allowed: frozenset[str]
    ok: int = 200
    forbidden: frozenset[str] = frozenset()
    payload: Callable[[Any], dict[str, Any]] | None = None
    is_api: bool = True
    extra: dict[str, Any] = field(default_factory=dict)
    streaming: bool = False

    def expected_status(self, role: str) -> int:
        if role == "anonymous":
            return 401 if self.is_api else 302
        if role in self.allowed:
            return self.ok
        if role in self.forbidden:
            return 403
        return 404


def roles(*names: str) -> frozenset[str]:
    unknown = set(names) - set(ROLES)
    assert not unknown, f"unknown roles in a permission case: {unknown}"
    return frozenset(names)


EVERYONE_SIGNED_IN = roles(*[r for r in ROLES if r != "anonymous"])

# Everyone who may see school A but does not administer it: its members and its learners' guardians
# (not the former guardian, whose link has ended; the former specialist is still a member).
SEES_SCHOOL_A_NOT_ADMIN = roles(
    *[
        r
        for r in ROLES
        if r not in {"anonymous", "outsider", "admin", "former_guardian"} and not r.startswith("b_")
    ]
)
