"""The school administrator's page "Sharing with families", among the roster pages at
/school/<school_id>/sharing/: what the school always shares with guardians, and from which age learners
choose about their own profile, goals and reflections.

Like the roster pages, anyone who does not administer the school gets a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tessera.personalization.sharing import forms, permissions, services
from tessera.schools.errors import DomainError, add_form_error
from tessera.schools.models import User
from tessera.schools.permissions import schools_managed_by


@login_required
@require_http_methods(["GET", "POST"])
def sharing_policy(request: HttpRequest, school_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    school = get_object_or_404(schools_managed_by(user), pk=school_id)
    current = model_to_dict(permissions.policy_of(school.pk), fields=services.POLICY_FIELDS)
    form = forms.SharingPolicyForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            _policy, changed = services.sharing_policy_set(actor=user, school=school, data=form.cleaned_data)
        except DomainError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("Sharing with families saved.") if changed else _("Nothing changed."))
            return redirect("roster-sharing-policy", school.pk)
    return render(
        request,
        "personalization/sharing_policy.html",
        {"school": school, "form": form},
        status=400 if request.method == "POST" else 200,
    )
