"""Names and profiles are only text: control characters (other than line breaks and tabs) are refused with
a clear message and nothing is saved — on the roster form, in a roster import, for any account, and in a
learner's profile. One rule, :func:`tessera.schools.text.has_control_characters`."""

from __future__ import annotations

from typing import Any

import pytest

from tessera.personalization.profile import services as profile_services
from tessera.personalization.profile.models import LearnerProfile
from tessera.schools import services
from tessera.schools.errors import DomainError
from tessera.schools.models import User
from tessera.schools.roster import imports as roster_import
from tessera.schools.text import has_control_characters

pytestmark = pytest.mark.django_db


def test_the_rule() -> None:
    assert has_control_characters("Ana\x00") and has_control_characters("Ana\x1b[31m")
    assert not has_control_characters("Ana María\nO'Neil\t")


def test_the_roster_form_refuses_a_name_with_control_characters(world: Any, client_for: Any) -> None:
    response = client_for(world.a.admin).post(
        f"/school/{world.a.school.pk}/people/new/",
        {"first_name": "Ana\x07", "last_name": "Ruiz", "username": "ana.ruiz", "role": "teacher"},
    )
    assert response.status_code == 400
    assert "characters that are not text" in response.content.decode()
    assert not User.objects.filter(username="ana.ruiz").exists()


def test_a_roster_import_reports_the_row_and_imports_nothing(world: Any) -> None:
    users = b"sourcedId,username,givenName,familyName,role\nt-1,nina.t,Nina,Te\x1bach,teacher\n"
    result = roster_import.roster_import(
        actor=world.a.admin, school=world.a.school, users=users, enrollments=None
    )
    assert not result.ok
    assert [(e.file, e.line) for e in result.errors] == [("users.csv", 2)]
    assert "familyName contains characters that are not text" in result.errors[0].message
    assert not User.objects.filter(username="nina.t").exists()


def test_no_account_is_made_with_such_a_name(world: Any) -> None:
    with pytest.raises(DomainError, match="not text"):
        services.person_add(
            actor=world.a.admin,
            school=world.a.school,
            username="x.y",
            first_name="X\x00",
            last_name="Y",
            role="teacher",
        )
    assert not User.objects.filter(username="x.y").exists()


def test_the_profile_refuses_control_characters(world: Any, client_for: Any) -> None:
    response = client_for(world.a.learner).post(
        f"/me/profile/?school={world.a.school.pk}",
        {
            "strengths": "Drawing\x08",
            "challenges": "",
            "interests": "",
            "passions": "",
            "aspirations": "",
            "languages": "",
        },
    )
    assert response.status_code == 400
    assert "characters that are not text" in response.content.decode()
    with pytest.raises(DomainError, match="not text"):
        profile_services.profile_update(
            learner=world.a.learner, school=world.a.school, data={"interests": ["chess\x00"]}
        )
    assert not LearnerProfile.objects.filter(
        learner=world.a.learner, strengths__startswith="Drawing"
    ).exists()
