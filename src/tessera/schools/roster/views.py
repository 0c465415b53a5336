"""Roster management pages for school administrators: classes, people, enrolments, assignments, import.

Every page starts from ``permissions.schools_managed_by(user)``: anyone who does not administer the
school gets 404, so the pages do not reveal that a school exists. Views parse, authorize, call a service
or selector and render; a POST that succeeds redirects with a message, a POST that fails renders the
page again with the reason as a form error (status 400) and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tessera.schools import permissions, selectors, services
from tessera.schools.errors import DomainError, add_form_error
from tessera.schools.models import (
    AcademicTerm,
    Guardianship,
    Membership,
    School,
    SchoolClass,
    SupportAssignment,
    TeachingAssignment,
    User,
)
from tessera.schools.roster import forms as roster_forms
from tessera.schools.roster import imports as roster_import

Role = Membership.Role
PEOPLE_PER_PAGE = 25
COUNT_LABELS = {
    "people": ("person", "people"),
    "roles": ("role", "roles"),
    "guardian links": ("guardian link", "guardian links"),
    "enrolments": ("enrolment", "enrolments"),
    "teaching assignments": ("teaching assignment", "teaching assignments"),
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _school(request: HttpRequest, school_id: int) -> School:
    return get_object_or_404(permissions.schools_managed_by(_user(request)), pk=school_id)


def _submitted(request: HttpRequest, form: forms.Form, write: Callable[[dict[str, Any]], str]) -> bool:
    """Run ``write`` with a valid form's data; its message confirms success, a domain error (such as a
    Conflict on a repeated submit) becomes the form's error."""
    if not form.is_valid():
        return False
    try:
        message = write(form.cleaned_data)
    except DomainError as error:
        add_form_error(form, error)
        return False
    messages.success(request, message)
    return True


def _status(request: HttpRequest) -> int:
    """200 for a page shown, 400 when it is shown again because a submitted form was wrong."""
    return 400 if request.method == "POST" else 200


# --- overview, terms and classes -------------------------------------------------------------------


@login_required
def roster_home(request: HttpRequest, school_id: int) -> HttpResponse:
    school = _school(request, school_id)
    summary = next(s for s in selectors.schools_administered_by(_user(request)) if s.school.pk == school.pk)
    return render(request, "schools/roster_home.html", {"school": school, "summary": summary})


@login_required
def roster_terms(request: HttpRequest, school_id: int) -> HttpResponse:
    school = _school(request, school_id)
    form = roster_forms.TermForm(request.POST or None)

    def create(data: dict[str, Any]) -> str:
        term = services.term_create(actor=_user(request), school=school, **data)
        return _("Term “%s” created.") % term.name

    if request.method == "POST" and _submitted(request, form, create):
        return redirect("roster-terms", school.pk)
    terms = school.academicterm_set.all()
    return render(
        request,
        "schools/roster_terms.html",
        {"school": school, "terms": terms, "form": form, "today": timezone.localdate()},
        status=_status(request),
    )


@login_required
def roster_term(request: HttpRequest, school_id: int, term_id: int) -> HttpResponse:
    """Move a term's last day: later to extend it (its classes open again), earlier to end it."""
    school = _school(request, school_id)
    term = get_object_or_404(AcademicTerm.objects.filter(school=school), pk=term_id)
    form = roster_forms.TermEndForm(request.POST or None, initial={"ends_on": term.ends_on})

    def change(data: dict[str, Any]) -> str:
        services.term_end_change(actor=_user(request), term=term, ends_on=data["ends_on"])
        return _("%(term)s now ends on %(day)s.") % {"term": term.name, "day": f"{term.ends_on:%Y-%m-%d}"}

    if request.method == "POST" and _submitted(request, form, change):
        return redirect("roster-terms", school.pk)
    if request.method == "POST":
        term.refresh_from_db()
    return render(
        request,
        "schools/roster_term.html",
        {"school": school, "term": term, "form": form},
        status=_status(request),
    )


