"""Bad input to the roster API and services: a clear 4xx and nothing changed, also for racing repeats."""

from __future__ import annotations

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from tessera.schools import services
from tessera.schools.errors import Conflict
from tessera.schools.invitations import services as invitations
from tessera.schools.models import GuardianInvitation, Guardianship, SchoolClass


def _create_class(client, world, **fields):  # type: ignore[no-untyped-def]
    body = {
        "name": "Maths 7C",
        "subject": "Mathematics",
        "grade_level": 7,
        "term_id": world.a.term.pk,
        **fields,
    }
    return client.post(
        f"/api/schools/{world.a.school.pk}/classes", data=body, content_type="application/json"
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "   "}, "name: String should have at least 1 character"),
        ({"name": "Maths\x00 7C"}, "name: Value error, must not contain control characters"),
        ({"subject": "x" * 81}, "subject: String should have at most 80 characters"),
    ],
)
def test_class_text_is_checked_before_anything_is_stored(world, client_for, fields, message) -> None:  # type: ignore[no-untyped-def]
    response = _create_class(client_for(world.a.admin), world, **fields)
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert not SchoolClass.objects.filter(name__startswith="Maths", name__endswith="7C").exists()


def test_class_names_are_stored_without_surrounding_spaces(world, client_for) -> None:  # type: ignore[no-untyped-def]
    response = _create_class(client_for(world.a.admin), world, name="  Maths 7C  ")
    assert response.status_code == 201 and response.json()["name"] == "Maths 7C"


def test_a_huge_page_number_is_a_clear_error(world, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world.a.teacher).get("/api/classes?page=99999999999999999999")
    assert response.status_code == 422
    assert "page" in response.json()["detail"]


def test_a_non_admin_learns_nothing_from_the_ids_in_a_request(world, client_for) -> None:  # type: ignore[no-untyped-def]
    """A teacher gets the same 403 whether the learner or term named in the body exists or not."""
    client = client_for(world.a.teacher)
    url = f"/api/classes/{world.a.klass.pk}/enrolments"
    real = client.post(
        url,
        data={"learner_id": world.a.membership(world.a.other_learner).pk},
        content_type="application/json",
    )
    made_up = client.post(url, data={"learner_id": 999999}, content_type="application/json")
    assert real.status_code == made_up.status_code == 403
    assert real.json() == made_up.json()
    assert _create_class(client, world, term_id=999999).status_code == 403


def test_a_repeat_that_races_past_the_checks_is_a_conflict_not_a_crash(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Two copies of one request can both pass the friendly "already exists?" check; the database's
    unique constraint then refuses the second, and the caller gets the same Conflict as a plain repeat."""
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with pytest.raises(Conflict, match="already a class called “Maths 7”"):
        services.class_create(
            actor=None, school=world.a.school, name="Maths 7", subject="M", grade_level=7, term=world.a.term
        )
    assert SchoolClass.objects.filter(school=world.a.school, name="Maths 7").count() == 1


def test_revoking_a_guardian_cancels_codes_sent_earlier(world) -> None:  # type: ignore[no-untyped-def]
    a = world.a
    issued = invitations.guardian_invitation_create(
        actor=a.admin,
        learner=a.membership(a.learner),
        email="guardian@a.example.org",
        relationship="parent",
        accept_url="http://testserver/accounts/invitation/",
    )
    link = Guardianship.objects.get(guardian=a.guardian, learner=a.learner)
    services.guardianship_revoke(actor=a.admin, guardianship=link)
    with pytest.raises(invitations.InvitationCodeError):
        invitations.guardian_invitation_accept(code=issued.code, user=a.guardian)
    assert not Guardianship.objects.filter(guardian=a.guardian, revoked_at__isnull=True).exists()
    assert GuardianInvitation.objects.get(pk=issued.invitation.pk).expires_at <= timezone.now()
