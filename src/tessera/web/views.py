"""Pages composed from the apps' selectors. Parse, authorize (through selectors), render."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tessera.curriculum import selectors as curriculum_selectors
from tessera.family.messages import selectors as message_selectors
from tessera.individualization import permissions as individualization_permissions
from tessera.individualization import selectors as individualization_selectors
from tessera.personalization import permissions as personalization_permissions
from tessera.schools import selectors
from tessera.schools.models import User

logger = logging.getLogger(__name__)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "home": selectors.home_for(user),
        "curriculum_schools": curriculum_selectors.schools_with_curriculum_pages(user),
        "unread_messages": message_selectors.unread_count(user),
        "plan_alerts": individualization_selectors.alerts_for_team_member(user),
    }
    return render(request, "web/home.html", context)


@login_required
def class_detail(request: HttpRequest, class_id: int) -> HttpResponse:
    user = _user(request)
    school_class = selectors.class_detail_for(user, class_id)
    if school_class is None:
        raise Http404("No such class.")
    roster = selectors.class_roster_for(user, school_class)
    return render(request, "web/class_detail.html", {"school_class": school_class, "roster": roster})


@login_required
def learner_detail(request: HttpRequest, learner_id: int) -> HttpResponse:
    user = _user(request)
    learner = selectors.learner_detail_for(user, learner_id)
    if learner is None:
        raise Http404("No such learner.")
    classes = selectors.learner_classes(user, learner).select_related("term")
    context = {
        "learner": learner,
        "classes": classes,
        "shared_profile": _may_read(user, learner.pk, personalization_permissions.PROFILE),
        "shared_goals": _may_read(user, learner.pk, personalization_permissions.Topic.GOALS),
        # only for those who write to the learner's guardians or teachers about them, never the learner
        "messages_link": any(
            c.school_id == learner.school_id and c.learner.pk == learner.user_id
            for c in message_selectors.counterparts_of(user)
        ),
    }
    context.update(_plan_links(user, learner))
    return render(request, "web/learner_detail.html", context)


def _plan_links(user: User, learner: Any) -> dict[str, bool]:
    """The learner's support plan for those who read it; the accommodations to apply (a page of their own:
    the plan is 404 to them) for their other teachers."""
    school, person = learner.school, learner.user
    reads = individualization_permissions.can_read_records(user, school, person)
    return {
        "plan_link": reads,
        "accommodations_link": not reads and individualization_permissions.teaches(user, school, person),
    }


def _may_read(user: User, membership_id: int, what: str) -> bool:
    """Whether the user reads the learner's ``what`` (profile or goals; a guardian as the learner shares)."""
    visible = personalization_permissions.learners_with_pages_visible_to(user, what)
    return visible.filter(pk=membership_id).exists()


FAVICON = (Path(__file__).resolve().parent / "static" / "web" / "favicon.ico").read_bytes()


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for on their own: the site's icon (a few hundred bytes, sent
    whole: a streamed file makes the ASGI handler warn on every request), cached for a day."""
    response = HttpResponse(FAVICON, content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database is unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})
