"""benchmarks/mastery_figure.py on a small synthetic log: the shown figure never moves the wrong way, and
the table has every column."""

from __future__ import annotations

import contextlib
import doctest
import importlib.util
import io
import random
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "mastery_figure.py"


def _load_script():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(SCRIPT.parent))
    spec = importlib.util.spec_from_file_location("mastery_figure", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mastery_figure", module)
    spec.loader.exec_module(module)
    return module


mastery_figure = _load_script()


def _synthetic_log(learners: int, seed: int) -> list[tuple[list[str], list[int]]]:
    """Learners who practise 4 competencies in interleaved runs and learn as they go (BKT-like)."""
    draw = random.Random(seed)
    sequences = []
    for _ in range(learners):
        known = {name: draw.random() < 0.3 for name in "abcd"}
        skills, answers = [], []
        for _ in range(draw.randint(20, 40)):
            name = draw.choice("abcd") if draw.random() < 0.4 or not skills else skills[-1]
            right = draw.random() < (0.9 if known[name] else 0.25)
            known[name] = known[name] or draw.random() < 0.2
            skills.append(name)
            answers.append(int(right))
        sequences.append((skills, answers))
    return sequences


def test_the_doctests_pass() -> None:
    assert doctest.testmod(mastery_figure).failed == 0


def test_new_figure_never_moves_the_wrong_way_and_the_table_has_every_column() -> None:
    train, test = _synthetic_log(60, seed=1), _synthetic_log(8, seed=2)
    result = mastery_figure.measure("synthetic", train, test, others=3, seed=0)

    new, old = result["figures"]["new_figure"], result["figures"]["old_level"]
    assert new["correct"] > 0 and new["wrong"] > 0 and new["other_pairs"] > 0
    assert (new["correct_lowered"], new["wrong_raised"], new["other_changed"]) == (0, 0, 0)
    assert result["rules"]["new_rule"]["shown_on_wrong"] == 0
    assert result["rules"]["new_rule"]["taken_away"] == 0  # no reviews in a log
    # The logistic figures read the learner's other answers: they move with answers elsewhere.
    assert old["other_changed"] > 0
    for figure in result["figures"].values():
        assert 0.0 <= figure["auc"] <= 1.0

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        mastery_figure.print_tables(result)
    rows = [line for line in printed.getvalue().splitlines() if line.startswith("| (")]
    assert len(rows) == 3 and all(row.count("|") == 7 for row in rows)
    rules = [line for line in printed.getvalue().splitlines() if line.startswith("| old rule")]
    assert len(rules) == 1 and rules[0].count("|") == 7


def test_the_old_figures_on_one_row_equal_those_on_the_full_state() -> None:
    from tessera.engine.mastery import mastery_level
    from tessera.engine.tracing import LogisticEvidenceModel

    train, test = _synthetic_log(60, seed=3), _synthetic_log(2, seed=4)
    model = LogisticEvidenceModel().fit(mastery_figure.as_responses(train, "train-"))
    for skills, answers in test:
        state = model.initial_state()
        for skill, correct in zip(skills, answers, strict=True):
            state = model.update(state, skill, correct)
            for name in state.competencies:
                levels, estimates = mastery_figure.logistic_figures(model, state, [name])
                assert levels == [mastery_level(model, state, name, mastery_figure.OLD_POLICY)]
                assert estimates == [model.predict(state, name)]
