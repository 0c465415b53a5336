"""Template filters of the learner's pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(estimate: float | None) -> int | None:
    """A mastery estimate (0 to 1) as a whole percentage, or None when there is none yet."""
    if estimate is None:
        return None
    return round(max(0.0, min(1.0, float(estimate))) * 100)


@register.filter
def get_status(labels: dict[str, str], status: str) -> str:
    """The label of a progress status (``mastered``, ``in_progress``, ...)."""
    return str(labels.get(status, status))
