"""The demo school's individualized learner: a plan signed by its team and in effect, its evaluation,
meeting, logs and progress data, loaded through the services, and loading twice changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tessera.demo.individualization import MEASURES, demo_plan_load
from tessera.individualization import selectors
from tessera.individualization.models import Evaluation, SupportLog, SupportPlan, TeamMeeting

pytestmark = pytest.mark.django_db


def test_the_demo_plan_is_signed_in_effect_and_has_its_records(world: Any) -> None:
    plan = demo_plan_load(school=world.a.school)
    assert plan is not None and plan.learner == world.a.learner  # supported by a specialist and a para
    assert selectors.plan_in_force(world.a.school, world.a.learner, timezone.localdate()) == plan
    kinds = {
        s.kind
        for s in selectors.accommodations_in_force(world.a.school, world.a.learner, timezone.localdate())
    }
    assert {"extended_time", "read_aloud", "larger_text"} <= kinds
    assert Evaluation.objects.filter(learner=world.a.learner).count() == 1
    assert TeamMeeting.objects.filter(learner=world.a.learner).count() == 1
    assert SupportLog.objects.filter(learner=world.a.learner, logged_by=world.a.para).count() == len(MEASURES)
    reading = plan.objectives.get(area="reading")
    assert [p.value for p in selectors.objective_progress(reading)] == list(MEASURES)
    assert demo_plan_load(school=world.a.school) is None
    assert SupportPlan.objects.count() == 1
