"""Query budgets: every page and API list costs the same number of queries whatever the rows it shows.

The list of pages and endpoints is the permission matrix's (``cases_*.py``), so a new page gets a budget
check with its permission case. Every GET case answering 200 (68 today) is requested, as each role
allowed to use it that sees what grows (``GROWING_ROLES``), in the matrix's world grown to ``SMALL`` and
then to ``LARGE`` (see :func:`grow`): school A's class has that many learners, each with a practice
answer, a goal and a proposal, each a child of school A's guardian (so the family pages list that many
children) and supported by school A's specialist; school A's learner has that many practice sessions
with an answer, goals (half of them on a competency) with a step, and messages with the teacher in both
directions (the teacher's are feed events of the child). The count at ``LARGE`` must equal the count
at ``SMALL``, save the documented exceptions in ``SLACK``.

Rows this world does not grow (frameworks, choice boards, help requests, network invitations, terms)
are measured at the size the matrix builds them: for those lists the check is the same-count check of a
fixed world, which still catches a page whose queries depend on *other* rows that do grow. The event
stream (``family-feed-stream``) is endless and is not measured.

The cases are dealt into ``SHARDS`` tests, so xdist runs them side by side; each builds its own world.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tessera.family.messages import services as message_services
from tessera.personalization.choice import services as choice_services
from tessera.personalization.goals import services as goal_services
from tessera.practice import services as practice
from tessera.schools import services as schools
from tessera.schools.sessions import expiry as session_expiry
from tests.curriculum.documents import small_framework
from tests.permission_matrix.case import Case
from tests.permission_matrix.test_matrix import CASES

SMALL, LARGE = 5, 30

# (route, role) -> queries a page may add between SMALL and LARGE, each with its reason: only a fixed
# number, where a page legitimately takes another branch at the other size.
SLACK: dict[tuple[str, str], tuple[int, str]] = {
    ("GET /api/practice/sessions/{session_id}/next", "learner"): (
        1,
        "item_next counts the session's answers (one query) only when the session's competency is not due"
        " for review; the answers grow() adds change whether it is due. A branch, not a query per row.",
    ),
}


def measured(case: Case) -> bool:
    return case.method == "GET" and case.ok == 200 and not case.streaming


def _answer(learner: Any, school: Any, competency: Any, item: Any, answer: Any) -> None:
    session = practice.session_start(learner=learner, competency=competency, school=school)
    practice.answer_submit(
        learner=learner,
        session=session,
        item=item,
        answer=answer,
        client_id=uuid.uuid4(),
        fingerprint=practice.answer_fingerprint(session_id=session.pk, item_id=item.pk, answer=answer),
    )


def grow(w: Any, size: int) -> None:
    """Bring school A's class and its learner's own rows to ``size`` (school A's learner is one of the
    class's learners). Builds on what an earlier call made."""
    a = w.a
    framework = small_framework(a.school)
    add = framework.competencies.get(code="add")
    add_item = framework.items.get(code="add-1")
    password_hash = a.teacher.password
    conversation = message_services.conversation_start(
        actor=a.guardian, school_id=a.school.pk, learner_id=a.learner.pk, other_id=a.teacher.pk
    )
    start = getattr(w, "grown", 1)
    for n in range(start, size):
        learner = schools.person_add(
            actor=None,
            school=a.school,
            username=f"a.budget{n}",
            first_name=f"Budget{n}",
            last_name="A",
            role="learner",
            grade_level=7,
            password_hash=password_hash,
        ).user
        schools.learner_enrol(actor=None, school_class=a.klass, learner=learner)
        schools.guardian_link(actor=None, school=a.school, guardian=a.guardian, learner=learner)
        schools.supporter_assign(
            actor=None, school=a.school, staff=a.specialist, learner=learner, role="specialist"
        )
        _answer(learner, a.school, add, add_item, 5 if n % 2 else 4)
        goal_services.goal_create(learner=learner, school=a.school, title=f"Goal {n}")
        choice_services.proposal_create(
            learner=learner, school_class=a.klass, title=f"Project {n}", description="A plan."
        )
        # school A's learner's own rows
        _answer(a.learner, a.school, add, add_item, 5 if n % 2 else 4)
        goal = goal_services.goal_create(
            learner=a.learner,
            school=a.school,
            title=f"My goal {n}",
            competency_ids=[add.pk] if n % 2 else [],  # goals of competencies read masteries and answers
        )
        goal_services.goal_step_add(actor=a.learner, goal_id=goal.pk, title=f"Step {n}")
        message_services.message_send(
            actor=a.teacher, conversation=conversation, text=f"Note {n}", token=f"budget-{n}"
        )
        message_services.message_send(
            actor=a.guardian, conversation=conversation, text=f"Reply {n}", token=f"budget-reply-{n}"
        )
    w.grown = size


def _get(client: Client, url: str) -> tuple[int, Counter[str]]:
    """The status and the queries of one request, by shape (numbers left out, so a query repeated for
    each row counts as one shape seen many times)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    shapes = Counter(re.sub(r"\d+", "N", q["sql"]) for q in queries.captured_queries)
    return response.status_code, shapes


def _grown(before: Counter[str], after: Counter[str]) -> list[str]:
    return [f"{after[s] - before[s]}x more: {s[:300]}" for s in after if after[s] > before[s]][:4]


# Roles that see what grow() grows. School B's people, the former ones and the outsider see none of it, so
# they are measured only on pages no role here may use (their counts could not differ between sizes).
GROWING_ROLES = frozenset(
    {"admin", "teacher", "co_teacher", "other_teacher", "learner", "other_learner", "guardian"}
    | {"specialist", "para", "mentor"}
)
SHARDS = 2  # one world per shard: xdist runs the shards side by side


def runs_of(shard: int) -> list[tuple[Case, str]]:
    """This shard's (case, role) pairs: every measured case, as each role allowed to use it that sees what
    grows (or as its first allowed role when none does)."""
    cases = [c for c in CASES if measured(c)][shard::SHARDS]
    return [
        (case, role) for case in cases for role in sorted(case.allowed & GROWING_ROLES or {min(case.allowed)})
    ]


@pytest.mark.query_budget
@pytest.mark.parametrize("shard", range(SHARDS), ids=[f"shard{n}of{SHARDS}" for n in range(SHARDS)])
def test_query_count_does_not_grow_with_rows(shard: int, world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # The clock stands still: a signed-in request writes its session back once a minute (activity for the
    # idle timeout), and on a loaded machine a minute passes between the two sizes' requests, which then
    # differ by that write (SAVEPOINT, UPDATE django_session, RELEASE) whatever the page.
    now = session_expiry.clock()
    monkeypatch.setattr(session_expiry, "clock", lambda: now)
    runs = runs_of(shard)
    clients: dict[str, Client] = {}
    for _case, role in runs:
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(world.person(role), backend="django.contrib.auth.backends.ModelBackend")

    grow(world, SMALL)
    urls = {id(case): case.url(world) for case, _role in runs}
    for case, role in {id(case): (case, role) for case, role in runs}.values():
        _get(clients[role], urls[id(case)])  # once per page, to fill per-process caches (content types)
    small: dict[tuple[int, str], Counter[str]] = {}
    for case, role in runs:
        status, small[id(case), role] = _get(clients[role], urls[id(case)])
        assert status == 200, f"{case.route} as {role}: expected 200 at size {SMALL}, got {status}"

    grow(world, LARGE)
    grew = []
    for case, role in runs:
        status, large = _get(clients[role], urls[id(case)])
        assert status == 200, f"{case.route} as {role}: expected 200 at size {LARGE}, got {status}"
        before, after = small[id(case), role].total(), large.total()
        slack = SLACK.get((case.route, role), (0, ""))[0]
        if after > before + slack:
            grew.append(
                f"{case.route} as {role}: {before} queries at {SMALL}, {after} at {LARGE}:\n    "
                + "\n    ".join(_grown(small[id(case), role], large))
            )
    assert not grew, "query counts grow with the rows shown:\n" + "\n".join(grew)


def test_every_exception_names_a_measured_page() -> None:
    """An exception for a page that is no longer measured (renamed, or the role lost access) is removed."""
    measured_runs = {(case.route, role) for shard in range(SHARDS) for case, role in runs_of(shard)}
    assert set(SLACK) <= measured_runs, sorted(set(SLACK) - measured_runs)
