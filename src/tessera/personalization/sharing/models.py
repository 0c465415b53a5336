"""The school's sharing policy: what it always shares with its learners' guardians, and from which age
learners choose for themselves."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tessera.schools.models import TenantModel


class PersonalizationPolicy(TenantModel):
    """A school's rules for what guardians are told.

    - What is **always shared** with a learner's guardians, whatever the learner's age or choice: the
      ``always_share_*`` flags (practice progress, assessment grades, support sessions, teacher feedback).
      Support sessions are off by default: a support plan says whether families hear of them.
    - From ``learner_chooses_sharing_from_age`` on, the learner decides whether guardians see their
      profile, goals and reflections
      (:class:`~tessera.personalization.profile.models.LearnerProfile`); below it the school shares them.

    Messages to a guardian are always theirs to read. The one place that combines these rules is
    :func:`tessera.personalization.sharing.permissions.topics_shared_with_guardians`.
    """

    learner_chooses_sharing_from_age = models.PositiveSmallIntegerField(
        default=13, help_text=_("From this age the learner chooses what their family sees of their own work.")
    )
    always_share_practice = models.BooleanField(
        default=True, help_text=_("Practice progress: competencies mastered.")
    )
    always_share_assessment = models.BooleanField(default=True, help_text=_("Assessment grades."))
    always_share_support = models.BooleanField(
        default=False,
        help_text=_("Support sessions logged by specialists and para-professionals (none are recorded yet)."),
    )
    always_share_feedback = models.BooleanField(
        default=True, help_text=_("Teachers' feedback on assessments.")
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school"], name="personalization_policy_once")]

    def __str__(self) -> str:
        return f"personalization policy of {self.school_id}"
