"""What the learner's own pages (under /me/: profile, library, goals, confidence) and the read-only pages
for the people who work with a learner (under /learners/<membership id>/: profile, goals) share: whose
pages they are, and how a refusal is shown. The pages themselves are in the sub-packages' ``views``.

Parse, authorize (selectors and services), render. A learner in several schools picks one with
``?school=<id>``. Something the user may not see is a 404; something they may see but not change is a 403
that says why; nothing is changed either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tessera.personalization import permissions, selectors
from tessera.schools.errors import DomainError
from tessera.schools.models import Membership, User


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status, self.message = status, message


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(request: HttpRequest, status: int, message: str) -> HttpResponse:
    return render(request, "personalization/refused.html", {"message": message}, status=status)


def _handled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a refusal or a domain error into a page with its status and message (nothing was changed)."""

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _Refused as refusal:
            return _refused(request, refusal.status, refusal.message)
        except DomainError as error:
            return _refused(request, error.status, error.message)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return login_required(wrapper)


def _school_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("school") or request.POST.get("school")
    return int(raw) if raw and raw.isdigit() and len(raw) < 12 else None


def _me(request: HttpRequest) -> Membership:
    membership = selectors.own_membership(_user(request), _school_param(request))
    if membership is None:
        raise _Refused(404, _("These pages are for learners, in a school where you are one."))
    return membership


def _url(name: str, me: Membership, *args: Any) -> str:
    return f"{reverse(name, args=args)}?school={me.school_id}"


def _context(request: HttpRequest, me: Membership, section: str, **extra: Any) -> dict[str, Any]:
    schools = selectors.learner_memberships(_user(request))
    return {
        "me": me,
        "school": me.school,
        "section": section,
        "other_schools": schools if len(schools) > 1 else [],
        **extra,
    }


# --- for the people who work with a learner (and guardians, as the sharing rule allows) ----------


def _learner(request: HttpRequest, membership_id: int) -> Membership:
    membership = selectors.learner_page_for(_user(request), membership_id)
    if membership is None:
        raise _Refused(404, _("No such learner, or their profile is not shared with you."))
    return membership


def _learner_sharing(request: HttpRequest, membership_id: int, what: str) -> Membership:
    """The learner whose ``what`` (profile or goals) the user may read: a guardian only when the learner
    shares that one, not merely the other."""
    learner = _learner(request, membership_id)
    visible = permissions.learners_with_pages_visible_to(_user(request), what)
    if not visible.filter(pk=learner.pk).exists():
        if what == permissions.PROFILE:
            raise _Refused(404, _("No such learner, or their profile is not shared with you."))
        raise _Refused(404, _("No such learner, or their goals are not shared with you."))
    return learner
