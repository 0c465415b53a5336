"""Personalization tests use the shared two-school world and the practice world (small framework)."""

from tests.practice.conftest import practice  # noqa: F401 - a fixture
