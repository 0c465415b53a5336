"""Personalization's models, where Django looks for them; each sub-package keeps its own.

- The learner's profile and its history (:mod:`tessera.personalization.profile.models`), with their
  choices whether guardians see their profile, goals and reflections; the school's
  :class:`PersonalizationPolicy` sets the age from which the learner chooses, and what is always shared
  (:mod:`tessera.personalization.sharing.models`).
- Goals with steps, reflections and teachers' comments (:mod:`tessera.personalization.goals.models`);
  confidence ratings, a self-assessment compared with the evidence
  (:mod:`tessera.personalization.confidence.models`); the learner's library
  (:mod:`tessera.personalization.library.models`).
- Voice and choice in a class: choice boards, proposals and the class's progression
  (:mod:`tessera.personalization.choice.models`).
- The learning network and peer help (:mod:`tessera.personalization.network.models`).

All keep the app label ``personalization`` and their tables. Every table carries ``school`` (tenancy); free
text has a length limit (:mod:`tessera.personalization.fields`) here and in the forms.
"""

from tessera.personalization.choice.models import (
    Choice,
    ChoiceBoard,
    ChoiceOption,
    ClassProgression,
    ClassProgressionCompetency,
    Proposal,
)
from tessera.personalization.confidence.models import ConfidenceRating
from tessera.personalization.goals.models import Goal, GoalComment, GoalCompetency, GoalStep, Reflection
from tessera.personalization.library.models import SavedResource
from tessera.personalization.network.models import HelpMessage, HelpRequest, NetworkConnection
from tessera.personalization.profile.models import LearnerProfile, LearnerProfileVersion
from tessera.personalization.sharing.models import PersonalizationPolicy

__all__ = [
    "Choice",
    "ChoiceBoard",
    "ChoiceOption",
    "ClassProgression",
    "ClassProgressionCompetency",
    "ConfidenceRating",
    "Goal",
    "GoalComment",
    "GoalCompetency",
    "GoalStep",
    "HelpMessage",
    "HelpRequest",
    "LearnerProfile",
    "LearnerProfileVersion",
    "NetworkConnection",
    "PersonalizationPolicy",
    "Proposal",
    "Reflection",
    "SavedResource",
]
