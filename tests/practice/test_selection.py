"""Choosing the next item: pure logic."""

from __future__ import annotations

from tessera.practice.selection import Candidate, item_choose, item_success


def test_an_item_in_the_band_is_chosen_over_easier_and_harder_ones() -> None:
    items = [Candidate(1, -4.0), Candidate(2, 0.3), Candidate(3, 4.0)]
    chosen = item_choose(items, competency_estimate=0.8, band=(0.6, 0.85))
    assert chosen is not None
    candidate, chance = chosen
    assert candidate.item_id == 2 and 0.6 <= chance <= 0.85


def test_unanswered_items_come_first_even_when_out_of_the_band() -> None:
    items = [Candidate(1, 0.0), Candidate(2, 5.0)]
    chosen = item_choose(items, 0.7, last_seen={1: 3})
    assert chosen is not None and chosen[0].item_id == 2


def test_when_every_item_was_answered_the_one_seen_longest_ago_comes_again() -> None:
    items = [Candidate(1, 0.0), Candidate(2, 5.0), Candidate(3, 0.1)]
    chosen = item_choose(items, 0.7, last_seen={1: 9, 2: 4, 3: 7})
    assert chosen is not None and chosen[0].item_id == 2


def test_no_candidates_no_item() -> None:
    assert item_choose([], 0.5) is None


def test_harder_items_have_lower_predicted_success_and_extremes_stay_finite() -> None:
    assert item_success(0.7, 1.0) < item_success(0.7, 0.0) < item_success(0.7, -1.0)
    assert 0.0 < item_success(0.0, 0.0) < item_success(1.0, 0.0) < 1.0
