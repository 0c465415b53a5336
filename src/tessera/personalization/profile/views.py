"""The learner's profile pages under /me/profile/ (the profile, their sharing choices, its history), and
the read-only profile and history for the people who work with a learner (and guardians, as the sharing
rule allows) under /learners/<membership id>/profile/."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tessera.personalization.profile import forms, selectors, services
from tessera.personalization.sharing import permissions  # the sharing rule's topics
from tessera.personalization.views import _context, _handled, _learner_sharing, _me, _url, _user
from tessera.schools.errors import DomainError, add_form_error
from tessera.schools.models import Membership


def _profile_page(
    request: HttpRequest,
    me: Membership,
    *,
    form: forms.ProfileForm | None = None,
    sharing: forms.SharingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    view = selectors.profile_view(user, me.school)
    if form is None:
        form = forms.ProfileForm(
            initial=forms.ProfileForm.initial_from(selectors.profile_of(user, me.school))
        )
    if sharing is None:
        shared = {"profile": view.shares_profile, "goals": view.shares_goals}
        sharing = forms.SharingForm(initial={**shared, "reflections": view.shares_reflections})
    context = _context(request, me, "profile", form=form, view=view, sharing=sharing)
    return render(request, "personalization/profile_edit.html", context, status=status)


@_handled
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    me, user = _me(request), _user(request)
    profile = selectors.profile_of(user, me.school)
    form = forms.ProfileForm(request.POST or None, initial=forms.ProfileForm.initial_from(profile))
    if request.method == "POST" and form.is_valid():
        try:
            _profile, changed = services.profile_update(
                learner=user, school=me.school, data=form.cleaned_data
            )
        except DomainError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("Profile saved.") if changed else _("Nothing changed."))
            return redirect(_url("personalization-profile", me))
    return _profile_page(request, me, form=form, status=400 if request.method == "POST" else 200)


@_handled
@require_POST
def profile_sharing(request: HttpRequest) -> HttpResponse:
    """The learner's three sharing choices. Reflections without goals is a form error (400, nothing
    saved); below the school's choosing age a 403 says the school shares them until then."""
    me = _me(request)
    form = forms.SharingForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, me, sharing=form, status=400)
    data = form.cleaned_data
    _profile, changed = services.profile_sharing_set(
        learner=_user(request),
        school=me.school,
        profile=data["profile"],
        goals=data["goals"],
        reflections=data["reflections"],
    )
    shared = [
        str(label)
        for label, chosen in (
            (_("your profile"), data["profile"]),
            (_("your goals"), data["goals"]),
            (_("your reflections"), data["reflections"]),
        )
        if chosen
    ]
    if not changed:
        messages.success(request, _("Your choices are saved; nothing changed."))
    elif shared:
        messages.success(request, _("Saved. Your family can now see: %s.") % ", ".join(shared))
    else:
        messages.success(
            request, _("Saved. Your profile, goals and reflections are now private from your family.")
        )
    return redirect(_url("personalization-profile", me))


@_handled
def profile_history(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    profile = selectors.profile_of(_user(request), me.school)
    rows = selectors.profile_history(profile) if profile else []
    return render(
        request,
        "personalization/profile_history.html",
        _context(request, me, "profile", rows=rows, learner=me),
    )


# --- for the people who work with a learner (and guardians, as the sharing rule allows) ----------


def _learner_with_profile(request: HttpRequest, membership_id: int) -> Membership:
    return _learner_sharing(request, membership_id, permissions.PROFILE)


@_handled
def learner_profile(request: HttpRequest, membership_id: int) -> HttpResponse:
    learner = _learner_with_profile(request, membership_id)
    view = selectors.profile_view(learner.user, learner.school)
    return render(request, "personalization/learner_profile.html", {"learner": learner, "view": view})


@_handled
def learner_profile_history(request: HttpRequest, membership_id: int) -> HttpResponse:
    learner = _learner_with_profile(request, membership_id)
    profile = selectors.profile_of(learner.user, learner.school)
    rows = selectors.profile_history(profile) if profile else []
    return render(
        request, "personalization/profile_history.html", {"learner": learner, "rows": rows, "read_only": True}
    )
