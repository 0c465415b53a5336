"""The audit of a learner's sensitive records: every read and write, in the same transaction as a write.

Selectors call :func:`record_access` when they hand a record to someone; services when they change one.
The school's administrators review and export the log; a learner's guardians see who read their child's
records (:mod:`tessera.individualization.selectors`).
"""

from __future__ import annotations

from django.http import HttpRequest

from tessera.individualization.models import RecordRead
from tessera.schools.models import School, User

Action = RecordRead.Action


def client_address(request: HttpRequest | None) -> str | None:
    """The address Django settled on for the request (the proxy's rule is ``TRUSTED_PROXIES``')."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_access(
    *, school: School, learner: User, actor: User, action: str, record: str, address: str | None = None
) -> RecordRead:
    return RecordRead.objects.create(
        school=school, learner=learner, actor=actor, action=action, record=record[:80], address=address
    )
