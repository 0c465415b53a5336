"""Pages that change a school's framework, under /school/<school_id>/frameworks/<framework_id>/: add a
domain or a competency, edit a competency, add or remove a prerequisite, copy a shared framework to the
school. Each form also appears on the framework page; these pages show it again with its errors (400).

The school's staff reach them (others get 404, as on the framework page); staff who may not write (a
para-professional) and anyone asking to change a shared framework get the refusal page (403) saying why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tessera.api_input import request_user
from tessera.curriculum import permissions, selectors
from tessera.curriculum.frameworks import forms, services
from tessera.curriculum.models import Competency, Framework
from tessera.schools.errors import DomainError, PermissionDenied, form_write, refusal_page
from tessera.schools.models import School, User

TEMPLATE = "curriculum/frameworks/form.html"


def _framework(request: HttpRequest, school_id: int, framework_id: int) -> tuple[User, School, Framework]:
    """The school (its staff only) and one of the frameworks its pages show (its own or a shared one)."""
    user = request_user(request)
    school = get_object_or_404(permissions.schools_staffed_by(user), pk=school_id)
    framework = selectors.school_frameworks_for(user, school).filter(pk=framework_id).first()
    if framework is None:
        raise Http404("No such framework.")
    return user, school, framework


def _back(school: School, framework: Framework, anchor: str = "") -> str:
    return reverse("curriculum-framework", args=[school.pk, framework.pk]) + anchor


def _page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, TEMPLATE, context, status=400 if request.method == "POST" else 200)


def _refused(request: HttpRequest, user: User, framework: Framework) -> HttpResponse | None:
    try:
        services.framework_writable_check(user, framework)
    except PermissionDenied as error:
        return refusal_page(request, error.message)
    return None


def _write_page(
    request: HttpRequest,
    school: School,
    framework: Framework,
    form: Form,
    write: Callable[[], Any],
    *,
    done: Callable[[Any], tuple[str, str]],
    title: str,
    button: str,
) -> HttpResponse:
    """A framework-change form: on a valid POST, ``write``, say ``done(result)``'s message and go back to
    the framework at its anchor; else the form again (with the reason after a refused POST)."""
    if request.method == "POST":
        saved, refusal = form_write(form, request, write)
        if refusal:
            return refusal
        if saved is not None:
            message, anchor = done(saved)
            messages.success(request, message)
            return redirect(_back(school, framework, anchor))
    context = {"school": school, "framework": framework, "form": form, "title": title, "button": button}
    return _page(request, context)


@login_required
@require_http_methods(["GET", "POST"])
def domain_add(request: HttpRequest, school_id: int, framework_id: int) -> HttpResponse:
    user, school, framework = _framework(request, school_id, framework_id)
    if refused := _refused(request, user, framework):
        return refused
    form = forms.DomainForm(request.POST or None, prefix="domain")
    return _write_page(
        request,
        school,
        framework,
        form,
        lambda: services.domain_add(
            actor=user, framework=framework, name=form.cleaned_data["name"], code=form.cleaned_data["code"]
        ),
        done=lambda domain: (
            _("Domain “%(name)s” added.") % {"name": domain.name},
            f"#h-{slugify(domain.code)}",
        ),
        title=_("Add a domain"),
        button=_("Add"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def competency_add(request: HttpRequest, school_id: int, framework_id: int) -> HttpResponse:
    user, school, framework = _framework(request, school_id, framework_id)
    if refused := _refused(request, user, framework):
        return refused
    form = forms.CompetencyForm(
        request.POST or None, prefix="competency", domains=framework.domains.order_by("position")
    )
    return _write_page(
        request,
        school,
        framework,
        form,
        lambda: services.competency_add(
            actor=user,
            domain=form.cleaned_data["domain"],
            name=form.cleaned_data["name"],
            code=form.cleaned_data["code"],
            description=form.cleaned_data["description"],
        ),
        done=lambda competency: (
            _("Competency “%(name)s” added.") % {"name": competency.name},
            f"#c-{slugify(competency.code)}",
        ),
        title=_("Add a competency"),
        button=_("Add"),
    )


def _competency(framework: Framework, competency_id: int) -> Competency:
    return get_object_or_404(framework.competencies.select_related("framework"), pk=competency_id)


@login_required
@require_http_methods(["GET", "POST"])
def competency_edit(
    request: HttpRequest, school_id: int, framework_id: int, competency_id: int
) -> HttpResponse:
    user, school, framework = _framework(request, school_id, framework_id)
    competency = _competency(framework, competency_id)
    if refused := _refused(request, user, framework):
        return refused
    initial = {"name": competency.name, "description": competency.description}
    form = forms.CompetencyEditForm(request.POST or None, initial=initial)
    return _write_page(
        request,
        school,
        framework,
        form,
        lambda: services.competency_edit(
            actor=user,
            competency=competency,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
        ),
        done=lambda edited: (
            _("Competency “%(name)s” saved.") % {"name": edited.name},
            f"#c-{slugify(edited.code)}",
        ),
        title=_("Edit “%(name)s”") % {"name": competency.name},
        button=_("Save"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def prerequisite_add(
    request: HttpRequest, school_id: int, framework_id: int, competency_id: int
) -> HttpResponse:
    user, school, framework = _framework(request, school_id, framework_id)
    competency = _competency(framework, competency_id)
    if refused := _refused(request, user, framework):
        return refused
    choices = (
        framework.competencies.exclude(pk=competency.pk)
        .exclude(unlocks_links__competency=competency)
        .order_by("domain__position", "position")
    )
    form = forms.PrerequisiteForm(request.POST or None, choices=choices)
    if request.method == "POST":
        edge, refusal = form_write(
            form,
            request,
            lambda: services.prerequisite_add(
                actor=user, competency=competency, prerequisite=form.cleaned_data["prerequisite"]
            ),
        )
        if refusal:
            return refusal
        if edge is not None:
            messages.success(
                request,
                _("“%(prerequisite)s” now comes before “%(competency)s”.")
                % {"prerequisite": edge.prerequisite.name, "competency": competency.name},
            )
            return redirect(_back(school, framework, f"#c-{slugify(competency.code)}"))
    context = {
        "school": school,
        "framework": framework,
        "form": form,
        "title": _("Add a prerequisite to “%(name)s”") % {"name": competency.name},
        "button": _("Add the prerequisite"),
    }
    return _page(request, context)


@login_required
@require_http_methods(["GET", "POST"])
def prerequisite_remove(
    request: HttpRequest, school_id: int, framework_id: int, competency_id: int, prerequisite_id: int
) -> HttpResponse:
    user, school, framework = _framework(request, school_id, framework_id)
    competency = _competency(framework, competency_id)
    edge = get_object_or_404(
        competency.prerequisite_links.select_related("prerequisite"), prerequisite_id=prerequisite_id
    )
    prerequisite = edge.prerequisite
    if refused := _refused(request, user, framework):
        return refused
    if request.method == "POST":
        services.prerequisite_remove(actor=user, competency=competency, prerequisite=prerequisite)
        messages.success(
            request,
            _("“%(prerequisite)s” no longer comes before “%(competency)s”.")
            % {"prerequisite": prerequisite.name, "competency": competency.name},
        )
        return redirect(_back(school, framework, f"#c-{slugify(competency.code)}"))
    context = {
        "school": school,
        "framework": framework,
        "title": _("Remove a prerequisite"),
        "question": _("Remove “%(prerequisite)s” as a prerequisite of “%(competency)s”?")
        % {"prerequisite": prerequisite.name, "competency": competency.name},
        "button": _("Remove"),
    }
    return render(request, "curriculum/frameworks/confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def framework_copy(request: HttpRequest, school_id: int, framework_id: int) -> HttpResponse:
    user, school, framework = _framework(request, school_id, framework_id)
    if not framework.shared:
        raise Http404("Only a shared framework is copied.")
    if not permissions.can_write_curriculum(user, school):
        return refusal_page(
            request, _("Only the school's teachers, specialists and administrators copy frameworks to it.")
        )
    error = None
    if request.method == "POST":
        try:
            copy = services.framework_copy(actor=user, framework=framework, school=school)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(
                request,
                _("“%(name)s” is copied to your school as %(code)s: this copy is yours to change.")
                % {"name": copy.name, "code": copy.code},
            )
            return redirect("curriculum-framework", school.pk, copy.pk)
    context = {
        "school": school,
        "framework": framework,
        "title": _("Copy to my school"),
        "question": _(
            "Copy “%(name)s” with its competencies, prerequisites, items and resources to %(school)s? The "
            "copy belongs to the school: its teachers can change it. The shared framework stays as it is."
        )
        % {"name": framework.name, "school": school.name},
        "button": _("Copy to my school"),
        "error": error,
    }
    return render(request, "curriculum/frameworks/confirm.html", context, status=400 if error else 200)