@login_required
def roster_classes(request: HttpRequest, school_id: int) -> HttpResponse:
    school = _school(request, school_id)
    form = roster_forms.ClassForm(request.POST or None, school=school)

    def create(data: dict[str, Any]) -> str:
        school_class = services.class_create(actor=_user(request), school=school, **data)
        return _("Class “%s” created.") % school_class.name

    if request.method == "POST" and _submitted(request, form, create):
        return redirect("roster-classes", school.pk)
    context = {"school": school, "classes": selectors.school_classes(school), "form": form}
    return render(request, "schools/roster_classes.html", context, status=_status(request))


# --- one class: enrol, unenrol, assign teachers ----------------------------------------------------


def _class(school: School, class_id: int) -> SchoolClass:
    school_class = selectors.school_class_for_admin(school, class_id)
    if school_class is None:
        raise Http404("No such class.")
    return school_class


def _class_page(
    request: HttpRequest,
    school: School,
    school_class: SchoolClass,
    *,
    enrol: roster_forms.EnrolForm | None = None,
    teacher: roster_forms.TeacherAssignForm | None = None,
) -> HttpResponse:
    context = {
        "school": school,
        "school_class": school_class,
        "enrolments": school_class.enrolments.select_related("learner").order_by(
            "learner__last_name", "learner__first_name"
        ),
        "enrol_form": enrol or roster_forms.EnrolForm(school=school, prefix="enrol"),
        "teacher_form": teacher or roster_forms.TeacherAssignForm(school=school, prefix="teacher"),
        "term_ended": school_class.term.ends_on < timezone.localdate(),
    }
    return render(request, "schools/roster_class.html", context, status=_status(request))


@login_required
def roster_class(request: HttpRequest, school_id: int, class_id: int) -> HttpResponse:
    school = _school(request, school_id)
    return _class_page(request, school, _class(school, class_id))


@login_required
@require_POST
def roster_class_enrol(request: HttpRequest, school_id: int, class_id: int) -> HttpResponse:
    school = _school(request, school_id)
    school_class = _class(school, class_id)
    form = roster_forms.EnrolForm(request.POST, school=school, prefix="enrol")

    def enrol(data: dict[str, Any]) -> str:
        learner = data["learner"].user
        services.learner_enrol(actor=_user(request), school_class=school_class, learner=learner)
        return _("%(learner)s enrolled in %(class)s.") % {"learner": learner.name, "class": school_class.name}

    if _submitted(request, form, enrol):
        return redirect("roster-class", school.pk, school_class.pk)
    return _class_page(request, school, school_class, enrol=form)


@login_required
@require_POST
def roster_class_teacher(request: HttpRequest, school_id: int, class_id: int) -> HttpResponse:
    school = _school(request, school_id)
    school_class = _class(school, class_id)
    form = roster_forms.TeacherAssignForm(request.POST, school=school, prefix="teacher")

    def assign(data: dict[str, Any]) -> str:
        teacher = data["teacher"].user
        services.teacher_assign(
            actor=_user(request), school_class=school_class, teacher=teacher, kind=data["kind"]
        )
        return _("%(teacher)s now teaches %(class)s.") % {"teacher": teacher.name, "class": school_class.name}

    if _submitted(request, form, assign):
        return redirect("roster-class", school.pk, school_class.pk)
    return _class_page(request, school, school_class, teacher=form)


def _confirm(
    request: HttpRequest, school: School, *, title: str, explanation: str, action: str, back: str
) -> HttpResponse:
    """The page that asks before a removal; its form posts back to the same URL."""
    context = {
        "school": school,
        "title": title,
        "explanation": explanation,
        "action": action,
        "cancel_url": back,
    }
    return render(request, "schools/roster_confirm.html", context)


@login_required
def roster_class_unenrol(
    request: HttpRequest, school_id: int, class_id: int, learner_id: int
) -> HttpResponse:
    """GET asks for confirmation; POST removes the learner from the class. Repeating it is harmless: a
    learner who is no longer enrolled gets a message instead of an error page."""
    school = _school(request, school_id)
    school_class = _class(school, class_id)
    learner = _person(school, learner_id, Role.LEARNER)
    names = {"learner": learner.name, "class": school_class.name}
    back = reverse("roster-class", args=[school.pk, school_class.pk])
    if request.method == "POST":
        try:
            services.learner_unenrol(actor=_user(request), school_class=school_class, learner=learner)
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, _("%(learner)s removed from %(class)s.") % names)
        return redirect(back)
    if not school_class.enrolments.filter(learner=learner).exists():
        messages.info(request, _("%(learner)s is not enrolled in %(class)s.") % names)
        return redirect(back)
    return _confirm(
        request,
        school,
        title=_("Remove %(learner)s from %(class)s?") % names,
        explanation=_("The learner stays in the school and can be enrolled again later."),
        action=_("Remove from class"),
        back=back,
    )


