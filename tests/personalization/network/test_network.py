"""The learning network (invitations the other side accepts; approved mentors only) and peer help
(suggested peers with an explanation, consent of both, messages, reports, staff oversight)."""

from __future__ import annotations

import pytest

from tessera.personalization.network import permissions as perms
from tessera.personalization.network import selectors, services
from tessera.personalization.network.models import HelpMessage, HelpRequest, NetworkConnection
from tessera.schools import services as schools_services
from tessera.schools.errors import Conflict, DomainError, PermissionDenied
from tessera.schools.models import Membership
from tests.personalization import world as pw


def test_learner_invites_people_they_learn_with_and_they_accept(world) -> None:  # type: ignore[no-untyped-def]
    a = world.a
    schools_services.learner_enrol(actor=None, school_class=a.klass, learner=a.other_learner)  # a classmate
    for member, kind in (
        (a.other_learner, "peer"),
        (a.teacher, "teacher"),
        (a.mentor, "mentor"),
        (a.para, "other"),
    ):
        services.connection_invite(learner=a.learner, school=a.school, member=member, kind=kind)
    connection = NetworkConnection.objects.get(member=a.mentor)
    services.connection_answer(actor=a.mentor, connection=connection, accept=True)
    rows = {c.member: c.status for c in selectors.network_of(a.learner, a.school)}
    assert rows[a.mentor] == "accepted" and rows[a.teacher] == "pending" and len(rows) == 4


def test_a_mentor_who_is_not_approved_cannot_be_invited(world, client_for) -> None:  # type: ignore[no-untyped-def]
    Membership.objects.filter(user=world.a.mentor, role="mentor").update(approved_at=None)
    with pytest.raises(DomainError, match="not an approved mentor yet"):
        services.connection_invite(
            learner=world.a.learner, school=world.a.school, member=world.a.mentor, kind="mentor"
        )
    response = client_for(world.a.learner).post(
        "/me/network/invite/", {"school": world.a.school.pk, "member": world.a.mentor.pk, "kind": "mentor"}
    )
    assert response.status_code == 400 and "not an approved mentor yet" in response.content.decode()
    assert not NetworkConnection.objects.exists()


def test_invitation_rules(world) -> None:  # type: ignore[no-untyped-def]
    a = world.a
    with pytest.raises(DomainError, match="is not a teacher of this school"):
        services.connection_invite(learner=a.learner, school=a.school, member=a.other_learner, kind="teacher")
    with pytest.raises(DomainError, match="is not a peer of this school"):
        services.connection_invite(learner=a.learner, school=a.school, member=world.b.learner, kind="peer")
    with pytest.raises(PermissionDenied, match="Only a learner of this school"):
        services.connection_invite(learner=a.teacher, school=a.school, member=a.learner, kind="peer")
    with pytest.raises(DomainError, match="invite someone else"):
        services.connection_invite(learner=a.learner, school=a.school, member=a.learner, kind="peer")
    first = services.connection_invite(learner=a.learner, school=a.school, member=a.teacher, kind="teacher")
    again = services.connection_invite(learner=a.learner, school=a.school, member=a.teacher, kind="teacher")
    assert again == first and NetworkConnection.objects.count() == 1  # a double click invites once
    services.connection_answer(actor=a.teacher, connection=first, accept=True)
    with pytest.raises(Conflict, match="already in the network"):
        services.connection_invite(learner=a.learner, school=a.school, member=a.teacher, kind="teacher")


def test_a_learner_sees_and_invites_only_the_people_they_learn_with(world, client_for) -> None:  # type: ignore[no-untyped-def]
    a = world.a
    page = client_for(a.learner).get("/me/network/").content.decode()
    assert a.teacher.name in page and a.mentor.name in page
    for stranger in (a.other_learner, a.other_teacher, a.admin):  # another class's learner and teacher
        assert stranger.name not in page
    with pytest.raises(DomainError, match="the people you learn with"):
        services.connection_invite(learner=a.learner, school=a.school, member=a.other_learner, kind="peer")
    assert not NetworkConnection.objects.exists()


def test_accepting_an_invitation_not_addressed_to_you_is_denied(world, client_for) -> None:  # type: ignore[no-untyped-def]
    connection = pw.connection(world)
    for person in (world.a.learner, world.a.teacher):
        with pytest.raises(PermissionDenied, match="Only the person invited"):
            services.connection_answer(actor=person, connection=connection, accept=True)
    response = client_for(world.a.learner).post(f"/me/network/{connection.pk}/answer/", {"answer": "accept"})
    assert response.status_code == 403 and "Only the person invited" in response.content.decode()
    connection.refresh_from_db()
    assert connection.status == "pending"
    services.connection_answer(actor=world.a.other_learner, connection=connection, accept=False)
    with pytest.raises(Conflict):
        services.connection_answer(actor=world.a.other_learner, connection=connection, accept=True)


