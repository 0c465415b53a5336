"""A learner's sign-in, managed by the teachers of their class and the school's administrators:
set or reset a password, and print sign-in cards for a class (``/classes/<id>/sign-in/``).

Anyone who may not manage the class's learners gets 404, like every other page of a class they cannot
see. A set password is confirmed with a message; a bad one is a form error (status 400) that changes
nothing. Printed cards carry new passwords, so that page is never cached.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tessera.api_input import request_user
from tessera.schools import permissions, services
from tessera.schools.errors import DomainError, add_form_error
from tessera.schools.models import Membership, SchoolClass
from tessera.schools.sign_in.forms import LearnerPasswordForm, SignInCardsForm


def _class(request: HttpRequest, class_id: int) -> SchoolClass:
    """A class whose learners' sign-in the user manages (its current teachers, the school's
    administrators), or 404."""
    school_class = (
        permissions.class_rosters_visible_to(request_user(request))
        .select_related("school", "term")
        .filter(pk=class_id)
        .first()
    )
    if school_class is None:
        raise Http404("No such class.")
    return school_class


def _learner(request: HttpRequest, school_class: SchoolClass, learner_id: int) -> Membership:
    membership = next(
        (
            m
            for m in services.sign_in_card_learners(request_user(request), school_class)
            if m.user_id == learner_id
        ),
        None,
    )
    if membership is None:
        raise Http404("No such learner in this class.")
    return membership


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def class_sign_in(request: HttpRequest, class_id: int) -> HttpResponse:
    """GET: the class's learners, whether each has a password, and the card options. POST: the cards."""
    user = request_user(request)
    school_class = _class(request, class_id)
    learners = services.sign_in_card_learners(user, school_class)
    form = SignInCardsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cards = services.sign_in_cards_issue(
                actor=user, school_class=school_class, reset_existing=form.cleaned_data["reset_existing"]
            )
        except DomainError as error:
            raise Http404(error.message) from None
        context = {
            "school_class": school_class,
            "cards": cards,
            "new_count": sum(card.password is not None for card in cards),
        }
        return render(request, "schools/sign_in_cards.html", context)
    with_password = sum(m.user.has_usable_password() for m in learners)
    context = {
        "school_class": school_class,
        "learners": learners,
        "with_password": with_password,
        "without_password": len(learners) - with_password,
        "form": form,
    }
    return render(request, "schools/class_sign_in.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def learner_password(request: HttpRequest, class_id: int, learner_id: int) -> HttpResponse:
    """Set or reset one learner's password (GET: the form)."""
    user = request_user(request)
    school_class = _class(request, class_id)
    learner = _learner(request, school_class, learner_id).user
    form = LearnerPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.learner_password_set(
                actor=user,
                school_class=school_class,
                learner=learner,
                password=form.cleaned_data["password1"],
            )
        except DomainError as error:
            add_form_error(form, error, "password1")
        else:
            messages.success(
                request,
                _("%(name)s's password is set. Give it to them privately; they sign in as “%(username)s”.")
                % {"name": learner.name, "username": learner.username},
            )
            return redirect("class-sign-in", school_class.pk)
    context = {"school_class": school_class, "learner": learner, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "schools/learner_password.html", context, status=status)
