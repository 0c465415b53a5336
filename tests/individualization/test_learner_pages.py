"""The learner's supports page (/me/supports/: turning a pausable support off for today, a support the plan
keeps on refused with nothing changed), the practice page showing the supports, and an objective's progress
page (chart, table, CSV, audited, 404 for a teacher outside the team)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from tessera.individualization import selectors, services
from tessera.individualization.models import AccommodationPause, RecordRead
from tessera.practice import services as practice
from tests.curriculum.documents import small_framework
from tests.individualization.world import TODAY, signed

pytestmark = pytest.mark.django_db
SUPPORTS = "/me/supports/"


def test_the_learner_sees_their_supports_by_group(world: Any, client_for: Any) -> None:
    signed(world)
    response = client_for(world.a.learner).get(reverse("my-supports"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Extended time" in text and "x1.5 the usual time" in text and "Timing" in text
    assert "Read-aloud of items and options" in text and "Presentation" in text
    assert text.count("Turn off for today") == 1, "only read-aloud may be paused"
    assert "Your plan keeps this one on." in text


def test_without_a_plan_the_page_is_empty(world: Any, client_for: Any) -> None:
    response = client_for(world.a.other_learner).get(SUPPORTS)
    assert "You have no supports from a plan today." in response.content.decode()


def test_the_learner_turns_read_aloud_off_for_today(world: Any, client_for: Any) -> None:
    signed(world)
    client = client_for(world.a.learner)
    response = client.post(SUPPORTS, {"school": world.a.school.pk, "kind": "read_aloud"})
    assert response.status_code == 302
    assert [s.kind for s in selectors.accommodations_in_force(world.a.school, world.a.learner, TODAY)] == [
        "extended_time"
    ]
    assert "Off for today" in client.get(SUPPORTS).content.decode()


def test_a_support_the_plan_keeps_on_is_refused_and_nothing_changes(world: Any, client_for: Any) -> None:
    signed(world)
    response = client_for(world.a.learner).post(
        SUPPORTS, {"school": world.a.school.pk, "kind": "extended_time"}
    )
    assert response.status_code == 403
    assert "your plan does not let you turn it off" in response.content.decode()
    assert not AccommodationPause.objects.exists()


def test_a_school_where_one_is_not_a_learner_is_not_found(world: Any, client_for: Any) -> None:
    signed(world)
    response = client_for(world.a.teacher).post(SUPPORTS, {"school": world.a.school.pk, "kind": "read_aloud"})
    assert response.status_code == 404
    assert not AccommodationPause.objects.exists()


def test_the_practice_page_shows_the_supports_and_the_read_aloud_control(world: Any, client_for: Any) -> None:
    signed(world)
    competency = small_framework(world.a.school).competencies.get(code="add")
    session = practice.session_start(learner=world.a.learner, competency=competency)
    text = client_for(world.a.learner).get(reverse("learn-practice", args=[session.pk])).content.decode()
    assert "Your supports today:" in text
    assert "Extended time (x1.5)" in text and "Read-aloud of items and options" in text
    assert f'href="{SUPPORTS}"' in text
    assert 'id="read-aloud-button"' in text and "Read-aloud is not available in this browser." in text


def test_a_session_without_supports_shows_none(world: Any, client_for: Any) -> None:
    competency = small_framework(world.a.school).competencies.get(code="add")
    session = practice.session_start(learner=world.a.learner, competency=competency)
    text = client_for(world.a.learner).get(reverse("learn-practice", args=[session.pk])).content.decode()
    assert "Your supports today:" not in text and "read-aloud-button" not in text


def test_larger_text_puts_a_class_on_the_practice_container(world: Any, client_for: Any) -> None:
    competency = small_framework(world.a.school).competencies.get(code="add")
    session = practice.session_start(learner=world.a.learner, competency=competency)
    session.accommodations = [{"kind": "larger_text", "value": "", "label": "Larger text and spacing"}]
    session.save()
    text = client_for(world.a.learner).get(reverse("learn-practice", args=[session.pk])).content.decode()
    assert 'class="practice practice-larger-text"' in text
    assert "Larger text and spacing." in text


def _objective_with_data(world: Any) -> Any:
    plan = signed(world)
    objective = plan.objectives.get()
    for days, value in ((-7, 42), (0, 47.5)):
        services.data_point_add(
            objective=objective,
            measured_on=TODAY + datetime.timedelta(days=days),
            value=value,
            source="entered",
        )
    return objective


def progress_url(objective: Any) -> str:
    return reverse("objective-progress", args=[objective.school_id, objective.pk])


def test_the_progress_page_shows_the_chart_and_table_and_is_audited(world: Any, client_for: Any) -> None:
    objective = _objective_with_data(world)
    before = RecordRead.objects.filter(actor=world.a.specialist, action="read").count()
    response = client_for(world.a.specialist).get(progress_url(objective))
    assert response.status_code == 200
    text = response.content.decode()
    assert objective.description in text
    assert 'role="img"' in text and "<desc" in text and "2 data points" in text
    first = (TODAY - datetime.timedelta(days=7)).isoformat()
    aim = f"{objective.aim_on(TODAY - datetime.timedelta(days=7)):.2f}".rstrip("0").rstrip(".")
    assert f'<th scope="row">{first}</th><td>42</td><td>{aim}</td>' in text
    assert "?format=csv" in text
    row = RecordRead.objects.filter(actor=world.a.specialist, action="read").order_by("-pk").first()
    assert RecordRead.objects.filter(actor=world.a.specialist, action="read").count() == before + 1
    assert row is not None and row.learner == world.a.learner and f"objective {objective.pk}" in row.record


def test_the_progress_data_as_csv(world: Any, client_for: Any) -> None:
    objective = _objective_with_data(world)
    response = client_for(world.a.guardian).get(progress_url(objective) + "?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "date,value,aim,source"
    assert lines[1].startswith(f"{(TODAY - datetime.timedelta(days=7)).isoformat()},42,")
    assert lines[2].startswith(f"{TODAY.isoformat()},47.5,") and lines[2].endswith("Entered by the team")
    assert RecordRead.objects.filter(actor=world.a.guardian, action="downloaded").exists()


def test_a_teacher_outside_the_team_gets_404_and_nothing_is_audited(world: Any, client_for: Any) -> None:
    objective = _objective_with_data(world)
    response = client_for(world.a.co_teacher).get(progress_url(objective))
    assert response.status_code == 404
    assert not RecordRead.objects.filter(actor=world.a.co_teacher).exists()
    other_school = reverse("objective-progress", args=[world.b.school.pk, objective.pk])
    assert client_for(world.a.specialist).get(other_school).status_code == 404
