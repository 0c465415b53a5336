"""Objects of the personalization pages for tests and the permission matrix, built through the services
on the shared two-school world (tests/conftest.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tessera.curriculum.models import Competency
from tessera.personalization.choice import services as choice_services
from tessera.personalization.choice.models import ChoiceBoard, ChoiceOption, Proposal
from tessera.personalization.network import services as network_services
from tessera.personalization.network.models import HelpMessage, HelpRequest, NetworkConnection
from tessera.personalization.profile.models import LearnerProfile
from tessera.practice.models import LearnerCompetencyState
from tessera.schools import services as school_services
from tessera.schools.models import School, User
from tests.curriculum.documents import small_framework


def competency(w: Any, code: str = "frac") -> Competency:
    return small_framework(w.a.school).competencies.get(code=code)


def board(w: Any) -> ChoiceBoard:
    existing = ChoiceBoard.objects.filter(school_class=w.a.klass).first()
    if existing:
        return existing
    created = choice_services.board_create(
        actor=w.a.teacher, school_class=w.a.klass, objective="Compare fractions", competency=competency(w)
    )
    choice_services.option_add(actor=w.a.teacher, board=created, purpose="learn", title="Watch a video")
    choice_services.option_add(actor=w.a.teacher, board=created, purpose="learn", title="Fraction strips")
    choice_services.option_add(actor=w.a.teacher, board=created, purpose="show", title="Make a poster")
    return created


def option(w: Any, title: str = "Watch a video") -> ChoiceOption:
    return board(w).options.get(title=title)


def proposal(w: Any) -> Proposal:
    existing = Proposal.objects.filter(school_class=w.a.klass, learner=w.a.learner).first()
    return existing or choice_services.proposal_create(
        learner=w.a.learner, school_class=w.a.klass, title="Ratios in recipes", description="Scale a cake."
    )


def connection(w: Any) -> NetworkConnection:
    """An invitation from school A's learner to the learner of the other class (made directly: who may be
    invited is tested in test_network)."""
    existing = NetworkConnection.objects.filter(learner=w.a.learner, member=w.a.other_learner).first()
    return existing or NetworkConnection.objects.create(
        school=w.a.school, learner=w.a.learner, member=w.a.other_learner, kind="peer", invited_by=w.a.learner
    )


def master(learner: User, school: School, comp: Competency, level: float = 0.95) -> None:
    now = timezone.now()
    LearnerCompetencyState.objects.update_or_create(
        school=school,
        learner=learner,
        competency=comp,
        defaults={"attempts": 8, "mastery_level": level, "mastered_at": now, "last_answered_at": now},
    )


def practise(learner: User, school: School, comp: Competency) -> None:
    LearnerCompetencyState.objects.update_or_create(
        school=school,
        learner=learner,
        competency=comp,
        defaults={"attempts": 3, "mastery_level": 0.4, "last_answered_at": timezone.now()},
    )


def interests(learner: User, school: School, topics: list[str], *, helps: bool = False) -> LearnerProfile:
    profile, _ = LearnerProfile.objects.update_or_create(
        school=school, learner=learner, defaults={"interests": topics, "open_to_help": helps}
    )
    return profile


def new_learner(w: Any, name: str) -> User:
    return school_services.person_add(
        actor=None,
        school=w.a.school,
        username=f"a.{name}",
        first_name=name.title(),
        last_name="A",
        role="learner",
        grade_level=7,
    ).user


def help_request(w: Any, *, accepted: bool = True) -> HelpRequest:
    """learner asks other_learner about fractions (other_learner mastered it and helps)."""
    existing = HelpRequest.objects.filter(learner=w.a.learner, helper=w.a.other_learner).first()
    if existing:
        return existing
    comp = competency(w)
    master(w.a.other_learner, w.a.school, comp)
    interests(w.a.other_learner, w.a.school, ["football"], helps=True)
    asked = network_services.help_request_ask(
        learner=w.a.learner,
        school=w.a.school,
        helper=w.a.other_learner,
        competency=comp,
        question="Why 1/2 > 1/3?",
    )
    if accepted:
        asked = network_services.help_request_answer(actor=w.a.other_learner, request=asked, accept=True)
    return asked


def helper_message(w: Any) -> HelpMessage:
    req = help_request(w)
    existing = req.messages.filter(author=w.a.other_learner).first()
    return existing or network_services.help_message_post(
        author=w.a.other_learner, request=req, text="Cut a pizza in 2 and in 3."
    )


def competency_b(w: Any) -> Competency:
    """A competency of school B's own framework (not usable in school A)."""
    return small_framework(w.b.school).competencies.get(code="frac")
