"""Message and announcement pages under /family/messages/ and /family/announcements/.

Parse, authorize, call a service or selector, render. A conversation the user may not use (not theirs,
a revoked guardianship, a teacher who no longer teaches the child) is a 404, as is a school they do not
administer on the announcement form.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tessera.family.messages import selectors as sel
from tessera.family.messages import services
from tessera.family.messages.forms import AnnouncementForm, MessageForm
from tessera.schools.errors import DomainError, add_form_error
from tessera.schools.models import User
from tessera.schools.permissions import schools_managed_by


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_GET
@login_required
def message_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "family/messages/list.html",
        {
            "rows": sel.conversation_list(user),
            "counterparts": sel.counterparts_of(user),
            "schools": schools_managed_by(user).order_by("name"),
        },
    )


@require_POST
@login_required
def conversation_start(request: HttpRequest, school_id: int, learner_id: int, other_id: int) -> HttpResponse:
    try:
        conversation = services.conversation_start(
            actor=_user(request), school_id=school_id, learner_id=learner_id, other_id=other_id
        )
    except PermissionDenied as error:
        raise Http404("There is nobody to write to here.") from error
    return redirect("family-conversation", conversation_id=conversation.pk)


@require_http_methods(["GET", "POST"])
@login_required
def conversation_detail(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user = _user(request)
    conversation = sel.conversation_for(user, conversation_id)
    if conversation is None:
        raise Http404("There is no conversation with this id.")
    status = 200
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                services.message_send(
                    actor=user,
                    conversation=conversation,
                    text=form.cleaned_data["text"],
                    token=form.cleaned_data["token"],
                )
            except DomainError as error:
                add_form_error(form, error, "text")
            else:
                return redirect(reverse("family-conversation", args=[conversation.pk]) + "#latest")
        status = 400
    else:
        form = MessageForm()
        services.conversation_mark_read(actor=user, conversation=conversation)
    other = conversation.teacher if conversation.guardian_id == user.pk else conversation.guardian
    return render(
        request,
        "family/messages/conversation.html",
        {
            "conversation": conversation,
            "other": other,
            "messages_": sel.messages_of(conversation),
            "form": form,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def announcement_new(request: HttpRequest, school_id: int) -> HttpResponse:
    user = _user(request)
    school = schools_managed_by(user).filter(pk=school_id).first()
    if school is None:
        raise Http404("There is no school with this id that you administer.")
    status = 200
    if request.method == "POST":
        form = AnnouncementForm(request.POST, school_id=school.pk)
        if form.is_valid():
            services.announcement_post(
                actor=user,
                school=school,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                school_class=form.cleaned_data["school_class"],
            )
            flash.success(request, _("Announcement posted."))
            return redirect("family-announcement-new", school_id=school.pk)
        status = 400
    else:
        form = AnnouncementForm(school_id=school.pk)
    return render(
        request, "family/messages/announcement_new.html", {"school": school, "form": form}, status=status
    )
