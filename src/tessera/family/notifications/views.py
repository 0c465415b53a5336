"""The guardian's notification settings page, /family/notifications/. Parse, authorize, call, render.

Anyone without a current guardianship gets the same 403 page as /family/. The page also shows what the
weekly e-mail would say now (the digest of the last seven days), built by the same code that sends it.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tessera.family.notifications.digest import digest_build
from tessera.family.notifications.forms import NotificationSettingsForm
from tessera.family.notifications.selectors import notification_settings_of, timezone_choices
from tessera.family.notifications.services import notification_settings_update
from tessera.family.permissions import feeds_visible_to
from tessera.schools.errors import DomainError, add_form_error
from tessera.schools.models import User


@require_http_methods(["GET", "POST"])
@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not feeds_visible_to(user).exists():
        return render(request, "family/not_a_guardian.html", status=403)
    status = 200
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                notification_settings_update(
                    guardian=user,
                    delivery=data["delivery"],
                    weekday=data["weekday"],
                    hour=data["hour"],
                    quiet_start=data["quiet_start"],
                    quiet_end=data["quiet_end"],
                    timezone=data["timezone"],
                )
            except DomainError as error:
                add_form_error(form, error)
            else:
                flash.success(request, _("Your notification settings are saved."))
                return redirect("family-notifications")
        status = 400
    else:
        form = NotificationSettingsForm.initial_from(notification_settings_of(user))
    return render(
        request,
        "family/notifications.html",
        {
            "form": form,
            "timezones": timezone_choices(user),
            "has_email": bool(user.email),
            "preview": digest_build(guardian=user, until=timezone.now()),
        },
        status=status,
    )
