"""What an event reveals about a learner, in the vocabulary of the sharing rule.

Producers and consumers both speak it: a producer says what its fact is about, the family feed decides
which topic each kind it shows falls under, and the sharing rule
(:func:`tessera.personalization.sharing.permissions.topics_shared_with_guardians`) says which topics a
child's guardians may read. It lives beside the event log so that neither producers nor the rule need the
feed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    PRACTICE = "practice", _("Practice progress")
    GOALS = "goals", _("Goals")
    REFLECTIONS = "reflections", _("Reflections")
    ASSESSMENT = "assessment", _("Assessment grades")
    SUPPORT = "support", _("Support sessions")
    FEEDBACK = "feedback", _("Teacher feedback")
    MESSAGES = "messages", _("Messages")
