"""Permission cases for choice boards, proposals and progression (pages of a class: its teachers and
learners; anyone else 404), the learning network and peer help (pages under /me/).

Negative cases of issue 6: a proposal on a class you are not in (other_learner, b_learner: 404; the
class's teachers, who cannot propose: 403), accepting an invitation not addressed to you (the inviting
learner: 403), inviting a mentor who is not approved (400 with the reason), and reading another pair's
help conversation (everyone but the pair and their teachers: 404)."""

from __future__ import annotations

from typing import Any

from tessera.schools.models import Membership
from tests.curriculum.documents import small_framework
from tests.permission_matrix.case import EVERYONE_SIGNED_IN, Case, roles
from tests.personalization import world as pw

TEACHERS = roles("teacher", "co_teacher")
LEARNER = roles("learner")
CLASS_PEOPLE = TEACHERS | LEARNER
LEARNERS_A = roles("learner", "other_learner")
PAIR = LEARNERS_A
PAIR_TEACHERS = roles("teacher", "co_teacher", "other_teacher")
ALL_TEACHERS = roles("teacher", "co_teacher", "other_teacher", "b_teacher")


def klass(w: Any) -> str:
    return f"/classes/{w.a.klass.pk}"


def board_url(w: Any) -> str:
    return f"{klass(w)}/choice-boards/{pw.board(w).pk}/"


def unapproved_mentor(w: Any) -> dict[str, Any]:
    mentor = pw.new_learner(w, "would_be_mentor")
    Membership.objects.filter(user=mentor).update(role="mentor", grade_level=None, approved_at=None)
    return {"school": w.a.school.pk, "member": mentor.pk, "kind": "mentor"}


def ask_payload(w: Any) -> dict[str, Any]:
    peer = pw.new_learner(w, "peer")
    comp = pw.competency(w)
    pw.master(peer, w.a.school, comp)
    pw.interests(peer, w.a.school, ["chess"], helps=True)
    return {"school": w.a.school.pk, "helper": peer.pk, "competency": comp.pk, "question": "How?"}


def page(route: str, url: Any, allowed: frozenset[str], **kw: Any) -> Case:
    return Case(route, "GET", url, allowed, is_api=False, **kw)


def post(route: str, url: Any, allowed: frozenset[str], payload: Any, **kw: Any) -> Case:
    kw.setdefault("ok", 302)
    return Case(route, "POST", url, allowed, payload=payload, is_api=False, **kw)


CASES = [
    # choice boards
    page("class-choice-boards", lambda w: f"{klass(w)}/choice-boards/", CLASS_PEOPLE),
    post(
        "class-choice-boards",
        lambda w: f"{klass(w)}/choice-boards/",
        TEACHERS,
        lambda w: {"objective": "Order decimals"},
        forbidden=LEARNER,
    ),
    page("class-choice-board", board_url, CLASS_PEOPLE),
    post(
        "class-choice-option-add",
        lambda w: f"{board_url(w)}options/",
        TEACHERS,
        lambda w: {"purpose": "show", "title": "Explain it to a friend"},
        forbidden=LEARNER,
    ),
    post(
        "class-choice-pick",
        lambda w: f"{board_url(w)}pick/",
        LEARNER,
        lambda w: {"learn": pw.option(w).pk},
        forbidden=TEACHERS,
    ),
    # proposals: a proposal on a class you are not in is denied
    page("class-proposals", lambda w: f"{klass(w)}/proposals/", CLASS_PEOPLE),
    post(
        "class-proposals",
        lambda w: f"{klass(w)}/proposals/",
        LEARNER,
        lambda w: {"title": "My own project", "description": "Measure the playground."},
        forbidden=TEACHERS,
    ),
    post(
        "class-proposal-decide",
        lambda w: f"{klass(w)}/proposals/{pw.proposal(w).pk}/decide/",
        TEACHERS,
        lambda w: {"decision": "accepted"},
        forbidden=LEARNER,
    ),
    # progression
    page("class-progression", lambda w: f"{klass(w)}/progression/", CLASS_PEOPLE),
    post(
        "class-progression",
        lambda w: f"{klass(w)}/progression/",
        TEACHERS,
        lambda w: {"mode": "personalization", "framework": small_framework(w.a.school).pk},
        forbidden=LEARNER,
    ),
    # the learning network
    page("network", lambda w: "/me/network/", EVERYONE_SIGNED_IN),
    post(
        "network-invite",
        lambda w: "/me/network/invite/",
        LEARNERS_A,
        lambda w: {"school": w.a.school.pk, "member": w.a.mentor.pk, "kind": "mentor"},
    ),
    # a mentor who is not approved: a clear error (400), nothing changed
    post("network-invite", lambda w: "/me/network/invite/", LEARNERS_A, unapproved_mentor, ok=400),
    # accepting an invitation not addressed to you: the inviter sees it (403), anyone else 404
    post(
        "network-answer",
        lambda w: f"/me/network/{pw.connection(w).pk}/answer/",
        roles("other_learner"),
        lambda w: {"answer": "accept"},
        forbidden=LEARNER,
    ),
    # peer help
    page("help", lambda w: "/me/help/", EVERYONE_SIGNED_IN),
    # the teachers' page of help conversations: whoever teaches a class; a learner or anyone else 404
    page("help-oversight", lambda w: "/me/help/oversight/", ALL_TEACHERS),
    post(
        "help-opt-in",
        lambda w: "/me/help/offer/",
        LEARNERS_A,
        lambda w: {"school": w.a.school.pk, "open_to_help": "on"},
    ),
    post("help-ask", lambda w: "/me/help/ask/", LEARNERS_A, ask_payload),
    # another pair's conversation: only the pair and the teachers of either learner read it
    page("help-conversation", lambda w: f"/me/help/{pw.help_request(w).pk}/", PAIR | PAIR_TEACHERS),
    post(
        "help-conversation",
        lambda w: f"/me/help/{pw.help_request(w).pk}/",
        PAIR,
        lambda w: {"text": "Thanks!"},
        forbidden=PAIR_TEACHERS,
    ),
    post(
        "help-answer",
        lambda w: f"/me/help/{pw.help_request(w, accepted=False).pk}/answer/",
        roles("other_learner"),
        lambda w: {"answer": "accept"},
        forbidden=LEARNER | PAIR_TEACHERS,
    ),
    post(
        "help-close",
        lambda w: f"/me/help/{pw.help_request(w).pk}/close/",
        PAIR,
        lambda w: {},
        forbidden=PAIR_TEACHERS,
    ),
    post(
        "help-report",
        lambda w: f"/me/help/messages/{pw.helper_message(w).pk}/report/",
        LEARNER,
        lambda w: {"reason": "Rude"},
        forbidden=roles("other_learner") | PAIR_TEACHERS,
    ),
]
