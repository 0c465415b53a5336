"""The learner's library under /me/library/: search, saved resources, and recommendations that say why."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tessera.personalization.library import forms, selectors, services
from tessera.personalization.views import _context, _handled, _me, _user
from tessera.schools.models import Membership


@_handled
def library(request: HttpRequest) -> HttpResponse:
    me, user = _me(request), _user(request)
    competencies = selectors.library_competencies(user, me.school)
    search = forms.LibrarySearchForm(request.GET or None, competencies=competencies)
    searched = request.GET.get("q") is not None or bool(
        request.GET.get("competency") or request.GET.get("kind")
    )
    results = None
    if searched and search.is_valid():
        data = search.cleaned_data
        found = selectors.library_search(
            user,
            me.school,
            text=data.get("q") or "",
            competency_id=data.get("competency"),
            kind=data.get("kind") or "",
        )
        results = Paginator(found, 20).get_page(request.GET.get("page"))
    context = _context(
        request,
        me,
        "library",
        search=search,
        results=results,
        searched=searched,
        recommendations=selectors.recommendations_for(user, me.school),
        saved=selectors.saved_resources(user, me.school),
        saved_ids=selectors.saved_resource_ids(user, me.school),
        query=_without_page(request),
    )
    return render(
        request,
        "personalization/library.html",
        context,
        status=400 if searched and not search.is_valid() else 200,
    )


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _back_to_library(request: HttpRequest, me: Membership) -> HttpResponse:
    query = request.POST.get("query", "")
    target = reverse("personalization-library") + "?" + (query if query else f"school={me.school_id}")
    if query and "school=" not in query:
        target += f"&school={me.school_id}"
    return redirect(target)


@_handled
@require_POST
def resource_save(request: HttpRequest, resource_id: int) -> HttpResponse:
    me = _me(request)
    saved = services.resource_save(learner=_user(request), school=me.school, resource_id=resource_id)
    messages.success(request, _("“%s” is in your library.") % saved.resource.title)
    return _back_to_library(request, me)


@_handled
@require_POST
def resource_unsave(request: HttpRequest, resource_id: int) -> HttpResponse:
    me = _me(request)
    services.resource_unsave(learner=_user(request), school=me.school, resource_id=resource_id)
    messages.success(request, _("Removed from your library."))
    return _back_to_library(request, me)
