"""Choice boards: a teacher offers ways to learn and to show learning; a learner picks one of each; the
teacher sees who picked what and who has not picked yet."""

from __future__ import annotations

import pytest

from tessera.personalization.choice import services
from tessera.personalization.choice.models import Choice, ChoiceBoard
from tessera.schools.errors import DomainError, PermissionDenied
from tests.personalization import world as pw


def test_teacher_creates_a_board_co_designed_with_a_learner(world) -> None:  # type: ignore[no-untyped-def]
    board = services.board_create(
        actor=world.a.co_teacher,
        school_class=world.a.klass,
        objective="  Compare fractions ",
        competency=pw.competency(world),
        co_designed_with=world.a.learner,
    )
    assert board.objective == "Compare fractions"
    assert board.co_designed_with == world.a.learner
    assert board.school == world.a.school


def test_board_rules(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied, match="Only a teacher of this class"):
        services.board_create(actor=world.a.other_teacher, school_class=world.a.klass, objective="x")
    with pytest.raises(PermissionDenied):
        services.board_create(actor=world.a.learner, school_class=world.a.klass, objective="x")
    with pytest.raises(DomainError, match="co-designed with a learner of this class"):
        services.board_create(
            actor=world.a.teacher,
            school_class=world.a.klass,
            objective="x",
            co_designed_with=world.a.other_learner,
        )
    with pytest.raises(DomainError, match="Write the objective"):
        services.board_create(actor=world.a.teacher, school_class=world.a.klass, objective="   ")
    with pytest.raises(DomainError, match="not in a framework of this school"):
        services.board_create(
            actor=world.a.teacher,
            school_class=world.a.klass,
            objective="x",
            competency=pw.competency_b(world),
        )
    assert not ChoiceBoard.objects.exists()


def test_picking_is_idempotent_and_changing_replaces(world) -> None:  # type: ignore[no-untyped-def]
    board = pw.board(world)
    video, strips = pw.option(world, "Watch a video"), pw.option(world, "Fraction strips")
    first = services.choice_pick(learner=world.a.learner, board=board, option=video)
    again = services.choice_pick(learner=world.a.learner, board=board, option=video)
    assert again.pk == first.pk and again.chosen_at == first.chosen_at
    changed = services.choice_pick(learner=world.a.learner, board=board, option=strips)
    assert changed.pk == first.pk and changed.option == strips and changed.chosen_at >= first.chosen_at
    services.choice_pick(learner=world.a.learner, board=board, option=pw.option(world, "Make a poster"))
    assert Choice.objects.filter(learner=world.a.learner).count() == 2  # one per purpose


def test_only_learners_of_the_class_pick(world) -> None:  # type: ignore[no-untyped-def]
    board = pw.board(world)
    for person in (world.a.other_learner, world.a.teacher, world.b.learner):
        with pytest.raises(PermissionDenied, match="Only learners of this class"):
            services.choice_pick(learner=person, board=board, option=pw.option(world))
    assert not Choice.objects.exists()


def test_learner_picks_on_the_page_and_teacher_sees_who_has_not(world, client_for) -> None:  # type: ignore[no-untyped-def]
    board = pw.board(world)
    url = f"/classes/{world.a.klass.pk}/choice-boards/{board.pk}/"
    client = client_for(world.a.learner)
    page = client.get(url)
    assert page.status_code == 200 and "Watch a video" in page.content.decode()
    response = client.post(
        f"{url}pick/", {"learn": pw.option(world).pk, "show": pw.option(world, "Make a poster").pk}
    )
    assert response.status_code == 302
    assert "You learn by:" in client.get(url).content.decode()
    bad = client.post(f"{url}pick/", {})
    assert bad.status_code == 400 and "Pick a way to learn" in bad.content.decode()

    client.force_login(world.a.teacher, backend="django.contrib.auth.backends.ModelBackend")
    text = client.get(url).content.decode()
    assert "Who picked what" in text and "Make a poster" in text
    assert "0 learners have not picked both yet" in text


def test_teacher_adds_options_and_bad_input_is_explained(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.teacher)
    response = client.post(f"/classes/{world.a.klass.pk}/choice-boards/", {"objective": "Ratios"})
    board = ChoiceBoard.objects.get(objective="Ratios")
    assert response.status_code == 302
    url = f"/classes/{world.a.klass.pk}/choice-boards/{board.pk}/options/"
    assert client.post(url, {"purpose": "learn", "title": "Recipe"}).status_code == 302
    bad = client.post(url, {"purpose": "learn", "title": "x" * 201})
    assert bad.status_code == 400 and board.options.count() == 1


def test_free_text_is_escaped(world, client_for) -> None:  # type: ignore[no-untyped-def]
    board = services.board_create(
        actor=world.a.teacher, school_class=world.a.klass, objective="<script>x</script>"
    )
    text = (
        client_for(world.a.learner)
        .get(f"/classes/{world.a.klass.pk}/choice-boards/{board.pk}/")
        .content.decode()
    )
    assert "<script>x</script>" not in text and "&lt;script&gt;" in text


def test_empty_state_explains(world, client_for) -> None:  # type: ignore[no-untyped-def]
    text = client_for(world.a.learner).get(f"/classes/{world.a.klass.pk}/choice-boards/").content.decode()
    assert "No choice boards yet" in text
