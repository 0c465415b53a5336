"""The learner's "How sure I feel" page under /me/confidence/: rate a competency, and read how it
compares with the evidence."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tessera.personalization.confidence import forms, selectors, services
from tessera.personalization.views import _context, _handled, _me, _url, _user
from tessera.schools.errors import DomainError, add_form_error


@_handled
@require_http_methods(["GET", "POST"])
def confidence(request: HttpRequest) -> HttpResponse:
    me, user = _me(request), _user(request)
    form = forms.ConfidenceForm(
        request.POST or None, competencies=selectors.goal_competencies(user, me.school)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.confidence_rate(
                learner=user,
                school=me.school,
                competency_id=form.cleaned_data["competency"],
                confidence=form.cleaned_data["confidence"],
            )
        except DomainError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("Thank you. See how it compares with your answers below."))
            return redirect(_url("personalization-confidence", me))
    context = _context(request, me, "confidence", form=form, rows=selectors.calibration_for(user, me.school))
    return render(
        request, "personalization/confidence.html", context, status=400 if request.method == "POST" else 200
    )
