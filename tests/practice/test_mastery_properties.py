"""What a learner is told after each answer, over seeded random histories through the real service: sessions
on several competencies, items that assess two competencies, steps back to a prerequisite, spaced reviews
and lapses. The figure before an answer is the one the pages showed; a correct answer never lowers and a
wrong one never raises the figure of the competency it was answered on; answers elsewhere never move it;
"Mastered!" (``newly_mastered``) comes only on the correct answer that makes it mastered."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone

from tessera.curriculum.models import Item
from tessera.family.models import FeedEvent
from tessera.practice import services
from tessera.practice.learner_model import tracker_for
from tessera.practice.models import Answer, LearnerCompetencyState, LearnerModelState
from tessera.practice.selectors import learner_masteries

HISTORIES = 40
THRESHOLD = services.MASTERY_POLICY.threshold


def _shown(practice: Any) -> dict[int, tuple[float, bool]]:
    """What every page shows now: the figure and the verdict per competency (the one selector)."""
    found = learner_masteries(school_id=practice.session.school_id, learner_id=practice.learner.pk)
    return {cid: (m.level or 0.0, m.mastered) for cid, m in found.items()}


def _right_answer(item: Item) -> Any:
    return {"add-1": 5, "frac-1": 1, "pct-1": "hundred"}[item.code]


def _wrong_answer(item: Item) -> Any:
    return {"add-1": 4, "frac-1": 0, "pct-1": "ten"}[item.code]


def _forget_history(practice: Any) -> None:
    for model in (Answer, LearnerCompetencyState, LearnerModelState, FeedEvent):
        model.objects.filter(learner=practice.learner).delete()


def test_every_answer_moves_the_shown_figure_the_right_way(practice: Any) -> None:
    framework = practice.framework
    tracker = tracker_for(framework)
    competencies = {c.code: c for c in framework.competencies.all()}
    code_of = {c.pk: code for code, c in competencies.items()}
    sessions = {
        code: services.session_start(learner=practice.learner, competency=competencies[code])
        for code in ("add", "frac", "pct")
    }
    items = {item.code: item for item in framework.items.all()}
    offered = {"add": ["add-1"], "frac": ["frac-1", "pct-1"], "pct": ["pct-1"]}
    checked = mastered_seen = lost_seen = 0
    for seed in range(HISTORIES):
        _forget_history(practice)
        generator = random.Random(seed)
        skill = generator.uniform(0.3, 1.0)
        now = timezone.now()
        for _ in range(generator.randint(4, 16)):
            code = generator.choice(list(sessions))
            item = items[generator.choice(offered[code])]
            correct = generator.random() < skill
            now += timedelta(days=generator.choice([0, 0, 1, 7, 30]))
            before = _shown(practice)
            result = services.answer_submit(
                learner=practice.learner,
                session=sessions[code],
                item=item,
                answer=_right_answer(item) if correct else _wrong_answer(item),
                client_id=uuid.uuid4(),
                fingerprint=uuid.uuid4().hex,
                now=now,
            )
            after = _shown(practice)
            answered = result.competency_id
            start = tracker.start(code_of[answered])
            shown_before, was_mastered = before.get(answered, (start, False))
            assert result.correct == correct
            assert result.mastery_before == round(shown_before, 4), "the 'before' is what the pages showed"
            assert result.mastery_level == round(after[answered][0], 4), "the 'after' is what they show now"
            if correct:
                assert after[answered][0] >= shown_before, (seed, result)
            else:
                assert after[answered][0] <= shown_before, (seed, result)
            assert {cid: v for cid, v in after.items() if cid != answered} == {
                cid: v for cid, v in before.items() if cid != answered
            }, "an answer moved another competency's figure"
            assert result.newly_mastered == (not was_mastered and after[answered][1])
            if result.newly_mastered:
                assert correct and result.mastery_level >= THRESHOLD, (seed, result)
            if was_mastered and not after[answered][1]:
                assert result.review and not correct, "mastery is taken away only by a wrong review"
                lost_seen += 1
            mastered_seen += result.newly_mastered
            checked += 1
    assert checked > 300 and mastered_seen > 10 and lost_seen > 0, (checked, mastered_seen, lost_seen)
