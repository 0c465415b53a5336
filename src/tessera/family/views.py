"""The guardian's pages and the live feed stream. Parse, authorize, read, render.

``/family/`` lists each child the guardian follows, per school, with recent events; the page's
``feed.js`` keeps each list live through the child's stream. Anyone without a current guardianship gets
a 403 page saying these pages are for guardians; a child who is not theirs (in that school) is a 404.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing

from asgiref.sync import sync_to_async
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tessera.family.feed import selectors
from tessera.family.feed.stream import feed_events, parse_last_event_id
from tessera.family.messages import selectors as message_selectors
from tessera.family.notifications.selectors import notification_settings_of
from tessera.family.permissions import can_follow_feed
from tessera.family.progress.selectors import child_progress
from tessera.individualization.pages import has_plan
from tessera.practice.progress import STATUS_LABELS
from tessera.schools.models import User


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_GET
@login_required
def family_home(request: HttpRequest) -> HttpResponse:
    children = selectors.children_of(_user(request))
    if not children:
        return render(request, "family/not_a_guardian.html", status=403)
    announcements = message_selectors.announcements_for(_user(request), page=request.GET.get("page"))
    context = {
        "children": children,
        "announcements": announcements,
        "notifications": notification_settings_of(_user(request)),
    }
    return render(request, "family/home.html", context)


@require_GET
@login_required
def family_child(request: HttpRequest, school_id: int, learner_id: int) -> HttpResponse:
    child = selectors.child_of(_user(request), school_id=school_id, learner_id=learner_id)
    if child is None:
        raise Http404("There is no child with this id.")
    context = {
        "child": child,
        "sharing": selectors.child_sharing(child),
        "has_plan": has_plan(school_id, learner_id),
    }
    return render(request, "family/child.html", context)


# What a request no longer needs once its response has started (every middleware has seen the response):
# the session (and through it the request's cache client), the user objects, the messages, the parsed
# headers, cookies and query, the URL match, the CSP nonce.
_REQUEST_STATE = (
    "session",
    "user",
    "auser",
    "_cached_user",
    "_acached_user",
    "_messages",
    "resolver_match",
    "headers",
    "COOKIES",
    "GET",
    "csp_nonce",
)


def _forget_request_state(request: HttpRequest) -> None:
    """Django's ASGI handler keeps the request until its response has been sent, that is for as long as
    a feed stays open; the stream needs none of its state (it has the user, the child and its cursor)."""
    for name in _REQUEST_STATE:
        request.__dict__.pop(name, None)
    request.META = {}


async def _forgetting_request(request: HttpRequest, events: AsyncIterator[str]) -> AsyncIterator[str]:
    """``events``, after letting go of the request's state: the body is read once the response has
    started, so after every middleware is done with the request."""
    _forget_request_state(request)
    del request
    async with aclosing(events):  # type: ignore[type-var]  # an async generator (AsyncIterator by type)
        async for part in events:
            yield part


@require_GET
@login_required
async def family_feed_stream(request: HttpRequest, school_id: int, learner_id: int) -> StreamingHttpResponse:
    """Server-sent events of one child in one school, for their current guardians (404 for anyone else)."""
    user = await request.auser()
    assert isinstance(user, User)
    if not await sync_to_async(can_follow_feed)(user=user, school_id=school_id, learner_id=learner_id):
        raise Http404("There is no child with this id.")
    last_event_id = parse_last_event_id(
        request.headers.get("Last-Event-ID", request.GET.get("last_event_id"))
    )
    events = feed_events(
        user=user,
        session_key=request.session.session_key,
        school_id=school_id,
        learner_id=learner_id,
        last_event_id=last_event_id,
        language=getattr(request, "LANGUAGE_CODE", None),  # the guardian's (see UserLanguageMiddleware)
    )
    response = StreamingHttpResponse(
        _forgetting_request(request, events), content_type="text/event-stream; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: send each event as it comes
    return response


@require_GET
@login_required
def family_child_progress(request: HttpRequest, school_id: int, learner_id: int) -> HttpResponse:
    """What the child is working on next and why, what they mastered, their week (404 if not their child)."""
    child = child_progress(_user(request), school_id=school_id, learner_id=learner_id)
    if child is None:
        raise Http404("There is no child with this id.")
    return render(request, "family/progress.html", {"child": child, "status_labels": STATUS_LABELS})