def test_stuck_learner_sees_peers_who_mastered_it_share_an_interest_and_opted_in(world) -> None:  # type: ignore[no-untyped-def]
    a = world.a
    frac = pw.competency(world)
    pw.practise(a.learner, a.school, frac)
    pw.interests(a.learner, a.school, ["Football", "music"])
    sam, kim, lee, max_ = (pw.new_learner(world, n) for n in ("sam", "kim", "lee", "max"))
    for peer, topics, helps in (
        (sam, ["football"], True),
        (kim, ["music", "football"], True),
        (lee, ["chess"], True),
        (max_, ["football"], False),
    ):
        pw.master(peer, a.school, frac)
        pw.interests(peer, a.school, topics, helps=helps)
    pw.master(world.b.learner, world.b.school, pw.competency_b(world))  # another school: never suggested
    [stuck] = selectors.stuck_with_suggestions(a.learner, a.school)
    assert stuck.competency == frac
    assert [s.name for s in stuck.suggestions] == ["Kim A", "Sam A"]
    assert stuck.suggestions[1].explanation == "Sam A mastered Fractions and also likes Football."
    assert stuck.suggestions[0].explanation == "Kim A mastered Fractions and also likes Football and music."


def test_help_needs_consent_then_the_pair_writes_and_reports(world) -> None:  # type: ignore[no-untyped-def]
    a = world.a
    request = pw.help_request(world, accepted=False)
    with pytest.raises(DomainError, match="has not accepted yet"):
        services.help_message_post(author=a.learner, request=request, text="hello?")
    with pytest.raises(PermissionDenied, match="Only the peer who was asked"):
        services.help_request_answer(actor=a.learner, request=request, accept=True)
    services.help_request_answer(actor=a.other_learner, request=request, accept=True)
    message = services.help_message_post(author=a.other_learner, request=request, text="Draw it!")
    with pytest.raises(DomainError, match="too long"):
        services.help_message_post(author=a.learner, request=request, text="x" * 1001)
    with pytest.raises(DomainError, match="characters that are not text"):
        services.help_message_post(author=a.learner, request=request, text="hi\x00there")
    services.help_message_post(author=a.learner, request=request, text="Line one\n\tline two")
    with pytest.raises(PermissionDenied, match="only the two learners write"):
        services.help_message_post(author=a.teacher, request=request, text="hi")
    with pytest.raises(PermissionDenied, match="your own message"):
        services.help_message_report(actor=a.other_learner, message=message, reason="x")
    with pytest.raises(DomainError, match="Write the reason"):
        services.help_message_report(actor=a.learner, message=message, reason="")
    services.help_message_report(actor=a.learner, message=message, reason="Not helpful, rude")
    message.refresh_from_db()
    assert message.reported_by == a.learner and message.report_reason == "Not helpful, rude"
    assert [r.report_count for r in selectors.help_overseen_by(a.teacher)] == [1]
    assert [r.report_count for r in selectors.help_overseen_by(a.other_teacher)] == [1]


def test_ask_rules(world) -> None:  # type: ignore[no-untyped-def]
    a, frac = world.a, pw.competency(world)
    with pytest.raises(DomainError, match="has not mastered"):
        services.help_request_ask(
            learner=a.learner, school=a.school, helper=a.other_learner, competency=frac, question="?"
        )
    pw.master(a.other_learner, a.school, frac)
    with pytest.raises(DomainError, match="has not offered to help"):
        services.help_request_ask(
            learner=a.learner, school=a.school, helper=a.other_learner, competency=frac, question="?"
        )
    pw.help_request(world)
    with pytest.raises(Conflict, match="already asked"):
        services.help_request_ask(
            learner=a.learner, school=a.school, helper=a.other_learner, competency=frac, question="?"
        )
    with pytest.raises(DomainError, match="Peer help is between learners"):
        services.help_request_ask(
            learner=a.learner, school=a.school, helper=a.teacher, competency=frac, question="?"
        )
    assert HelpRequest.objects.count() == 1


def test_reading_another_pairs_conversation_is_denied(world, client_for) -> None:  # type: ignore[no-untyped-def]
    request = pw.help_request(world)
    pw.helper_message(world)
    third = pw.new_learner(world, "third")
    for person in (third, world.a.specialist, world.a.admin, world.a.guardian, world.b.teacher):
        assert not perms.can_view_help_request(person, request)
        assert client_for(person).get(f"/me/help/{request.pk}/").status_code == 404
    text = client_for(world.a.other_teacher).get(f"/me/help/{request.pk}/").content.decode()
    assert "Cut a pizza" in text and "Teachers of either learner can read this conversation" in text
    assert "Send" not in text  # staff read, they do not write


def test_conversation_page_escapes_and_limits(world, client_for) -> None:  # type: ignore[no-untyped-def]
    request = pw.help_request(world)
    client = client_for(world.a.learner)
    url = f"/me/help/{request.pk}/"
    assert client.post(url, {"text": "<b>bold</b>"}).status_code == 302
    text = client.get(url).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in text
    too_long = client.post(url, {"text": "y" * 1001})
    assert too_long.status_code == 400 and HelpMessage.objects.count() == 1


def test_opting_in_on_the_page(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.other_learner)
    assert (
        client.post("/me/help/offer/", {"school": world.a.school.pk, "open_to_help": "on"}).status_code == 302
    )
    assert selectors.open_to_help(world.a.other_learner, world.a.school)
    assert (
        client.post("/me/help/offer/", {"school": world.b.school.pk, "open_to_help": "on"}).status_code == 404
    )