# --- people ----------------------------------------------------------------------------------------


@login_required
def roster_people(request: HttpRequest, school_id: int) -> HttpResponse:
    school = _school(request, school_id)
    search = roster_forms.PersonSearchForm(request.GET or None)
    query = search.cleaned_data if search.is_valid() else {}
    people = selectors.school_people(school, search=query.get("q", ""), role=query.get("role", ""))
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "schools/roster_people.html", {"school": school, "search": search, "page": page})


@login_required
def roster_person_add(request: HttpRequest, school_id: int) -> HttpResponse:
    school = _school(request, school_id)
    form = roster_forms.PersonForm(request.POST or None)
    added: list[int] = []

    def add(data: dict[str, Any]) -> str:
        membership = services.person_add(
            actor=_user(request),
            school=school,
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=data["role"],
            email=data["email"],
            birth_date=data["birth_date"],
            grade_level=data["grade_level"],
            specialty=data["specialty"] or "",
            require_same_person=True,
        )
        added.append(membership.user_id)
        return _("%(name)s added as %(role)s.") % {
            "name": membership.user.name,
            "role": membership.get_role_display().lower(),
        }

    if request.method == "POST" and _submitted(request, form, add):
        return redirect("roster-person", school.pk, added[0])
    return render(
        request, "schools/roster_person_add.html", {"school": school, "form": form}, status=_status(request)
    )


def _person(school: School, person_id: int, role: str = "") -> User:
    person = selectors.school_person(school, person_id, role=role)
    if person is None:
        raise Http404("No such person in this school.")
    return person


def _person_page(
    request: HttpRequest,
    school: School,
    person: User,
    *,
    support: roster_forms.SupportAssignForm | None = None,
    link: roster_forms.GuardianLinkForm | None = None,
    create: roster_forms.GuardianCreateForm | None = None,
) -> HttpResponse:
    context = {
        "school": school,
        "roster": selectors.person_roster(school, person),
        "support_form": support or roster_forms.SupportAssignForm(school=school, prefix="support"),
        "link_form": link or roster_forms.GuardianLinkForm(prefix="link", school=school),
        "create_form": create or roster_forms.GuardianCreateForm(prefix="guardian"),
        "audit": selectors.audit_of(school, person),
    }
    return render(request, "schools/roster_person.html", context, status=_status(request))


@login_required
def roster_person(request: HttpRequest, school_id: int, person_id: int) -> HttpResponse:
    school = _school(request, school_id)
    return _person_page(request, school, _person(school, person_id))


@login_required
@require_POST
def roster_person_support(request: HttpRequest, school_id: int, person_id: int) -> HttpResponse:
    school = _school(request, school_id)
    learner = _person(school, person_id, Role.LEARNER)
    form = roster_forms.SupportAssignForm(request.POST, school=school, prefix="support")

    def assign(data: dict[str, Any]) -> str:
        staff = data["staff"]
        services.supporter_assign(
            actor=_user(request), school=school, staff=staff.user, learner=learner, role=staff.role
        )
        return _("%(staff)s now works with %(learner)s.") % {
            "staff": staff.user.name,
            "learner": learner.name,
        }

    if _submitted(request, form, assign):
        return redirect("roster-person", school.pk, learner.pk)
    return _person_page(request, school, learner, support=form)


@login_required
@require_POST
def roster_guardian_link(request: HttpRequest, school_id: int, person_id: int) -> HttpResponse:
    school = _school(request, school_id)
    learner = _person(school, person_id, Role.LEARNER)
    form = roster_forms.GuardianLinkForm(request.POST, prefix="link", school=school)

    def link(data: dict[str, Any]) -> str:
        guardianship = services.guardian_link(
            actor=_user(request),
            school=school,
            guardian=data["username"],
            learner=learner,
            relationship=data["relationship"],
        )
        return str(guardianship) + "."

    if _submitted(request, form, link):
        return redirect("roster-person", school.pk, learner.pk)
    return _person_page(request, school, learner, link=form)


