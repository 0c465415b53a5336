"""Checks on the inputs of a learner model, raising ``ValueError`` that says what is wrong."""

from __future__ import annotations

from collections.abc import Container

from tessera.engine.tracing.state import LearnerState


def checked_correctness(correct: object) -> int:
    """Return ``correct`` as 0 or 1, or raise ``ValueError`` if it is not binary.

    >>> checked_correctness(True)
    1
    >>> checked_correctness(0.5)
    Traceback (most recent call last):
    ...
    ValueError: correctness must be 0 or 1 (or a bool), got 0.5
    """
    if isinstance(correct, bool):
        return int(correct)
    if isinstance(correct, int | float) and correct in (0, 1):
        return int(correct)
    raise ValueError(f"correctness must be 0 or 1 (or a bool), got {correct!r}")


def check_competency_known(competency: str, known: Container[str], model_name: str) -> None:
    """Raise ``ValueError`` naming ``competency`` if the model was not fitted or declared with it."""
    if competency not in known:
        raise ValueError(
            f"unknown competency {competency!r} for model {model_name!r}: "
            "fit it on answers or declare it in fit(competencies=...)"
        )


def check_state_model(state: LearnerState, model_name: str) -> None:
    """Raise ``ValueError`` if ``state`` was written by a different model."""
    if state.model != model_name:
        raise ValueError(f"learner state belongs to model {state.model!r}, not {model_name!r}")


def check_fitted(fitted: bool, model_name: str) -> None:
    """Raise ``ValueError`` if the model is used before ``fit``."""
    if not fitted:
        raise ValueError(f"model {model_name!r} is not fitted yet: call fit(responses) first")
