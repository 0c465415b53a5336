"""Curriculum pages for a school's staff, under /school/<school_id>/frameworks/.

Staff of the school (administrators, teachers, specialists, para-professionals) see its frameworks and
the shared ones; only administrators import. Everyone else gets 404, so the pages reveal nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tessera.curriculum import forms, framework_csv, framework_file, permissions, selectors, services
from tessera.curriculum.framework_file import FileError
from tessera.curriculum.frameworks import forms as framework_forms
from tessera.schools import permissions as school_permissions
from tessera.schools.models import School, User


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _school(request: HttpRequest, school_id: int) -> School:
    return get_object_or_404(permissions.schools_staffed_by(_user(request)), pk=school_id)


@login_required
def framework_list(request: HttpRequest, school_id: int) -> HttpResponse:
    user = _user(request)
    school = _school(request, school_id)
    context = {
        "school": school,
        "frameworks": selectors.school_frameworks_for(user, school),
        "can_import": school_permissions.can_manage_school(user, school),
    }
    return render(request, "curriculum/framework_list.html", context)


@login_required
def framework_page(request: HttpRequest, school_id: int, framework_id: int) -> HttpResponse:
    user = _user(request)
    school = _school(request, school_id)
    framework = selectors.school_frameworks_for(user, school).filter(pk=framework_id).first()
    if framework is None:
        raise Http404("No such framework.")
    domains = selectors.framework_tree(framework)
    writer = permissions.can_write_curriculum(user, school)
    context: dict[str, Any] = {
        "school": school,
        "framework": framework,
        "domains": domains,
        "resources": selectors.framework_resources(framework),
        "can_write": writer and not framework.shared,
        "can_copy": writer and framework.shared,
    }
    if context["can_write"]:
        context |= {
            "competencies": [row.competency for domain in domains for row in domain.competencies],
            "domain_form": framework_forms.DomainForm(prefix="domain"),
            "competency_form": framework_forms.CompetencyForm(
                prefix="competency", domains=framework.domains.order_by("position")
            ),
        }
    return render(request, "curriculum/framework.html", context)


def _document(data: dict[str, Any]) -> framework_file.FrameworkDocument | list[FileError]:
    if data.get("file"):
        return framework_file.framework_file_parse(framework_file.read_capped(data["file"]) or b"")
    return framework_csv.framework_csv_parse(
        code=data["code"],
        name=data["name"],
        competencies=framework_file.read_capped(data["competencies"]) or b"",
        items=framework_file.read_capped(data.get("items")),
    )


@login_required
def framework_import_page(request: HttpRequest, school_id: int) -> HttpResponse:
    user = _user(request)
    school = get_object_or_404(school_permissions.schools_managed_by(user), pk=school_id)
    posted = request.method == "POST"
    form = forms.FrameworkImportForm(request.POST, request.FILES) if posted else forms.FrameworkImportForm()
    errors: list[FileError] = []
    if posted and form.is_valid():
        result = services.framework_import(actor=user, school=school, document=_document(form.cleaned_data))
        if result.framework is not None:
            messages.success(request, _("Framework “%s” imported.") % result.framework.name)
            return redirect("curriculum-framework", school.pk, result.framework.pk)
        errors = result.errors
        form.add_error(
            None, _("%d error(s) in the file. Nothing was imported; fix them and upload again.") % len(errors)
        )
    context: dict[str, Any] = {"school": school, "form": form, "errors": errors}
    return render(request, "curriculum/framework_import.html", context, status=400 if posted else 200)