@login_required
@require_POST
def roster_guardian_create(request: HttpRequest, school_id: int, person_id: int) -> HttpResponse:
    school = _school(request, school_id)
    learner = _person(school, person_id, Role.LEARNER)
    form = roster_forms.GuardianCreateForm(request.POST, prefix="guardian")

    def create(data: dict[str, Any]) -> str:
        guardianship = services.guardian_create(
            actor=_user(request),
            school=school,
            learner=learner,
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            relationship=data["relationship"],
        )
        return _("Account created: %s. They can set a password with “Forgot password”.") % guardianship

    if _submitted(request, form, create):
        return redirect("roster-person", school.pk, learner.pk)
    return _person_page(request, school, learner, create=form)


@login_required
def roster_guardianship_revoke(request: HttpRequest, school_id: int, guardianship_id: int) -> HttpResponse:
    """GET asks for confirmation; POST ends the guardian's link to the learner. A link that is already
    revoked gets a message instead of an error page, so a repeated submit is harmless."""
    school = _school(request, school_id)
    guardianship = get_object_or_404(
        Guardianship.objects.filter(school=school).select_related("guardian", "learner"), pk=guardianship_id
    )
    names = {"guardian": guardianship.guardian.name, "learner": guardianship.learner.name}
    back = reverse("roster-person", args=[school.pk, guardianship.learner_id])
    if not guardianship.is_active:
        messages.info(request, _("%(guardian)s is no longer linked to %(learner)s.") % names)
        return redirect(back)
    if request.method == "POST":
        services.guardianship_revoke(actor=_user(request), guardianship=guardianship)
        messages.success(request, _("%(guardian)s is no longer linked to %(learner)s.") % names)
        return redirect(back)
    return _confirm(
        request,
        school,
        title=_("Unlink %(guardian)s from %(learner)s?") % names,
        explanation=_("The guardian will no longer see this learner. The account itself stays."),
        action=_("Revoke guardianship"),
        back=back,
    )


# --- access that ends: accounts, teaching and support ---------------------------------------------


def _act_or_confirm(
    request: HttpRequest,
    school: School,
    *,
    act: Callable[[], str],
    back: str,
    title: str,
    explanation: str,
    action: str,
) -> HttpResponse:
    """GET asks; POST does it and goes back with its message (a repeat gets the reason, not an error)."""
    if request.method == "POST":
        try:
            messages.success(request, act())
        except DomainError as error:
            messages.error(request, error.message)
        return redirect(back)
    return _confirm(request, school, title=title, explanation=explanation, action=action, back=back)


@login_required
def roster_person_deactivate(request: HttpRequest, school_id: int, person_id: int) -> HttpResponse:
    school = _school(request, school_id)
    person = _person(school, person_id)
    names = {"name": person.name}

    def act() -> str:
        services.account_deactivate(actor=_user(request), school=school, user=person)
        return _("%(name)s's account is deactivated and signed out everywhere.") % names

    return _act_or_confirm(
        request,
        school,
        act=act,
        back=reverse("roster-person", args=[school.pk, person.pk]),
        title=_("Deactivate %(name)s's account?") % names,
        explanation=_(
            "They are signed out on every device at once and cannot sign in; what they could see as a "
            "teacher, supporter, guardian or learner is closed to them. Nothing is deleted: you can "
            "reactivate the account later."
        ),
        action=_("Deactivate account"),
    )


@login_required
def roster_person_reactivate(request: HttpRequest, school_id: int, person_id: int) -> HttpResponse:
    school = _school(request, school_id)
    person = _person(school, person_id)
    names = {"name": person.name}

    def act() -> str:
        services.account_reactivate(actor=_user(request), school=school, user=person)
        return _("%(name)s's account is active again; they sign in with their password.") % names

    return _act_or_confirm(
        request,
        school,
        act=act,
        back=reverse("roster-person", args=[school.pk, person.pk]),
        title=_("Reactivate %(name)s's account?") % names,
        explanation=_("They can sign in again with the password they had, and their roles open again."),
        action=_("Reactivate account"),
    )


