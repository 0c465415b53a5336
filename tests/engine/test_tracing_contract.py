"""Contract checks every learner model passes (in the spirit of river's ``checks/``)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tessera.engine.tracing import LearnerModel, LearnerState, Response

from .conftest import COMPETENCIES, learning_log

answers = st.lists(st.tuples(st.sampled_from(COMPETENCIES), st.integers(0, 1)), max_size=30)


def replay(model: LearnerModel, history: list[tuple[str, int]]) -> LearnerState:
    state = model.initial_state()
    for competency, correct in history:
        state = model.update(state, competency, correct)
    return state


def test_is_a_learner_model(fitted: LearnerModel) -> None:
    assert isinstance(fitted, LearnerModel)


def test_same_seed_gives_same_predictions(build_model: Callable[[int], LearnerModel]) -> None:
    log = learning_log(seed=3)
    history = [("add", 1), ("subtract", 0), ("add", 1)]
    first, second = build_model(5).fit(log), build_model(5).fit(log)
    for competency in COMPETENCIES:
        assert first.predict(replay(first, history), competency) == second.predict(
            replay(second, history), competency
        )


@settings(max_examples=25, deadline=None)
@given(history=answers)
def test_predictions_are_probabilities(
    fitted_models: list[LearnerModel], history: list[tuple[str, int]]
) -> None:
    for model in fitted_models:
        state = replay(model, history)
        for competency in COMPETENCIES:
            assert 0.0 <= model.predict(state, competency) <= 1.0


@settings(max_examples=25, deadline=None)
@given(history=answers, competency=st.sampled_from(COMPETENCIES), correct=st.integers(0, 1))
def test_update_never_mutates_its_input(
    fitted_models: list[LearnerModel], history: list[tuple[str, int]], competency: str, correct: int
) -> None:
    for model in fitted_models:
        state = replay(model, history)
        before = state.to_json()
        after = model.update(state, competency, correct)
        assert state.to_json() == before
        assert after is not state
        assert model.attempts(after, competency) == model.attempts(state, competency) + 1


@settings(max_examples=25, deadline=None)
@given(history=answers)
def test_state_round_trips_through_json(
    fitted_models: list[LearnerModel], history: list[tuple[str, int]]
) -> None:
    for model in fitted_models:
        state = replay(model, history)
        restored = LearnerState.from_json(json.loads(json.dumps(state.to_json())))
        assert restored == state
        for competency in COMPETENCIES:
            assert model.predict(restored, competency) == model.predict(state, competency)


def test_state_is_small(fitted: LearnerModel) -> None:
    state = replay(fitted, [(competency, 1) for competency in COMPETENCIES] * 20)
    for competency in COMPETENCIES:
        assert state.entry_size_bytes(competency) < 1024
    assert len(json.dumps(list(state.learner))) < 1024


def test_fits_on_tiny_data(build_model: Callable[[int], LearnerModel]) -> None:
    model = build_model(0).fit([Response("a", "add", 1), Response("a", "add", 0), Response("b", "add", 1)])
    assert 0.0 <= model.predict(model.update(model.initial_state(), "add", 1), "add") <= 1.0


def test_fitting_on_nothing_is_refused(build_model: Callable[[int], LearnerModel]) -> None:
    with pytest.raises(ValueError, match="empty"):
        build_model(0).fit([])


def test_use_before_fit_is_refused(build_model: Callable[[int], LearnerModel]) -> None:
    model = build_model(0)
    with pytest.raises(ValueError, match="not fitted"):
        model.predict(model.initial_state(), "add")


@pytest.mark.parametrize("operation", ["predict", "update", "explain", "attempts"])
def test_unknown_competency_is_named(fitted: LearnerModel, operation: str) -> None:
    state = fitted.initial_state()
    call = getattr(fitted, operation)
    arguments = (state, "astrophysics", 1) if operation == "update" else (state, "astrophysics")
    with pytest.raises(ValueError, match="unknown competency 'astrophysics'"):
        call(*arguments)


@pytest.mark.parametrize("correct", [2, -1, 0.5, "yes", None])
def test_non_binary_correctness_is_refused_online(fitted: LearnerModel, correct: object) -> None:
    with pytest.raises(ValueError, match="correctness must be 0 or 1"):
        fitted.update(fitted.initial_state(), "add", correct)  # type: ignore[arg-type]


def test_non_binary_correctness_is_refused_when_fitting(build_model: Callable[[int], LearnerModel]) -> None:
    with pytest.raises(ValueError, match="correctness must be 0 or 1"):
        build_model(0).fit([Response("a", "add", 1), Response("a", "add", 3)])


def test_booleans_count_as_answers(fitted: LearnerModel) -> None:
    state = fitted.initial_state()
    assert fitted.update(state, "add", True) == fitted.update(state, "add", 1)


def test_state_of_another_model_is_refused(fitted: LearnerModel) -> None:
    foreign = LearnerState("someone-else", (), {})
    with pytest.raises(ValueError, match="someone-else"):
        fitted.predict(foreign, "add")


def test_correct_answers_raise_the_estimate(fitted: LearnerModel) -> None:
    state = replay(fitted, [("add", 0), ("add", 1)])
    right = fitted.predict(fitted.update(state, "add", 1), "add")
    wrong = fitted.predict(fitted.update(state, "add", 0), "add")
    assert right > wrong
    streak = replay(fitted, [("add", 1)] * 6)
    assert fitted.predict(streak, "add") > fitted.predict(fitted.initial_state(), "add")


def test_explain_names_the_evidence(fitted: LearnerModel) -> None:
    state = replay(fitted, [("add", 1)] * 4)
    explanation = fitted.explain(state, "add")
    assert explanation.probability == pytest.approx(fitted.predict(state, "add"))
    assert any("add" in item.description and item.direction == "raised" for item in explanation.evidence)
    assert all(sentence.endswith("the estimate.") for sentence in explanation.sentences())
    struggling = replay(fitted, [("add", 0)] * 4)
    assert any(item.direction == "lowered" for item in fitted.explain(struggling, "add").evidence)


def test_declared_competency_without_data_gets_a_prediction(
    build_model: Callable[[int], LearnerModel],
) -> None:
    model = build_model(0).fit(learning_log(), competencies=["divide"])
    state = model.update(model.initial_state(), "add", 1)
    assert 0.0 < model.predict(state, "divide") < 1.0


def test_new_competency_starts_from_its_prerequisite(build_model: Callable[[int], LearnerModel]) -> None:
    easy = [Response(f"l{n}", "count", 1) for n in range(30)] + [Response("x", "count", 0)]
    hard = [Response(f"l{n}", "prove", int(n % 4 == 0)) for n in range(30)]
    log = easy + hard
    model = build_model(0).fit(log, prerequisites={"count-on": ["count"], "prove-more": ["prove"]})
    new = model.initial_state()
    assert model.predict(new, "count-on") > model.predict(new, "prove-more")


def test_fitted_model_round_trips_through_json(fitted: LearnerModel) -> None:
    loaded = type(fitted).from_json(fitted.to_json())  # type: ignore[attr-defined]
    state = replay(fitted, [("add", 1), ("subtract", 0), ("add", 1)])
    for competency in COMPETENCIES:
        assert loaded.predict(state, competency) == fitted.predict(state, competency)
        assert loaded.explain(state, competency) == fitted.explain(state, competency)


def test_model_json_of_another_kind_is_refused(fitted_models: list[LearnerModel]) -> None:
    first, second = fitted_models
    with pytest.raises(ValueError, match="not"):
        type(first).from_json(second.to_json())  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="malformed"):
        type(first).from_json("{}")  # type: ignore[attr-defined]
