"""What a learner notices as they progress: mastery schedules a spaced review (FSRS), due reviews are mixed
into practice, a wrong review takes mastery away, a session steps back to an unmastered prerequisite, mastery
unlocks what builds on it, and a session ends with a summary."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tessera.curriculum.models import Item, ItemCompetency
from tessera.family.feed.selectors import event_sentence
from tessera.family.models import FeedEvent
from tessera.practice import progress, services
from tessera.practice.models import Answer, LearnerCompetencyState
from tessera.schools.errors import Conflict, DomainError

pytestmark = pytest.mark.django_db


def submit(practice: Any, session: Any, item: Item, answer: Any, **extra: Any) -> Any:
    hints = extra.pop("hints_used", 0)
    return services.answer_submit(
        learner=practice.learner,
        session=session,
        item=item,
        answer=answer,
        client_id=extra.pop("client_id", None) or uuid.uuid4(),
        fingerprint=services.answer_fingerprint(
            session_id=session.pk, item_id=item.pk, answer=answer, hints_used=hints
        ),
        hints_used=hints,
        **extra,
    )


def master_addition(practice: Any, **extra: Any) -> Any:
    for _ in range(15):
        result = submit(practice, practice.session, practice.add_item, 5, **extra)
        if result.mastered:
            return result
    raise AssertionError("fifteen right answers in a row did not master addition")


def slip_reviews(practice: Any) -> Any:
    """Answer due reviews of addition wrong until one takes the mastery away; that answer's result.

    A wrong review that leaves the figure at 90% or more keeps the mastery, and the review comes back soon
    (rated *Again*); only one that takes the figure below 90% loses it."""
    for _ in range(5):
        due = add_state(practice).review_due_at
        assert due is not None, "a mastered competency always has its review scheduled"
        result = submit(practice, practice.session, practice.add_item, 4, now=due)
        assert result.review and not result.correct
        if not result.mastered:
            assert result.mastery_level < services.MASTERY_POLICY.threshold
            return result
        assert result.mastery_level >= services.MASTERY_POLICY.threshold
        next_due = add_state(practice).review_due_at
        assert next_due is not None and timedelta(0) < next_due - due <= timedelta(days=2), "kept; back soon"
    raise AssertionError("five wrong reviews never took the mastery away")


def add_state(practice: Any) -> LearnerCompetencyState:
    return LearnerCompetencyState.objects.get(learner=practice.learner, competency=practice.add)


def item_for(practice: Any, code: str, competency: Any, difficulty: float) -> Item:
    item = Item.objects.create(
        school=practice.framework.school,
        framework=practice.framework,
        code=code,
        kind="numeric",
        stem="3 times 4 = ?",
        numeric_answer=12,
        hints=["Three fours.", "4 + 4 + 4."],
        difficulty=difficulty,
    )
    ItemCompetency.objects.create(school=practice.framework.school, item=item, competency=competency)
    return item


def test_mastering_schedules_a_review_days_later_and_unlocks_what_builds_on_it(practice: Any) -> None:
    before = timezone.now()
    result = master_addition(practice)
    state = add_state(practice)
    assert state.mastered_at is not None and state.review_card is not None
    assert state.review_due_at is not None and state.review_due_at - before >= timedelta(days=1)
    assert result.next_review_at == state.review_due_at.isoformat()
    assert "Mastered after" in result.explanation and result.mastery_level >= 0.9
    mul = practice.framework.competencies.get(code="mul")
    assert [u["name"] for u in result.unlocked] == [
        mul.name
    ]  # addition was multiplication's only prerequisite


def test_a_due_review_is_mixed_into_a_session_on_another_competency(practice: Any) -> None:
    master_addition(practice)
    due_at = add_state(practice).review_due_at
    assert due_at is not None
    frac_session = services.session_start(learner=practice.learner, competency=practice.frac)
    later = due_at + timedelta(hours=1)
    offered = []
    for n in range(services.REVIEW_EVERY):
        chosen = services.item_next(learner=practice.learner, session=frac_session, now=later)
        offered.append(chosen.reason)
        if n < services.REVIEW_EVERY - 1:
            answer = 1 if chosen.item.kind == "multiple_choice" else "hundred"
            submit(practice, frac_session, chosen.item, answer, now=later)
    assert offered == ["practice"] * (services.REVIEW_EVERY - 1) + ["review"]
    assert chosen.competency == practice.add and "Addition" in chosen.reason_text
    before = services.item_next(
        learner=practice.learner, session=frac_session, now=due_at - timedelta(hours=1)
    )
    assert before.reason == "practice"  # not due yet: no review


def test_a_correct_review_pushes_the_next_review_further_and_keeps_mastery(practice: Any) -> None:
    master_addition(practice)
    first_due = add_state(practice).review_due_at
    assert first_due is not None
    result = submit(practice, practice.session, practice.add_item, 5, now=first_due)
    state = add_state(practice)
    assert result.review and result.mastered and state.mastered_at is not None
    assert state.review_due_at is not None and state.review_due_at - first_due > timedelta(days=2)
    assert Answer.objects.filter(is_review=True).count() == 1


def test_a_review_answered_wrong_lowers_mastery_again(practice: Any) -> None:
    master_addition(practice)
    state = add_state(practice)
    assert state.review_due_at is not None and state.mastery_level is not None
    result = slip_reviews(practice)
    after = add_state(practice)
    assert "needs some practice again" in result.explanation
    assert after.mastered_at is None and after.review_due_at is None
    assert after.mastery_level is not None and after.mastery_level < state.mastery_level
    rows = progress.framework_progress(practice.learner, practice.session.school, practice.framework)
    assert {r.competency.code: r.status for d in rows for r in d.competencies}["add"] == progress.IN_PROGRESS
    later = state.review_due_at + timedelta(minutes=5)
    first = submit(practice, practice.session, practice.add_item, 5, now=later)
    assert not first.mastered  # one right answer after a lapse is not enough evidence
    again = master_addition(practice, now=later)
    assert again.mastered and add_state(practice).review_due_at is not None  # scheduled again
    assert add_state(practice).attempts - after.attempts >= 3  # the rule's minimum evidence, counted afresh
    assert again.unlocked == ()  # what it unlocks was announced the first time


def test_an_out_of_reach_competency_steps_back_to_its_unmastered_prerequisite(practice: Any) -> None:
    mul = practice.framework.competencies.get(code="mul")
    hard = item_for(practice, "mul-hard", mul, difficulty=6.0)
    session = services.session_start(learner=practice.learner, competency=mul)
    chosen = services.item_next(learner=practice.learner, session=session)
    assert chosen.reason == "prerequisite" and chosen.competency == practice.add
    assert "builds on Addition" in chosen.reason_text
    result = submit(practice, session, chosen.item, 5)
    assert result.competency_name == "Addition"  # the answer is evidence for the prerequisite
    assert Answer.objects.get().competency == practice.add
    submit(practice, session, hard, 12)  # the session's own item is still accepted
    assert Answer.objects.filter(competency=mul).count() == 1


def test_an_item_outside_the_session_its_prerequisites_and_reviews_is_refused(practice: Any) -> None:
    with pytest.raises(DomainError, match="not part of this session"):
        submit(practice, practice.session, practice.frac_item, 1)
    assert not Answer.objects.exists()


def test_hints_used_are_stored_and_bounded(practice: Any) -> None:
    result = submit(practice, practice.session, practice.add_item, 5, hints_used=1)
    assert Answer.objects.get(pk=result.answer_id).hints_used == 1
    with pytest.raises(DomainError, match="between 0 and 1"):
        submit(practice, practice.session, practice.add_item, 5, hints_used=2)
    assert Answer.objects.count() == 1


def test_the_same_answer_id_with_other_hints_is_a_conflict(practice: Any) -> None:
    client_id = uuid.uuid4()
    submit(practice, practice.session, practice.add_item, 5, client_id=client_id)
    with pytest.raises(Conflict):
        submit(practice, practice.session, practice.add_item, 5, client_id=client_id, hints_used=1)


def test_ending_a_session_sums_it_up_once_and_keeps_late_answers(practice: Any) -> None:
    submit(practice, practice.session, practice.add_item, 5)
    submit(practice, practice.session, practice.add_item, 4)
    summary = services.session_end(learner=practice.learner, session=practice.session)
    ended_at = practice.session.ended_at
    assert (summary.answers, summary.correct, summary.mastered) == (2, 1, [])
    again = services.session_end(learner=practice.learner, session=practice.session)
    assert again.session.ended_at == ended_at  # ending twice changes nothing
    with pytest.raises(Conflict, match="has ended"):
        services.item_next(learner=practice.learner, session=practice.session)
    submit(practice, practice.session, practice.add_item, 5)  # an answer given offline arrives late
    assert Answer.objects.count() == 3


def test_a_summary_lists_only_what_this_session_mastered(practice: Any) -> None:
    master_addition(practice)
    first = services.session_end(learner=practice.learner, session=practice.session)
    assert [c.code for c in first.mastered] == ["add"]
    later = services.session_start(learner=practice.learner, competency=practice.add)
    submit(practice, later, practice.add_item, 5)  # practice on what was mastered in another session
    summary = services.session_end(learner=practice.learner, session=later)
    assert (summary.answers, summary.correct, summary.mastered) == (1, 1, [])


def test_progress_shows_locked_ready_in_progress_and_mastered(practice: Any) -> None:
    school = practice.session.school

    def statuses() -> dict[str, str]:
        rows = progress.framework_progress(practice.learner, school, practice.framework)
        return {r.competency.code: r.status for d in rows for r in d.competencies}

    # Fractions builds on multiplication, which has no items: nobody can master it, so it locks nothing.
    assert statuses() == {"add": "ready", "mul": "locked", "frac": "ready", "pct": "locked"}
    submit(practice, practice.session, practice.add_item, 4)
    assert statuses()["add"] == "in_progress"
    master_addition(practice)
    assert statuses() == {"add": "mastered", "mul": "ready", "frac": "ready", "pct": "locked"}
    rows = progress.framework_progress(practice.learner, school, practice.framework)
    pct = next(r for d in rows for r in d.competencies if r.competency.code == "pct")
    assert [c.code for c in pct.missing] == ["frac"]


def test_the_streak_counts_school_days_in_a_row_and_a_weekend_does_not_break_it(practice: Any) -> None:
    zone = timezone.get_default_timezone()
    school = practice.session.school
    wednesday = date(2026, 11, 25)

    def answer_on(day: date) -> None:
        moment = datetime.combine(day, time(10), tzinfo=zone)
        submit(practice, practice.session, practice.add_item, 4, now=moment)

    def streak(today: date) -> int:
        return progress.practice_streak(practice.learner, school, today=today, zone=zone)

    for day in (18, 20, 23, 24, 25):  # Wed, then Fri, (weekend), Mon, Tue, Wed; Thursday the 19th missed
        answer_on(date(2026, 11, day))
    assert streak(wednesday) == 4
    assert streak(wednesday + timedelta(days=1)) == 4  # nothing yet on Thursday: the streak still stands
    assert streak(wednesday + timedelta(days=2)) == 0  # Thursday missed
    answer_on(date(2026, 11, 21))  # practice on a Saturday counts
    assert streak(wednesday) == 5


def test_a_wrong_practice_answer_keeps_mastery_and_brings_the_review_forward(practice: Any) -> None:
    """Mastery is kept until a review shows it is lost: what the family was told stays true."""
    master_addition(practice)
    mastered_at = add_state(practice).mastered_at
    for _ in range(6):  # wrong answers until the figure falls below the threshold
        result = submit(practice, practice.session, practice.add_item, 4)
        if result.review:
            break
        assert (
            result.mastered and not result.newly_mastered and add_state(practice).mastered_at == mastered_at
        )
        if result.mastery_level < services.MASTERY_POLICY.threshold:
            assert "a review question comes next" in result.explanation
            assert add_state(practice).review_due_at <= timezone.now()
            assert services.item_next(learner=practice.learner, session=practice.session).reason == "review"
            break
    else:
        raise AssertionError("six wrong answers never brought the review forward")
    rows = progress.framework_progress(practice.learner, practice.session.school, practice.framework)
    assert {r.competency.code: r.status for d in rows for r in d.competencies}["add"] == progress.MASTERED


def test_a_lost_mastery_is_told_to_the_family_in_plain_words(practice: Any) -> None:
    master_addition(practice)
    slip_reviews(practice)
    due = add_state(practice).last_answered_at
    kinds = list(
        FeedEvent.objects.filter(learner=practice.learner).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == ["competency_mastered", "mastery_lost"]
    lost = FeedEvent.objects.select_related("learner", "school").get(kind="mastery_lost")
    sentence = event_sentence(lost, now=due)
    assert "needs more practice on Addition" in sentence and "mastered again once" in sentence
    for _ in range(15):  # mastered again: the family hears that too
        if submit(practice, practice.session, practice.add_item, 5, now=due).newly_mastered:
            break
    assert FeedEvent.objects.filter(learner=practice.learner, kind="competency_mastered").count() == 2
