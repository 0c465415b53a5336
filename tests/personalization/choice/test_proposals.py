"""Proposals: a learner proposes their own objective in a class they are in; the class's teachers accept,
adjust with a comment, or decline with a reason; the learner sees the decision."""

from __future__ import annotations

import pytest

from tessera.personalization.choice import services
from tessera.personalization.choice.models import Proposal
from tessera.schools.errors import Conflict, DomainError, PermissionDenied
from tests.personalization import world as pw


def test_a_proposal_on_a_class_you_are_not_in_is_denied(world, client_for) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied, match="only in a class you are enrolled in"):
        services.proposal_create(
            learner=world.a.other_learner, school_class=world.a.klass, title="t", description="d"
        )
    response = client_for(world.a.other_learner).post(
        f"/classes/{world.a.klass.pk}/proposals/", {"title": "t", "description": "d"}
    )
    assert response.status_code == 404
    teacher = client_for(world.a.teacher).post(
        f"/classes/{world.a.klass.pk}/proposals/", {"title": "t", "description": "d"}
    )
    assert teacher.status_code == 403 and "only in a class you are enrolled in" in teacher.content.decode()
    assert not Proposal.objects.exists()


def test_each_learner_may_propose_a_different_objective(world) -> None:  # type: ignore[no-untyped-def]
    mine = services.proposal_create(
        learner=world.a.learner, school_class=world.a.klass, title="A", description="a"
    )
    other = services.proposal_create(
        learner=world.a.other_learner, school_class=world.a.other_class, title="B", description="b"
    )
    assert (mine.title, other.title) == ("A", "B")
    assert mine.status == other.status == Proposal.Status.PENDING


@pytest.mark.parametrize("decision", ["adjusted", "declined"])
def test_adjusting_or_declining_needs_a_comment(world, decision: str) -> None:  # type: ignore[no-untyped-def]
    proposal = pw.proposal(world)
    with pytest.raises(DomainError, match="Write the"):
        services.proposal_decide(actor=world.a.teacher, proposal=proposal, decision=decision, comment=" ")
    proposal.refresh_from_db()
    assert proposal.status == "pending"
    services.proposal_decide(
        actor=world.a.co_teacher, proposal=proposal, decision=decision, comment="Smaller, please"
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.teacher_comment, proposal.decided_by) == (
        decision,
        "Smaller, please",
        world.a.co_teacher,
    )


def test_only_the_classes_teachers_decide_once(world) -> None:  # type: ignore[no-untyped-def]
    proposal = pw.proposal(world)
    for person in (world.a.learner, world.a.other_teacher, world.b.teacher):
        with pytest.raises(PermissionDenied):
            services.proposal_decide(actor=person, proposal=proposal, decision="accepted")
    services.proposal_decide(actor=world.a.teacher, proposal=proposal, decision="accepted")
    with pytest.raises(Conflict, match="already decided"):
        services.proposal_decide(actor=world.a.teacher, proposal=proposal, decision="declined", comment="no")


def test_teacher_accepts_on_the_page_and_the_learner_sees_it(world, client_for) -> None:  # type: ignore[no-untyped-def]
    proposal = pw.proposal(world)
    url = f"/classes/{world.a.klass.pk}/proposals/"
    client = client_for(world.a.teacher)
    assert "Ratios in recipes" in client.get(url).content.decode()
    missing = client.post(f"{url}{proposal.pk}/decide/", {"decision": "declined", "comment": ""})
    assert missing.status_code == 400 and "Write the reason for declining" in missing.content.decode()
    ok = client.post(f"{url}{proposal.pk}/decide/", {"decision": "adjusted", "comment": "Use two recipes"})
    assert ok.status_code == 302
    client.force_login(world.a.learner, backend="django.contrib.auth.backends.ModelBackend")
    text = client.get(url).content.decode()
    assert "Accepted with changes" in text and "Use two recipes" in text


def test_learners_see_only_their_own_proposals(world, client_for) -> None:  # type: ignore[no-untyped-def]
    pw.proposal(world)
    classmate = pw.new_learner(world, "classmate")
    from tessera.schools import services as school_services

    school_services.learner_enrol(actor=None, school_class=world.a.klass, learner=classmate)
    text = client_for(classmate).get(f"/classes/{world.a.klass.pk}/proposals/").content.decode()
    assert "Ratios in recipes" not in text and "You have not proposed anything yet" in text
