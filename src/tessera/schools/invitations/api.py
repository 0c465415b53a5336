"""API for guardian invitations (school administrators)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tessera.schools import permissions
from tessera.schools.errors import NotFound
from tessera.schools.invitations.services import guardian_invitation_create
from tessera.schools.models import Guardianship, Membership, User

router = Router(tags=["accounts"])


class GuardianInvitationIn(Schema):
    learner_id: int = Field(description="The learner's membership id in this school.")
    email: str = Field(min_length=1, max_length=254, description="Where the code is e-mailed.")
    relationship: str = Field(
        default=Guardianship.Relationship.PARENT,
        description=f"One of {', '.join(Guardianship.Relationship.values)}.",
    )


class GuardianInvitationOut(Schema):
    id: int
    school_id: int
    learner_id: int = Field(description="The learner's membership id.")
    email: str
    relationship: str
    expires_at: datetime.datetime
    code: str = Field(description="The invitation code. Returned only in this response; only a hash is kept.")


@router.post(
    "/schools/{school_id}/guardian-invitations",
    response={201: GuardianInvitationOut},
    summary="Invite a guardian of a learner (administrators); the code is returned once",
)
def guardian_invitation_create_endpoint(
    request: HttpRequest, school_id: int, payload: GuardianInvitationIn
) -> Status[GuardianInvitationOut]:
    user = request.user
    assert isinstance(user, User)
    school = get_object_or_404(permissions.schools_visible_to(user), pk=school_id)
    permissions.require_school_admin(user, school, to=_("invite guardians"))
    learner = (
        Membership.objects.filter(school=school, role=Membership.Role.LEARNER, pk=payload.learner_id)
        .select_related("user", "school")
        .first()
    )
    if learner is None:
        raise NotFound(
            _("No learner %(learner)s in this school.") % {"learner": payload.learner_id},
            code="schools.learner_not_found",
        )
    issued = guardian_invitation_create(
        actor=user,
        learner=learner,
        email=payload.email,
        relationship=payload.relationship,
        accept_url=request.build_absolute_uri(reverse("invitation-accept")),
    )
    invitation = issued.invitation
    return Status(
        201,
        GuardianInvitationOut(
            id=invitation.pk,
            school_id=school.pk,
            learner_id=learner.pk,
            email=invitation.email,
            relationship=invitation.relationship,
            expires_at=invitation.expires_at,
            code=issued.code,
        ),
    )
