"""Reads for the learning network and peer help, filtered by what the user may see
(:mod:`tessera.personalization.network.permissions`). Peer suggestions are ranked by
:mod:`tessera.engine.peers`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from tessera.curriculum.models import Competency
from tessera.engine.peers import PeerCandidate, PeerSuggestion, suggest_peers
from tessera.personalization.network import permissions as perms
from tessera.personalization.network.models import HelpMessage, HelpRequest, NetworkConnection
from tessera.personalization.network.wording import peer_wording
from tessera.personalization.profile.models import LearnerProfile
from tessera.practice.selectors import Mastery, in_progress_of, masteries_of
from tessera.schools.models import Membership, School, User

Role = Membership.Role
OPEN_HELP = (HelpRequest.Status.ASKED, HelpRequest.Status.ACCEPTED)
STUCK_LIMIT = 10


def schools_learning_in(user: User) -> QuerySet[School]:
    """Schools where the user is a learner (each has its own network and peers)."""
    return (
        School.objects.filter(membership__user=user, membership__role=Role.LEARNER)
        .distinct()
        .order_by("name")
    )


def network_of(user: User, school: School) -> QuerySet[NetworkConnection]:
    """The learner's own network in one school: accepted first, then invited, then declined."""
    return (
        perms.connections_visible_to(user)
        .filter(school=school, learner=user)
        .select_related("member")
        .order_by("status", "member__last_name", "member__first_name", "pk")
    )


def invitations_to(user: User) -> QuerySet[NetworkConnection]:
    """Invitations addressed to the user that wait for their answer."""
    return (
        perms.connections_answerable_by(user)
        .filter(status=NetworkConnection.Status.PENDING)
        .select_related("learner", "school")
        .order_by("-created_at", "-pk")
    )


def networks_joined_by(user: User) -> QuerySet[NetworkConnection]:
    """Learners' networks the user has joined."""
    return (
        perms.connections_answerable_by(user)
        .filter(status=NetworkConnection.Status.ACCEPTED)
        .select_related("learner", "school")
        .order_by("learner__last_name", "learner__first_name", "pk")
    )


def invitable_people(user: User, school: School) -> QuerySet[User]:
    """People a learner may pick from when inviting: the people they learn with (network.permissions)."""
    return perms.people_a_learner_may_invite(user, school)


def open_to_help(user: User, school: School) -> bool:
    return LearnerProfile.objects.filter(school=school, learner=user, open_to_help=True).exists()


# --- peer help -----------------------------------------------------------------------------------


@dataclass
class StuckOn:
    """A competency the learner practised and has not mastered, with the peers suggested for it."""

    competency: Competency
    suggestions: list[PeerSuggestion]


def _interests(profile: LearnerProfile | None) -> tuple[str, ...]:
    if profile is None or not isinstance(profile.interests, list):
        return ()
    return tuple(str(topic) for topic in profile.interests if str(topic).strip())


def stuck_with_suggestions(user: User, school: School) -> list[StuckOn]:
    """The learner's competencies in progress (practised, not mastered), most recent first, each with
    peers of the school who mastered it, agreed to help and share an interest, ranked by the engine."""
    stuck = in_progress_of(school_id=school.pk, learner_id=user.pk, limit=STUCK_LIMIT)
    if not stuck:
        return []
    mine = _interests(LearnerProfile.objects.filter(school=school, learner=user).first())
    competency_ids = [competency.pk for competency, _ in stuck]
    learners_here = Membership.objects.filter(school=school, role=Role.LEARNER).values("user_id")
    helpers = {
        p.learner_id: p
        for p in LearnerProfile.objects.filter(school=school, open_to_help=True, learner_id__in=learners_here)
        .exclude(learner=user)
        .select_related("learner")
    }
    mastered: dict[int, list[Mastery]] = {cid: [] for cid in competency_ids}
    for mastery in masteries_of(
        school_id=school.pk, learner_ids=helpers, competency_ids=competency_ids
    ).values():
        if mastery.mastered:
            mastered[mastery.competency_id].append(mastery)
    load = dict(
        HelpRequest.objects.filter(school=school, helper_id__in=list(helpers), status__in=OPEN_HELP)
        .values_list("helper_id")
        .annotate(n=Count("pk"))
        .values_list("helper_id", "n")
    )
    result = []
    for competency, _ in stuck:
        candidates = [
            PeerCandidate(
                peer_id=s.learner_id,
                name=helpers[s.learner_id].learner.name,
                interests=_interests(helpers[s.learner_id]),
                estimate=s.level,
                open_requests=load.get(s.learner_id, 0),
            )
            for s in mastered[competency.pk]
        ]
        suggestions = suggest_peers(competency.name, mine, candidates, wording=peer_wording())
        result.append(StuckOn(competency, suggestions))
    return result


def help_asked_by(user: User) -> QuerySet[HelpRequest]:
    return (
        perms.help_requests_joined_by(user)
        .filter(learner=user)
        .select_related("helper", "competency")
        .order_by("-created_at", "-pk")
    )


def help_asked_of(user: User) -> QuerySet[HelpRequest]:
    return (
        perms.help_requests_joined_by(user)
        .filter(helper=user)
        .select_related("learner", "competency")
        .order_by("-created_at", "-pk")
    )


def help_request_for(user: User, request_id: int) -> HelpRequest | None:
    return (
        perms.help_requests_visible_to(user)
        .select_related("learner", "helper", "competency", "school")
        .filter(pk=request_id)
        .first()
    )


def help_messages(request: HelpRequest) -> QuerySet[HelpMessage]:
    return request.messages.select_related("author", "reported_by").order_by("created_at", "pk")


def help_overseen_by(user: User) -> QuerySet[HelpRequest]:
    """Conversations a teacher reads, those with reported messages first, then the newest."""
    return (
        perms.help_requests_overseen_by(user)
        .select_related("learner", "helper", "competency")
        .annotate(
            report_count=Count("messages", filter=Q(messages__reported_at__isnull=False)),
            message_count=Count("messages"),
        )
        .order_by("-report_count", "-created_at", "-pk")
    )
