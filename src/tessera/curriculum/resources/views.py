"""Resource pages under /school/<school_id>/frameworks/<framework_id>/resources/.

Everyone who may see the framework (its school's members, its learners' guardians; a shared framework,
members of any school) reads the list and each resource; a page-resource's text is rendered on the server
(Markdown, maths as MathML). The school's curriculum writers create, edit and delete; anyone else who may
see the framework is refused (403, saying why); everyone else gets 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tessera.curriculum.models import Framework, Resource
from tessera.curriculum.permissions import can_write_curriculum
from tessera.curriculum.resources import selectors, services
from tessera.curriculum.resources.forms import ResourceForm
from tessera.curriculum.rich_text import text_html
from tessera.schools.errors import PermissionDenied, form_write, refusal_page
from tessera.schools.models import School, User


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _place(request: HttpRequest, school_id: int, framework_id: int) -> tuple[School, Framework]:
    found = selectors.school_framework_for(_user(request), school_id, framework_id)
    if found is None:
        raise Http404("No such framework.")
    return found


def _resource(request: HttpRequest, framework: Framework, resource_id: int) -> Resource:
    resource = selectors.resource_for(_user(request), resource_id, framework)
    if resource is None:
        raise Http404("No such resource.")
    return resource


def _writes(user: User, framework: Framework) -> bool:
    return framework.school is not None and can_write_curriculum(user, framework.school)


def _refusal(request: HttpRequest, framework: Framework) -> HttpResponse | None:
    """The refusal page when the user may see the framework but not change its resources."""
    try:
        services.require_writer(_user(request), framework)
    except PermissionDenied as error:
        return refusal_page(request, error.message)
    return None


@login_required
def resource_list(request: HttpRequest, school_id: int, framework_id: int) -> HttpResponse:
    school, framework = _place(request, school_id, framework_id)
    context = {
        "school": school,
        "framework": framework,
        "resources": selectors.framework_resources(framework),
        "can_write": _writes(_user(request), framework),
    }
    return render(request, "curriculum/resources/list.html", context)


@login_required
def resource_page(request: HttpRequest, school_id: int, framework_id: int, resource_id: int) -> HttpResponse:
    school, framework = _place(request, school_id, framework_id)
    resource = _resource(request, framework, resource_id)
    body_html = mark_safe(text_html(resource.body)) if resource.form == Resource.Form.PAGE else ""  # noqa: S308
    context = {
        "school": school,
        "framework": framework,
        "resource": resource,
        "body_html": body_html,
        "can_write": _writes(_user(request), framework),
    }
    return render(request, "curriculum/resources/detail.html", context)


def _form(school: School, framework: Framework, request: HttpRequest, **kwargs: object) -> ResourceForm:
    return ResourceForm(
        request.POST if request.method == "POST" else None,
        competencies=framework.competencies.order_by("domain__position", "position", "pk"),
        files=selectors.files_for_resources(school),
        **kwargs,
    )


def _resource_form_page(
    request: HttpRequest,
    school: School,
    framework: Framework,
    resource: Resource | None,
    write: Callable[[ResourceForm], Resource],
    done: str,
) -> HttpResponse:
    """The resource form (new when ``resource`` is None): on a valid POST, ``write`` it and go to the
    resource with the message ``done``; else the form again (400 after a POST)."""
    refused = _refusal(request, framework)
    if refused:
        return refused
    initial = ResourceForm.initial_for(resource) if resource is not None else None
    form = _form(school, framework, request, initial=initial)
    if request.method == "POST":
        saved, refused = form_write(form, request, lambda: write(form))
        if refused:
            return refused
        if saved is not None:
            messages.success(request, done % saved.title)
            return redirect("curriculum-resource", school.pk, framework.pk, saved.pk)
    context = {"school": school, "framework": framework, "form": form, "resource": resource}
    return render(
        request, "curriculum/resources/form.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
def resource_create_page(request: HttpRequest, school_id: int, framework_id: int) -> HttpResponse:
    school, framework = _place(request, school_id, framework_id)
    return _resource_form_page(
        request,
        school,
        framework,
        None,
        lambda form: services.resource_create(
            actor=_user(request), framework=framework, data=form.resource_input()
        ),
        _("Resource “%s” added."),
    )


@login_required
def resource_edit_page(
    request: HttpRequest, school_id: int, framework_id: int, resource_id: int
) -> HttpResponse:
    school, framework = _place(request, school_id, framework_id)
    resource = _resource(request, framework, resource_id)
    return _resource_form_page(
        request,
        school,
        framework,
        resource,
        lambda form: services.resource_edit(
            actor=_user(request), resource=resource, data=form.resource_input()
        ),
        _("Resource “%s” saved."),
    )


@login_required
def resource_delete_page(
    request: HttpRequest, school_id: int, framework_id: int, resource_id: int
) -> HttpResponse:
    school, framework = _place(request, school_id, framework_id)
    resource = _resource(request, framework, resource_id)
    refused = _refusal(request, framework)
    if refused:
        return refused
    if request.method == "POST":
        try:
            services.resource_delete(actor=_user(request), resource=resource)
        except PermissionDenied as error:
            return refusal_page(request, error.message)
        messages.success(request, _("Resource “%s” deleted.") % resource.title)
        return redirect("curriculum-resources", school.pk, framework.pk)
    context = {"school": school, "framework": framework, "resource": resource}
    return render(request, "curriculum/resources/delete.html", context)
