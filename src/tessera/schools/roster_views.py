"""Roster management pages for school administrators: classes, people, enrolments, assignments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from tessera.schools import permissions
from tessera.schools.models import User


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def roster_home(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_object_or_404(permissions.schools_managed_by(_user(request)), pk=school_id)
    classes = school.schoolclass_set.select_related("term").order_by("grade_level", "name")
    return render(request, "schools/roster_home.html", {"school": school, "classes": classes})
