"""The prerequisite graph: cycles, order and what unlocks next (pure functions)."""

from __future__ import annotations

import itertools

import pytest

from tessera.curriculum import graph

CHAIN = {"add": [], "mul": ["add"], "frac": ["mul"], "pct": ["frac", "mul"]}


def test_a_graph_without_cycles_has_none() -> None:
    assert graph.find_cycle(CHAIN) is None
    assert graph.find_cycle({}) is None


def test_a_cycle_is_reported_in_learning_order_with_the_first_repeated() -> None:
    cycle = graph.find_cycle({"a": ["c"], "b": ["a"], "c": ["b"], "d": ["a"]})
    assert cycle is not None
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"a", "b", "c"}
    edges = {"a": ["c"], "b": ["a"], "c": ["b"]}
    for before, after in itertools.pairwise(cycle):
        assert before in edges[after], f"{before} is not a prerequisite of {after}"


def test_a_self_edge_is_a_cycle() -> None:
    assert graph.find_cycle({"a": ["a"]}) == ["a", "a"]


def test_a_long_chain_does_not_exhaust_the_recursion_limit() -> None:
    edges = {f"c{i}": [f"c{i - 1}"] if i else [] for i in range(5000)}
    assert graph.find_cycle(edges) is None
    edges["c0"] = ["c4999"]
    assert len(graph.find_cycle(edges) or []) == 5001


def test_topological_order_puts_prerequisites_first_and_refuses_cycles() -> None:
    assert graph.topological_order(CHAIN) == ["add", "mul", "frac", "pct"]
    with pytest.raises(ValueError, match=r"a → b → a|b → a → b"):
        graph.topological_order({"a": ["b"], "b": ["a"]})


def test_unlocked_lists_what_a_learner_may_start_next() -> None:
    assert graph.unlocked(CHAIN, []) == ["add"]
    assert graph.unlocked(CHAIN, ["add"]) == ["mul"]
    assert graph.unlocked(CHAIN, ["add", "mul"]) == ["frac"]
    assert graph.unlocked(CHAIN, ["add", "mul", "frac", "pct"]) == []


def test_would_close_cycle_names_the_cycle_starting_at_the_new_edge() -> None:
    assert graph.would_close_cycle(CHAIN, competency="pct", prerequisite="add") is None
    assert graph.would_close_cycle(CHAIN, competency="add", prerequisite="pct") == [
        "pct",
        "add",
        "mul",
        "frac",
        "pct",
    ]