@login_required
def roster_teaching_end(request: HttpRequest, school_id: int, assignment_id: int) -> HttpResponse:
    school = _school(request, school_id)
    assignment = get_object_or_404(
        TeachingAssignment.objects.filter(school=school, ended_at__isnull=True).select_related(
            "teacher", "school_class"
        ),
        pk=assignment_id,
    )
    names = {"teacher": assignment.teacher.name, "class": assignment.school_class.name}

    def act() -> str:
        services.teaching_end(actor=_user(request), assignment=assignment)
        return _("%(teacher)s no longer teaches %(class)s.") % names

    return _act_or_confirm(
        request,
        school,
        act=act,
        back=reverse("roster-class", args=[school.pk, assignment.school_class_id]),
        title=_("End %(teacher)s's teaching of %(class)s?") % names,
        explanation=_(
            "From now on they no longer see the class, its learners or their families' messages. "
            "To undo it, assign them to the class again."
        ),
        action=_("End teaching"),
    )


@login_required
def roster_support_end(request: HttpRequest, school_id: int, assignment_id: int) -> HttpResponse:
    school = _school(request, school_id)
    assignment = get_object_or_404(
        SupportAssignment.objects.filter(school=school, ended_at__isnull=True).select_related(
            "staff", "learner"
        ),
        pk=assignment_id,
    )
    names = {"staff": assignment.staff.name, "learner": assignment.learner.name}

    def act() -> str:
        services.support_end(actor=_user(request), assignment=assignment)
        return _("%(staff)s no longer works with %(learner)s.") % names

    return _act_or_confirm(
        request,
        school,
        act=act,
        back=reverse("roster-person", args=[school.pk, assignment.learner_id]),
        title=_("End %(staff)s's work with %(learner)s?") % names,
        explanation=_(
            "From now on they no longer see this learner. To undo it, assign them to the learner again."
        ),
        action=_("End assignment"),
    )


# --- CSV import ------------------------------------------------------------------------------------


def _import_summary(result: roster_import.ImportResult) -> str:
    parts = [
        f"{count} {COUNT_LABELS.get(kind, (kind, kind))[count != 1]}"
        for kind, count in result.created.items()
        if count
    ]
    done = _("Imported %s.") % ", ".join(parts) if parts else _("Nothing new to import.")
    return f"{done} " + _("%d row(s) were already there and left unchanged.") % result.unchanged


@login_required
def roster_import_page(request: HttpRequest, school_id: int) -> HttpResponse:
    school = _school(request, school_id)
    form = roster_forms.ImportForm(request.POST or None, request.FILES or None)
    errors: list[roster_import.RowError] = []

    def run(data: dict[str, Any]) -> str:
        enrollments = data.get("enrollments")
        result = roster_import.roster_import(
            actor=_user(request),
            school=school,
            users=data["users"].read(roster_import.MAX_FILE_BYTES + 1),
            enrollments=enrollments.read(roster_import.MAX_FILE_BYTES + 1) if enrollments else None,
        )
        if not result.ok:
            errors.extend(result.errors)
            raise DomainError(
                _("%d bad row(s). Nothing was imported; fix them and upload again.") % len(errors),
                code="schools.import_rows_rejected",
            )
        return _import_summary(result)

    if request.method == "POST" and _submitted(request, form, run):
        return redirect("roster-import", school.pk)
    context = {
        "school": school,
        "form": form,
        "errors": errors,
        "max_rows": roster_import.MAX_ROWS,
        "role_names": list(roster_import.ROLE_MAP),
    }
    return render(request, "schools/roster_import.html", context, status=_status(request))


@login_required
def roster_import_example(request: HttpRequest, school_id: int, kind: str) -> HttpResponse:
    """Example files; the enrolments use one of the school's own classes so that they import as they are."""
    school = _school(request, school_id)
    if kind == "users":
        content = roster_import.EXAMPLE_USERS
    elif kind == "enrollments":
        first_class = selectors.school_classes(school).first()
        content = roster_import.example_enrollments(first_class.name if first_class else "Maths 7A")
    else:
        raise Http404("No such example.")
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}.csv"'
    return response
