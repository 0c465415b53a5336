"""Resource recommendations as a learner sees them: what comes first, and why it says so."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tessera.engine.recommend import (
    LOCKED,
    MASTERED,
    READY,
    LearnerSnapshot,
    Recommendation,
    ResourceInfo,
    recommend,
)

PREREQUISITES = {"fractions": ("whole",), "ratios": ("fractions",), "percent": ("ratios",)}
NAMES = {"whole": "Whole numbers", "fractions": "Fractions", "ratios": "Ratios", "percent": "Percentages"}


# Has mastered whole numbers and fractions; ratios and percentages are new.
BASE = LearnerSnapshot(
    estimates={"whole": 0.97, "fractions": 0.93},
    mastered=frozenset({"whole", "fractions"}),
    prerequisites=PREREQUISITES,
    names=NAMES,
)


def learner(**changes: Any) -> LearnerSnapshot:
    return replace(BASE, **changes)


def resource(key: str, competency: str, kind: str = "reading", **changes: Any) -> ResourceInfo:
    return replace(ResourceInfo(key, key.title(), (competency,), kind), **changes)


def keys(ranked: list[Recommendation]) -> list[str]:
    return [r.resource.key for r in ranked]


def test_a_ready_competency_outranks_a_locked_and_a_mastered_one() -> None:
    catalogue = [
        resource("locked", "percent"),
        resource("mastered", "fractions"),
        resource("ready", "ratios"),
    ]
    ranked = recommend(catalogue, learner())
    assert keys(ranked) == ["ready", "locked", "mastered"]
    assert [r.status for r in ranked] == [READY, LOCKED, MASTERED]


def test_a_ready_resource_outranks_a_locked_one_even_when_the_locked_one_matches_every_like() -> None:
    liked = {"topics": ("football",), "reading_level": 6}
    catalogue = [resource("locked", "percent", "video", **liked), resource("ready", "ratios", "worksheet")]
    snapshot = learner(
        interests=frozenset({"football"}), preferred_kinds=frozenset({"video"}), reading_level=6
    )
    assert keys(recommend(catalogue, snapshot)) == ["ready", "locked"]


def test_interests_break_ties() -> None:
    catalogue = [resource("plain", "ratios"), resource("music", "ratios", topics=("music",))]
    assert keys(recommend(catalogue, learner(interests=frozenset({"Music"})))) == ["music", "plain"]
    assert keys(recommend(catalogue, learner())) == ["plain", "music"]  # no interest: catalogue order


def test_preferred_kind_and_reading_level_matter() -> None:
    catalogue = [resource("sheet", "ratios", "worksheet"), resource("clip", "ratios", "video")]
    assert keys(recommend(catalogue, learner(preferred_kinds=frozenset({"video"}))))[0] == "clip"
    assert keys(recommend(catalogue, learner(preferred_kinds=frozenset({"worksheet"}))))[0] == "sheet"
    levels = [resource("hard", "ratios", reading_level=11), resource("fits", "ratios", reading_level=5)]
    assert keys(recommend(levels, learner(reading_level=5))) == ["fits", "hard"]


def test_media_type_counts_as_a_kind() -> None:
    catalogue = [resource("page", "ratios"), resource("link", "ratios", "link", media_type="video/mp4")]
    assert keys(recommend(catalogue, learner(preferred_kinds=frozenset({"video"}))))[0] == "link"


def test_further_from_mastery_means_more_to_gain() -> None:
    catalogue = [resource("ratio-sheet", "ratios")]
    near = recommend(catalogue, learner(estimates={**BASE.estimates, "ratios": 0.8}))[0]
    far = recommend(catalogue, learner(estimates={**BASE.estimates, "ratios": 0.3}))[0]
    assert near.expected_gain == pytest.approx(0.2)
    assert far.expected_gain == pytest.approx(0.7)
    assert far.score > near.score


def test_the_explanation_names_the_reason_and_the_interest() -> None:
    catalogue = [resource("pitch", "ratios", "video", topics=("football",))]
    top = recommend(catalogue, learner(interests=frozenset({"football"})))[0]
    assert top.explanation.startswith(
        "You are ready for Ratios (you mastered Fractions, which it builds on), "
        "and this one is about football, which you like."
    )
    assert top.reasons[:2] == (READY, "interest")


def test_locked_and_mastered_explanations_say_so() -> None:
    catalogue = [resource("later", "percent"), resource("again", "fractions")]
    ranked = {r.resource.key: r for r in recommend(catalogue, learner())}
    assert "Percentages builds on Ratios, which you have not mastered yet" in ranked["later"].explanation
    assert ranked["later"].missing == ("ratios",)
    assert "You have already mastered Fractions" in ranked["again"].explanation


def test_the_explanation_mentions_kind_and_level_only_when_they_drove_the_score() -> None:
    catalogue = [resource("clip", "ratios", "video", reading_level=6)]
    liked = recommend(catalogue, learner(preferred_kinds=frozenset({"video"}), reading_level=6))[0]
    assert "It is a video, which you like to learn from." in liked.explanation
    assert "It is written at your reading level." in liked.explanation
    neutral = recommend(catalogue, learner())[0]
    assert "video" not in neutral.explanation and "reading level" not in neutral.explanation
    hard = recommend(catalogue, learner(reading_level=2))[0]
    assert "The reading may be hard for now." in hard.explanation


def test_empty_inputs_give_empty_results() -> None:
    assert recommend([], learner()) == []
    assert recommend([resource("a", "ratios")], learner(), limit=0) == []
    assert len(recommend([resource("a", "ratios")], LearnerSnapshot())) == 1  # a blank learner still gets it


def test_limit_and_bad_input() -> None:
    catalogue = [resource(f"r{n}", "ratios") for n in range(5)]
    assert len(recommend(catalogue, learner(), limit=2)) == 2
    with pytest.raises(ValueError, match="limit"):
        recommend(catalogue, learner(), limit=-1)
    with pytest.raises(ValueError, match="'r1' appears more than once"):
        recommend([*catalogue, resource("r1", "percent")], learner())
    with pytest.raises(ValueError, match="estimate for 'ratios'"):
        learner(estimates={"ratios": -0.1})


# --- properties -------------------------------------------------------------------------------------------

COMPETENCIES = ("whole", "fractions", "ratios", "percent", "unknown")
resources = st.builds(
    ResourceInfo,
    key=st.text("abcdef", min_size=1, max_size=4),
    title=st.just("T"),
    competencies=st.lists(st.sampled_from(COMPETENCIES), max_size=2).map(tuple),
    kind=st.sampled_from(["reading", "video", "interactive", "worksheet", "podcast"]),
    reading_level=st.none() | st.integers(0, 13),
    topics=st.lists(st.sampled_from(["football", "music", "space"]), max_size=2).map(tuple),
)
catalogues = st.lists(resources, max_size=12, unique_by=lambda r: r.key)
snapshots = st.builds(
    LearnerSnapshot,
    estimates=st.dictionaries(st.sampled_from(COMPETENCIES), st.floats(0.0, 1.0)),
    mastered=st.frozensets(st.sampled_from(COMPETENCIES)),
    prerequisites=st.just(PREREQUISITES),
    names=st.just(NAMES),
    interests=st.frozensets(st.sampled_from(["football", "music", "art"])),
    preferred_kinds=st.frozensets(st.sampled_from(["video", "reading", "interactive"])),
    reading_level=st.none() | st.integers(0, 13),
)


@given(catalogues, snapshots)
def test_every_recommendation_is_ranked_explained_and_reproducible(
    catalogue: list[ResourceInfo], snapshot: LearnerSnapshot
) -> None:
    ranked = recommend(catalogue, snapshot)
    assert sorted(keys(ranked)) == sorted(r.key for r in catalogue)
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
    assert all(0.0 <= r.score <= 1.0 for r in ranked)
    assert all(r.explanation.strip().endswith(".") and r.reasons for r in ranked)
    assert recommend(catalogue, snapshot) == ranked


@given(catalogues, snapshots)
def test_ties_keep_the_catalogue_order(catalogue: list[ResourceInfo], snapshot: LearnerSnapshot) -> None:
    ranked = recommend(catalogue, snapshot)
    position = {r.key: n for n, r in enumerate(catalogue)}
    for before, after in pairwise(ranked):
        if before.score == after.score:
            assert position[before.resource.key] < position[after.resource.key]


@given(catalogues, snapshots, st.sampled_from(["football", "music", "space"]))
def test_liking_a_topic_never_lowers_a_resource_about_it(
    catalogue: list[ResourceInfo], snapshot: LearnerSnapshot, topic: str
) -> None:
    fan = replace(snapshot, interests=snapshot.interests | {topic})
    before = {r.resource.key: r.score for r in recommend(catalogue, snapshot)}
    for r in recommend(catalogue, fan):
        if topic in r.resource.topics:
            assert r.score >= before[r.resource.key]
        else:
            assert r.score == before[r.resource.key]


@given(catalogues, snapshots, st.integers(0, 12))
def test_limit_is_a_prefix_of_the_full_ranking(
    catalogue: list[ResourceInfo], snapshot: LearnerSnapshot, limit: int
) -> None:
    assert recommend(catalogue, snapshot, limit=limit) == recommend(catalogue, snapshot)[:limit]


def test_a_resource_without_competencies_is_explained_and_ranked_last() -> None:
    catalogue = [ResourceInfo("loose", "Loose", (), "reading"), resource("ratio-sheet", "ratios")]
    ranked = recommend(catalogue, learner())
    assert keys(ranked) == ["ratio-sheet", "loose"]
    assert ranked[1].explanation == "This one is not linked to a competency yet."
