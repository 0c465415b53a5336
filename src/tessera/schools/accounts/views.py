"""Account pages beyond Django's own: guardian invitations (create, accept).

Nobody signs themself up as a learner: schools add learners through the roster, and learners under 13
never get e-mail self-service (see :mod:`tessera.schools.invitations`). Guardians join with a code from
an administrator of their child's school.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PermissionDeniedPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from tessera.schools import permissions, selectors
from tessera.schools.accounts.forms import (
    GuardianInvitationForm,
    InvitationLinkForm,
    InvitationSignUpForm,
    LanguageForm,
)
from tessera.schools.errors import DomainError, add_form_error
from tessera.schools.invitations.services import (
    InvitationCodeError,
    NewGuardianAccount,
    guardian_invitation_accept,
    guardian_invitation_create,
)
from tessera.schools.models import User


def _signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest, learner_id: int) -> HttpResponse:
    """An administrator invites a guardian for one learner; the code is shown once, on this response."""
    user = _signed_in_user(request)
    learner = selectors.learner_detail_for(user, learner_id)
    if learner is None:
        raise Http404("No such learner.")
    if not permissions.can_manage_school(user, learner.school):
        raise PermissionDeniedPage("Only an administrator of this school can invite guardians.")
    form = GuardianInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = guardian_invitation_create(
                actor=user,
                learner=learner,
                email=form.cleaned_data["email"],
                relationship=form.cleaned_data["relationship"],
                accept_url=request.build_absolute_uri(reverse("invitation-accept")),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return render(
                request,
                "accounts/invitation_created.html",
                {"learner": learner, "invitation": issued.invitation, "code": issued.code},
            )
    return render(
        request,
        "accounts/invitation_form.html",
        {"learner": learner, "form": form, "invitation_days": settings.GUARDIAN_INVITATION_DAYS},
    )


@never_cache
@sensitive_post_parameters("code", "password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest) -> HttpResponse:
    """A guardian enters their code and either signs up or links the account they are signed in with."""
    signed_in = request.user.is_authenticated
    form: InvitationLinkForm | InvitationSignUpForm
    form = (
        InvitationLinkForm(request.POST or None) if signed_in else InvitationSignUpForm(request.POST or None)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if signed_in:
                guardianship = guardian_invitation_accept(code=data["code"], user=_signed_in_user(request))
            else:
                account = NewGuardianAccount(
                    username=data["username"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["password1"],
                )
                guardianship = guardian_invitation_accept(code=data["code"], new_account=account)
                login(request, guardianship.guardian, backend="django.contrib.auth.backends.ModelBackend")
        except InvitationCodeError as error:
            add_form_error(form, error, "code")
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Your account is now linked to %(learner)s at %(school)s.")
                % {"learner": guardianship.learner.name, "school": guardianship.school.name},
            )
            return redirect("home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "signed_in": signed_in})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def language_choose(request: HttpRequest) -> HttpResponse:
    """The signed-in person chooses the language of their pages (and of their children's news)."""
    user = _signed_in_user(request)
    form = LanguageForm(request.POST or None, initial={"language": user.language})
    if request.method == "POST" and form.is_valid():
        user.language = form.cleaned_data["language"]
        user.save(update_fields=["language"])
        language = user.language or translation.get_language_from_request(request)
        with translation.override(language):
            if user.language:
                messages.success(
                    request,
                    _("Your pages are now in %(language)s.") % {"language": user.get_language_display()},
                )
            else:
                messages.success(request, _("Your pages now follow your browser's language."))
        return redirect("account-language")
    return render(request, "accounts/language.html", {"form": form})
