"""Permission cases for the account pages and API: only administrators of the learner's school invite
guardians. People of school A who may see the learner get 403; everyone else 404."""

from tests.permission_matrix.case import SEES_SCHOOL_A_NOT_ADMIN, Case, roles

A_SEES_SCHOOL_BUT_NOT_ADMIN = SEES_SCHOOL_A_NOT_ADMIN
# Of those, the ones who may see the invited learner (not the other class's teacher and learner, nor the
# specialist whose assignment has ended).
A_SEES_LEARNER_BUT_NOT_ADMIN = A_SEES_SCHOOL_BUT_NOT_ADMIN - roles(
    "other_teacher", "other_learner", "former_specialist", "former_teacher"
)

CASES = [
    Case(
        "invitation-create",
        "GET",
        lambda w: f"/accounts/invitations/new/{w.a.membership(w.a.learner).pk}/",
        roles("admin"),
        forbidden=A_SEES_LEARNER_BUT_NOT_ADMIN,
        is_api=False,
    ),
    Case(
        "invitation-create",
        "POST",
        lambda w: f"/accounts/invitations/new/{w.a.membership(w.a.learner).pk}/",
        roles("admin"),
        forbidden=A_SEES_LEARNER_BUT_NOT_ADMIN,
        payload=lambda w: {"email": "aunt@example.org", "relationship": "relative"},
        is_api=False,
    ),
    Case(
        "POST /api/schools/{school_id}/guardian-invitations",
        "POST",
        lambda w: f"/api/schools/{w.a.school.pk}/guardian-invitations",
        roles("admin"),
        ok=201,
        forbidden=A_SEES_SCHOOL_BUT_NOT_ADMIN,
        payload=lambda w: {
            "learner_id": w.a.membership(w.a.learner).pk,
            "email": "aunt@example.org",
            "relationship": "relative",
        },
    ),
]
