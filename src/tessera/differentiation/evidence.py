"""From the database to the grouping arithmetic (:mod:`tessera.engine.grouping`) and back to words.

The evidence is the one mastery figure (:func:`tessera.practice.selectors.masteries_of`), the number every
page shows, on the objective's competencies and their prerequisites (the reasons mention prerequisites).
The engine answers with reason codes; :func:`reason_sentences` says them in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tessera.curriculum.models import Competency, Prerequisite
from tessera.differentiation.models import Grouping, KeepApart, Placement
from tessera.engine.grouping import GroupingRules, LearnerEvidence, Reason
from tessera.practice.selectors import masteries_of
from tessera.schools.models import SchoolClass, User

MIN_EVIDENCE = 3  # answers over the objective's competencies before a learner is placed by the data


@dataclass(frozen=True)
class ClassEvidence:
    """What the engine needs about a class for one objective, and the names to explain it."""

    learners: tuple[LearnerEvidence, ...]
    rules: GroupingRules
    names: Mapping[str, str]  # learner key -> name
    competency_names: Mapping[str, str]  # competency code -> name
    users: Mapping[str, User]


def learner_key(user_id: int) -> str:
    return str(user_id)


def class_learners(school_class: SchoolClass) -> list[User]:
    return list(
        User.objects.filter(enrolments__school_class=school_class).order_by("last_name", "first_name", "pk")
    )


def _prerequisites(competencies: Sequence[Competency]) -> dict[Competency, list[Competency]]:
    links = Prerequisite.objects.filter(competency__in=competencies).select_related("prerequisite")
    found: dict[Competency, list[Competency]] = {c: [] for c in competencies}
    by_id = {c.pk: c for c in competencies}
    for link in links:
        found[by_id[link.competency_id]].append(link.prerequisite)
    return found


def kept_apart(school_class: SchoolClass) -> tuple[frozenset[str], ...]:
    pairs = KeepApart.objects.filter(school_class=school_class).values_list("learner_a_id", "learner_b_id")
    return tuple(frozenset((learner_key(a), learner_key(b))) for a, b in pairs)


def class_evidence(
    school_class: SchoolClass,
    competencies: Sequence[Competency],
    *,
    group_count: int | None,
    max_size: int | None,
    pins: Mapping[str, int] | None = None,
) -> ClassEvidence:
    """The class's learners with their mastery of ``competencies`` (and of their prerequisites), and the
    rules: the group count or size, the teacher's pins and the class's keep-apart pairs. Two queries for
    the figures whatever the class's size."""
    prerequisites = _prerequisites(competencies)
    every = {c.pk: c for c in competencies} | {p.pk: p for ps in prerequisites.values() for p in ps}
    users = class_learners(school_class)
    found = masteries_of(
        school_id=school_class.school_id, learner_ids=[u.pk for u in users], competency_ids=every
    )
    learners = []
    for user in users:
        levels: dict[str, float] = {}
        attempts: dict[str, int] = {}
        mastered = set()
        for competency in every.values():
            mastery = found.get((user.pk, competency.pk))
            if mastery is None or not mastery.attempts:
                continue
            levels[competency.code] = (mastery.percent or 0) / 100  # the figure people see
            attempts[competency.code] = mastery.attempts
            if mastery.mastered:
                mastered.add(competency.code)
        learners.append(LearnerEvidence(learner_key(user.pk), levels, attempts, frozenset(mastered)))
    rules = GroupingRules(
        competencies=tuple(c.code for c in competencies),
        groups=group_count,
        max_size=max_size,
        pins=dict(pins or {}),
        apart=kept_apart(school_class),
        prerequisites={c.code: tuple(p.code for p in ps) for c, ps in prerequisites.items()},
        min_evidence=MIN_EVIDENCE,
    )
    return ClassEvidence(
        learners=tuple(learners),
        rules=rules,
        names={learner_key(u.pk): u.name for u in users},
        competency_names={c.code: c.name for c in every.values()},
        users={learner_key(u.pk): u for u in users},
    )


def grouping_evidence(grouping: Grouping, *, pins: Mapping[str, int] | None = None) -> ClassEvidence:
    competencies = list(grouping.competencies.order_by("position", "pk"))
    return class_evidence(
        grouping.school_class,
        competencies,
        group_count=grouping.group_count if grouping.group_count else None,
        max_size=grouping.max_size,
        pins=pins,
    )


def pins_of(placements: Iterable[Placement]) -> dict[str, int]:
    """The engine's pins: learner key -> group index (the group's position)."""
    return {
        learner_key(p.learner_id): p.group.position for p in placements if p.source == Placement.Source.PINNED
    }


# --- words ---------------------------------------------------------------------------------------


def reasons_stored(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    return [{"code": r.code, "values": dict(r.values)} for r in reasons]


def _names(codes: Iterable[str], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(code, code) for code in codes)


def reason_sentence(
    reason: Mapping[str, Any], *, competencies: Mapping[str, str], learners: Mapping[str, str]
) -> str:
    """One stored or computed reason (``{"code", "values"}``) as a sentence in the active language."""
    code, values = reason.get("code", ""), dict(reason.get("values") or {})
    if code == "mastered_count":
        return _("mastered %(mastered)s of %(of)s") % values
    if code == "average_level":
        return _("%(percent)s%% on average on this objective") % values
    if code == "below_on_prerequisites":
        prerequisites = list(values.get("prerequisites") or [])
        return ngettext(
            "below %(percent)s%% on the prerequisite of %(competency)s (%(prerequisites)s)",
            "below %(percent)s%% on all %(count)s prerequisites of %(competency)s (%(prerequisites)s)",
            len(prerequisites),
        ) % {
            "percent": values.get("percent", 40),
            "count": len(prerequisites),
            "competency": competencies.get(str(values.get("competency")), values.get("competency")),
            "prerequisites": _names(prerequisites, competencies),
        }
    if code == "pinned":
        return _("pinned here by the teacher")
    if code == "kept_apart":
        return _("placed away from %(name)s, as the teacher asked") % {
            "name": learners.get(str(values.get("with")), _("another learner"))
        }
    if code == "not_enough_evidence":
        return ngettext(
            "%(answers)s answer on this objective so far; %(needed)s needed",
            "%(answers)s answers on this objective so far; %(needed)s needed",
            int(values.get("answers", 0)),
        ) % {"answers": values.get("answers", 0), "needed": values.get("needed", MIN_EVIDENCE)}
    if code == "swapped":
        return _("moved to make room for a learner kept apart from another")
    if code == "closer_to_group":
        return _("%(percent)s%% now; this group works at about %(group_percent)s%%") % values
    if code == "enough_evidence_now":
        return _("enough evidence now: %(answers)s answers") % values
    if code in ("moved_up", "moved_down"):
        return _("from %(from_percent)s%% to %(to_percent)s%% since the groups were made") % values
    return _("from the evidence")
