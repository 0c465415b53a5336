"""Peer suggestions: who mastered it and shares an interest, ranked, each with its explanation."""

from __future__ import annotations

from tessera.engine.peers import PeerCandidate, explain, shared_interests, suggest_peers


def test_only_peers_sharing_an_interest_are_suggested_unless_asked_otherwise() -> None:
    peers = [PeerCandidate(1, "Ana", ("music",)), PeerCandidate(2, "Ben", ("football",))]
    assert [s.name for s in suggest_peers("Ratios", ["football"], peers)] == ["Ben"]
    everyone = suggest_peers("Ratios", ["football"], peers, require_shared_interest=False)
    assert [s.name for s in everyone] == ["Ben", "Ana"]
    assert everyone[1].explanation == "Ana mastered Ratios."


def test_ranking_prefers_more_shared_interests_then_less_load_then_higher_estimate() -> None:
    peers = [
        PeerCandidate(1, "Busy", ("a", "b"), estimate=0.99, open_requests=3),
        PeerCandidate(2, "Free", ("a", "b"), estimate=0.80),
        PeerCandidate(3, "Steady", ("a",), estimate=0.99),
        PeerCandidate(4, "Shaky", ("a",), estimate=0.70),
        PeerCandidate(5, "Unknown", ("a",), estimate=None),
    ]
    names = [s.name for s in suggest_peers("X", ["a", "b"], peers, limit=10)]
    assert names == ["Free", "Busy", "Steady", "Shaky", "Unknown"]


def test_deterministic_and_limited() -> None:
    peers = [PeerCandidate(i, f"P{i % 3}", ("x",)) for i in range(9)]
    first = suggest_peers("X", ["x"], peers, limit=4)
    assert first == suggest_peers("X", ["x"], list(reversed(peers)), limit=4)
    assert len(first) == 4
    assert suggest_peers("X", ["x"], peers, limit=0) == []


def test_interests_match_without_case_or_spaces_and_are_told_in_the_learners_words() -> None:
    assert shared_interests(["  Video  Games", "Art"], ["video games", "ART", ""]) == ("Video Games", "Art")
    assert explain("Sam", "Fractions", ["football"]) == "Sam mastered Fractions and also likes football."
    assert explain("Sam", "Fractions", ["a", "b", "c"]) == "Sam mastered Fractions and also likes a, b and c."
