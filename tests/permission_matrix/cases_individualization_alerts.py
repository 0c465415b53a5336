"""Permission cases for the alerts of an objective off track: the plan team (the assigned specialist, the
teacher on the plan) and the school's administrator mark one reviewed; the guardian, who reads the plan,
is refused with the reason (403); everyone else gets 404, so nobody learns a plan or an alert exists."""

from __future__ import annotations

import datetime
from typing import Any

from tessera.individualization import services
from tessera.individualization.models import TeamAlert
from tests.individualization.world import TODAY, plan
from tests.permission_matrix.case import Case, roles

REVIEWERS = roles("specialist", "teacher", "admin")


def alert(w: Any) -> TeamAlert:
    """An open alert: three measures in a row far below the plan's objective's aim line (made once)."""
    found = TeamAlert.objects.filter(school=w.a.school, learner=w.a.learner).first()
    if found is not None:
        return found
    objective = plan(w).objectives.get()
    for days_ago in (5, 3, 1):
        services.support_log_add(
            actor=w.a.para,
            school=w.a.school,
            learner=w.a.learner,
            held_on=TODAY - datetime.timedelta(days=days_ago),
            minutes=20,
            what_was_done="Five problems.",
            objective=objective,
            measured=1,
        )
    return TeamAlert.objects.get(objective=objective)


def page_url(w: Any) -> str:
    return f"/schools/{w.a.school.pk}/learners/{w.a.learner.pk}/alerts/{alert(w).pk}/review/"


CASES = [
    Case(
        "alert-review",
        "POST",
        page_url,
        REVIEWERS,
        ok=302,
        forbidden=roles("guardian"),
        payload=lambda w: {},
        is_api=False,
    ),
    Case(
        "POST /api/alerts/{alert_id}/review",
        "POST",
        lambda w: f"/api/alerts/{alert(w).pk}/review",
        REVIEWERS,
        forbidden=roles("guardian"),
        payload=lambda w: {},
    ),
]
