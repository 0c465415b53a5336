"""The question bank's pages, under /school/<school_id>/items/.

The school's staff see its bank (its own frameworks' items and the shared ones', with answers); its
teachers, specialists and administrators write (others of the staff get the refusal page, 403); everyone
else gets 404. Bad input is a 400 with the form's errors, and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tessera.curriculum import permissions
from tessera.curriculum.items import selectors, services
from tessera.curriculum.items.forms import BankSearchForm, ItemForm
from tessera.curriculum.items.preview import ItemPreview, item_preview
from tessera.curriculum.items.services import ItemSpec
from tessera.curriculum.items.usage import answered_item_ids
from tessera.curriculum.models import Framework, Item
from tessera.schools.errors import DomainError, PermissionDenied, form_write, refusal_page
from tessera.schools.models import School, User

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _school(request: HttpRequest, school_id: int) -> School:
    return get_object_or_404(permissions.schools_staffed_by(_user(request)), pk=school_id)


def _item(request: HttpRequest, school: School, item_id: int) -> Item:
    item = selectors.bank_item(_user(request), school, item_id)
    if item is None:
        raise Http404("No such question.")
    return item


def _not_a_writer(request: HttpRequest) -> HttpResponse:
    return refusal_page(
        request, _("Only the school's teachers, specialists and administrators write its questions.")
    )


@login_required
def bank(request: HttpRequest, school_id: int) -> HttpResponse:
    user = _user(request)
    school = _school(request, school_id)
    frameworks = list(selectors.bank_frameworks(user, school))
    form = BankSearchForm(request.GET or None, tags=selectors.bank_tags(user, school), frameworks=frameworks)
    search = selectors.BankFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        search = selectors.BankFilter(
            query=data["q"].strip(),
            tag=data["tag"],
            kind=data["kind"],
            framework_id=data["framework"],
            include_retired=data["retired"],
        )
    page = Paginator(selectors.bank_items(user, school, search), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "school": school,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "searching": search != selectors.BankFilter(),
        "can_write": permissions.can_write_curriculum(user, school),
    }
    return render(request, "curriculum/items/bank.html", context)


def _preview_of(form: ItemForm, school: School) -> tuple[ItemPreview | None, str]:
    """The preview of a valid form, or the reason it cannot be shown."""
    if not form.is_valid():
        return None, _("Fix the fields marked below to see the preview.")
    spec = form.spec()
    try:
        services.item_spec_check(school_id=school.pk, spec=spec)
    except DomainError as error:
        return None, error.message
    return item_preview(spec), ""


def _editor(
    request: HttpRequest,
    school: School,
    framework: Framework,
    item: Item | None,
    save: Any,
) -> HttpResponse:
    """The editor for a new item (``item`` None) or an edit: GET shows it, "Preview" re-renders it with
    the preview, "Save" calls ``save(spec, client_id)`` and goes to the saved item."""
    competencies = selectors.framework_competencies(framework)
    preview: ItemPreview | None = None
    problem = ""
    status = 200
    if request.method == "POST":
        form = ItemForm(request.POST, competencies=competencies)
        if request.POST.get("action") == "preview":
            preview, problem = _preview_of(form, school)
        else:
            saved, refused = form_write(
                form, request, lambda: save(form.spec(), form.cleaned_data.get("client_id") or None)
            )
            if refused is not None:
                return refused
            if saved is not None:
                if item is not None and saved.pk != item.pk:
                    messages.success(request, _("Saved as version %(n)d.") % {"n": saved.version})
                else:
                    messages.success(request, _("Question saved."))
                return redirect("curriculum-item", school.pk, saved.pk)
            status = 400
    else:
        initial = ItemForm.initial_of(ItemSpec.of(item)) if item is not None else {}
        form = ItemForm(initial=initial, competencies=competencies)
        if item is not None:
            preview = item_preview(ItemSpec.of(item))
    context = {
        "school": school,
        "framework": framework,
        "item": item,
        "form": form,
        "preview": preview,
        "preview_problem": problem,
        "answered": item is not None and bool(answered_item_ids([item.pk])),
    }
    return render(request, "curriculum/items/editor.html", context, status=status)


@login_required
def item_create(request: HttpRequest, school_id: int) -> HttpResponse:
    user = _user(request)
    school = _school(request, school_id)
    if not permissions.can_write_curriculum(user, school):
        return _not_a_writer(request)
    frameworks = list(selectors.writable_frameworks(user, school))
    chosen = request.GET.get("framework") or request.POST.get("framework")
    framework = next((f for f in frameworks if str(f.pk) == chosen), None)
    if framework is None and len(frameworks) == 1:
        framework = frameworks[0]
    if framework is None:
        context = {"school": school, "frameworks": frameworks}
        return render(request, "curriculum/items/framework_pick.html", context)

    def save(spec: ItemSpec, client_id: str | None) -> Item:
        return services.item_create(actor=user, framework=framework, spec=spec, client_id=client_id)

    return _editor(request, school, framework, None, save)


@login_required
def item_edit(request: HttpRequest, school_id: int, item_id: int) -> HttpResponse:
    user = _user(request)
    school = _school(request, school_id)
    item = _item(request, school, item_id)
    if item.framework.shared:
        return refusal_page(
            request, _("Shared frameworks are read-only: duplicate the question to change it.")
        )
    if not permissions.can_write_curriculum(user, school):
        return _not_a_writer(request)
    if item.superseded_at is not None:
        return redirect("curriculum-item-edit", school.pk, selectors.item_current(item).pk)

    def save(spec: ItemSpec, client_id: str | None) -> Item:
        return services.item_edit(actor=user, item=item, spec=spec)

    return _editor(request, school, item.framework, item, save)


@login_required
def item_page(request: HttpRequest, school_id: int, item_id: int) -> HttpResponse:
    user = _user(request)
    school = _school(request, school_id)
    item = _item(request, school, item_id)
    context = {
        "school": school,
        "item": item,
        "preview": item_preview(ItemSpec.of(item, [])),
        "links": item.links,  # type: ignore[attr-defined]
        "versions": selectors.item_versions(item),
        "current": selectors.item_current(item),
        "can_write": not item.framework.shared and permissions.can_write_curriculum(user, school),
    }
    return render(request, "curriculum/items/item.html", context)


def _act(request: HttpRequest, school_id: int, item_id: int, act: Any, done: str) -> HttpResponse:
    school = _school(request, school_id)
    item = _item(request, school, item_id)
    try:
        result = act(_user(request), item)
    except PermissionDenied as error:
        return refusal_page(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("curriculum-item", school.pk, item.pk)
    messages.success(request, done)
    return redirect("curriculum-item", school.pk, result.pk)


@login_required
@require_POST
def item_retire(request: HttpRequest, school_id: int, item_id: int) -> HttpResponse:
    return _act(
        request,
        school_id,
        item_id,
        lambda user, item: services.item_retire(actor=user, item=item),
        _("Question retired: practice no longer offers it. Its answers and versions are kept."),
    )


@login_required
@require_POST
def item_restore(request: HttpRequest, school_id: int, item_id: int) -> HttpResponse:
    return _act(
        request,
        school_id,
        item_id,
        lambda user, item: services.item_restore(actor=user, item=item),
        _("Question restored: practice offers it again."),
    )


@login_required
@require_POST
def item_duplicate(request: HttpRequest, school_id: int, item_id: int) -> HttpResponse:
    return _act(
        request,
        school_id,
        item_id,
        lambda user, item: services.item_duplicate(actor=user, item=item),
        _("Copy made: it is a new question you can change."),
    )


@login_required
@require_POST
def item_preview_fragment(request: HttpRequest, school_id: int) -> HttpResponse:
    """The preview region for the editor's script: the posted form rendered as a learner sees it."""
    school = _school(request, school_id)
    data = request.POST.copy()
    data.setlist("competencies", [])
    data["primary"] = ""
    form = ItemForm(data, competencies=[])
    preview, problem = _preview_of(form, school)
    context = {"preview": preview, "preview_problem": problem}
    return render(request, "curriculum/items/_preview.html", context, status=400 if problem else 200)
