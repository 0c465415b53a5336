"""Each role's home page shows that person's real data, and nothing of anyone else's."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from tessera.schools import services
from tessera.schools.models import Guardianship


def _home(client_for, user) -> str:  # type: ignore[no-untyped-def]
    response = client_for(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_teacher_sees_the_classes_they_teach_with_learner_counts(world, client_for) -> None:  # type: ignore[no-untyped-def]
    page = _home(client_for, world.a.teacher)
    assert "Classes you teach" in page
    assert "Maths 7</a>" in page
    assert "1 learner" in page
    assert "Maths 7B" not in page


def test_learner_sees_their_classes_and_teachers(world, client_for) -> None:  # type: ignore[no-untyped-def]
    page = _home(client_for, world.a.learner)
    assert "Your classes" in page
    assert "Teacher A" in page and "Co Teacher A" in page
    assert "Maths 7B" not in page


def test_guardian_sees_each_child_separately_across_schools(world, client_for) -> None:  # type: ignore[no-untyped-def]
    services.guardian_link(
        actor=None, school=world.b.school, guardian=world.a.guardian, learner=world.b.learner
    )
    page = _home(client_for, world.a.guardian)
    assert "Your children" in page
    assert "Learner A" in page and "School A" in page
    assert "Learner B" in page and "School B" in page
    for school, learner in ((world.a.school, world.a.learner), (world.b.school, world.b.learner)):
        assert f'href="/family/{school.pk}/{learner.pk}/"' in page  # each child's live news, per school


def test_revoked_guardian_no_longer_sees_the_child(world, client_for) -> None:  # type: ignore[no-untyped-def]
    Guardianship.objects.filter(guardian=world.a.guardian).update(revoked_at=timezone.now())
    page = _home(client_for, world.a.guardian)
    assert "Learner A" not in page
    assert "You have no classes, children or learners yet" in page


def test_specialist_sees_the_learners_they_support(world, client_for) -> None:  # type: ignore[no-untyped-def]
    page = _home(client_for, world.a.specialist)
    assert "Learners you support" in page and "Learner A" in page
    assert "Other Learner A" not in page


def test_admin_sees_school_counts(world, client_for) -> None:  # type: ignore[no-untyped-def]
    page = _home(client_for, world.a.admin)
    assert "Schools you administer" in page
    assert "2 classes" in page and "2 learners" in page


def test_signed_out_visitor_is_sent_to_sign_in(db) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_healthz_reports_database_reachability(db) -> None:  # type: ignore[no-untyped-def]
    body = Client().get("/healthz").json()
    assert body["status"] == "ok" and body["database"] == "ok"


def test_api_errors_say_what_is_wrong(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.admin)
    response = client.post(
        f"/api/schools/{world.a.school.pk}/classes",
        data={"name": "", "subject": "M", "grade_level": 30, "term_id": world.a.term.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "name" in detail and "grade_level" in detail
    missing_term = client.post(
        f"/api/schools/{world.a.school.pk}/classes",
        data={"name": "New", "subject": "M", "grade_level": 7, "term_id": 999999},
        content_type="application/json",
    )
    assert missing_term.status_code == 404 and "No term 999999" in missing_term.json()["detail"]
    not_json = client.post(
        f"/api/schools/{world.a.school.pk}/classes", data="{oops", content_type="application/json"
    )
    assert not_json.status_code in (400, 422) and "detail" in not_json.json()
