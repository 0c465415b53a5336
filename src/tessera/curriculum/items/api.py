"""JSON API of a school's question bank: search, read with versions, create, edit (a new version once
answered), duplicate, retire, restore, and preview a spec without saving.

Staff of the school read (items come with their answers); its teachers, specialists and administrators
write; shared frameworks' items are read-only (403); everyone else gets 404.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.params.functions import Query

from tessera.api_input import BoundedPageNumberPagination, request_user
from tessera.curriculum import permissions
from tessera.curriculum.items import selectors, services
from tessera.curriculum.items.preview import item_preview
from tessera.curriculum.items.services import CompetencyLink, ItemSpec
from tessera.curriculum.models import TEXT_LENGTH, Item
from tessera.schools.errors import NotFound
from tessera.schools.models import School

router = Router(tags=["curriculum"])

Kind = Literal["multiple_choice", "multiple_selection", "numeric", "short_text", "open_response"]


class CompetencyLinkIn(Schema):
    id: int
    primary: bool = False


class ItemIn(Schema):
    """An item as a teacher writes it. Choice numbers count from 0. Text is Markdown with maths between
    ``\\(`` and ``\\)``; images are the school's uploads, ``![alt text](file:ID)``."""

    kind: Kind
    stem: str = Field(max_length=TEXT_LENGTH)
    choices: list[str] = Field(default_factory=list, max_length=50)
    correct_choice: int | None = None
    correct_choices: list[int] = Field(default_factory=list, max_length=50)
    numeric_answer: float | None = None
    tolerance: float = 0.0
    accepted_answers: list[str] = Field(default_factory=list, max_length=50)
    rubric: str = Field("", max_length=TEXT_LENGTH)
    hints: list[str] = Field(default_factory=list, max_length=50)
    feedback: str = Field("", max_length=TEXT_LENGTH)
    difficulty: float = 0.0
    language: str = Field("en", max_length=10)
    tags: list[str] = Field(default_factory=list, max_length=50)
    competencies: list[CompetencyLinkIn] = Field(default_factory=list, max_length=100)

    def spec(self, code: str = "") -> ItemSpec:
        return ItemSpec(
            kind=self.kind,
            stem=self.stem,
            choices=tuple(self.choices),
            correct_choice=self.correct_choice,
            correct_choices=tuple(self.correct_choices),
            numeric_answer=self.numeric_answer,
            tolerance=self.tolerance,
            accepted_answers=tuple(self.accepted_answers),
            rubric=self.rubric,
            hints=tuple(self.hints),
            feedback=self.feedback,
            difficulty=self.difficulty,
            language=self.language,
            tags=tuple(self.tags),
            competencies=tuple(CompetencyLink(c.id, c.primary) for c in self.competencies),
            code=code,
        )


class ItemCreateIn(ItemIn):
    framework_id: int
    code: str = Field("", max_length=64, description="Left empty, a code is made (unique in the framework).")
    client_id: str | None = Field(
        None, max_length=64, description="Made by the client; a retry with the same id creates nothing new."
    )


class ItemFields(Schema):
    id: int
    framework_id: int
    code: str
    kind: str
    stem: str
    version: int
    first_version_id: int
    tags: list[str]
    language: str
    difficulty: float
    created_at: datetime.datetime


class ItemOut(ItemFields):
    current: bool = Field(description="The current version of its lineage (earlier ones are kept).")
    retired: bool = Field(description="Retired: practice does not offer it.")

    @staticmethod
    def resolve_current(item: Item) -> bool:
        return item.superseded_at is None

    @staticmethod
    def resolve_retired(item: Item) -> bool:
        return item.retired_at is not None


class VersionOut(Schema):
    id: int
    version: int
    created_at: datetime.datetime
    superseded_at: datetime.datetime | None
    author: str | None


class CompetencyLinkOut(Schema):
    id: int
    code: str
    name: str
    primary: bool


class ItemDetailOut(ItemFields):
    current: bool
    retired: bool
    choices: list[str]
    correct_choice: int | None
    correct_choices: list[int]
    numeric_answer: float | None
    tolerance: float
    accepted_answers: list[str]
    rubric: str
    hints: list[str]
    feedback: str
    read_only: bool
    competencies: list[CompetencyLinkOut]
    versions: list[VersionOut]


class PreviewIn(ItemIn):
    pass


class PreviewOut(Schema):
    kind: str
    language: str
    stem_html: str
    choices_html: list[str]
    hints_html: list[str]
    feedback_html: str
    rubric_html: str
    speech: str = Field(description="What read-aloud says: the stem, then each option.")


def _school(request: HttpRequest, school_id: int) -> School:
    school = permissions.schools_staffed_by(request_user(request)).filter(pk=school_id).first()
    if school is None:
        raise NotFound(_("No such school."), code="schools.school_not_found")
    return school


def _item(request: HttpRequest, school_id: int, item_id: int) -> tuple[School, Item]:
    school = _school(request, school_id)
    item = selectors.bank_item(request_user(request), school, item_id)
    if item is None:
        raise NotFound(_("No such question."), code="curriculum.item_not_found")
    return school, item


def _detail(request: HttpRequest, school: School, item: Item) -> ItemDetailOut:
    user = request_user(request)
    fresh = selectors.bank_item(user, school, item.pk)
    assert fresh is not None
    return ItemDetailOut(
        **ItemOut.model_validate(fresh).model_dump(),
        choices=fresh.choices,
        correct_choice=fresh.correct_choice,
        correct_choices=fresh.correct_choices,
        numeric_answer=fresh.numeric_answer,
        tolerance=fresh.tolerance,
        accepted_answers=fresh.accepted_answers,
        rubric=fresh.rubric,
        hints=fresh.hints,
        feedback=fresh.feedback,
        read_only=fresh.framework.shared or not permissions.can_write_curriculum(user, school),
        competencies=[
            CompetencyLinkOut(
                id=link.competency_id,
                code=link.competency.code,
                name=link.competency.name,
                primary=link.primary,
            )
            for link in fresh.links  # type: ignore[attr-defined]
        ],
        versions=[
            VersionOut(
                id=v.pk,
                version=v.version,
                created_at=v.created_at,
                superseded_at=v.superseded_at,
                author=v.author.name if v.author else None,
            )
            for v in selectors.item_versions(fresh)
        ],
    )


@router.get(
    "/schools/{school_id}/items",
    response=list[ItemOut],
    summary="The school's question bank (staff): current versions, searched and filtered",
)
@paginate(BoundedPageNumberPagination, page_size=25)
def item_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    school_id: int,
    q: str = Query("", max_length=200, description="Words of the stem, or the code."),
    tag: str = Query("", max_length=40),
    kind: str = Query("", max_length=30, description="multiple_choice, numeric, …"),
    competency: int | None = None,
    framework: int | None = None,
    include_retired: bool = False,
):
    school = _school(request, school_id)
    search = selectors.BankFilter(
        query=q.strip(),
        tag=tag,
        kind=kind or "",
        competency_id=competency,
        framework_id=framework,
        include_retired=include_retired,
    )
    return selectors.bank_items(request_user(request), school, search)


# Before the item's own path: /items/{item_id} would otherwise take "preview" for an id (a 422).
@router.post(
    "/schools/{school_id}/items/preview",
    response=PreviewOut,
    summary="Render a question as a learner sees it, without saving (invalid maths or images: 400)",
)
def item_preview_render(request: HttpRequest, school_id: int, payload: PreviewIn) -> PreviewOut:
    school = _school(request, school_id)
    spec = payload.spec()
    services.item_spec_check(school_id=school.pk, spec=spec)
    preview = item_preview(spec)
    return PreviewOut(
        kind=preview.kind,
        language=preview.language,
        stem_html=preview.stem_html,
        choices_html=list(preview.choices_html),
        hints_html=list(preview.hints_html),
        feedback_html=preview.feedback_html,
        rubric_html=preview.rubric_html,
        speech=preview.speech,
    )


@router.get(
    "/schools/{school_id}/items/{item_id}",
    response=ItemDetailOut,
    summary="A question with its answer, competencies and versions (staff)",
)
def item_detail(request: HttpRequest, school_id: int, item_id: int) -> ItemDetailOut:
    school, item = _item(request, school_id, item_id)
    return _detail(request, school, item)


@router.post(
    "/schools/{school_id}/items",
    response={201: ItemDetailOut},
    summary="Write a question in one of the school's frameworks (teachers, specialists, administrators)",
)
def item_create(request: HttpRequest, school_id: int, payload: ItemCreateIn) -> Status[ItemDetailOut]:
    school = _school(request, school_id)
    framework = (
        selectors.bank_frameworks(request_user(request), school).filter(pk=payload.framework_id).first()
    )
    if framework is None:
        raise NotFound(_("No such framework."), code="curriculum.framework_not_found")
    item = services.item_create(
        actor=request_user(request),
        framework=framework,
        spec=payload.spec(code=payload.code),
        client_id=payload.client_id,
    )
    return Status(201, _detail(request, school, item))


@router.post(
    "/schools/{school_id}/items/{item_id}",
    response=ItemDetailOut,
    summary="Edit a question: in place if unanswered, else a new version (returned); the code stays",
)
def item_edit(request: HttpRequest, school_id: int, item_id: int, payload: ItemIn) -> ItemDetailOut:
    school, item = _item(request, school_id, item_id)
    saved = services.item_edit(actor=request_user(request), item=item, spec=payload.spec())
    return _detail(request, school, saved)


@router.post(
    "/schools/{school_id}/items/{item_id}/duplicate",
    response={201: ItemDetailOut},
    summary="Copy a question as a new one (new code, version 1) in its framework",
)
def item_duplicate(request: HttpRequest, school_id: int, item_id: int) -> Status[ItemDetailOut]:
    school, item = _item(request, school_id, item_id)
    copy = services.item_duplicate(actor=request_user(request), item=item)
    return Status(201, _detail(request, school, copy))


@router.post(
    "/schools/{school_id}/items/{item_id}/retire",
    response=ItemDetailOut,
    summary="Retire a question: practice stops offering it; answers and versions are kept",
)
def item_retire(request: HttpRequest, school_id: int, item_id: int) -> ItemDetailOut:
    school, item = _item(request, school_id, item_id)
    return _detail(request, school, services.item_retire(actor=request_user(request), item=item))


@router.post(
    "/schools/{school_id}/items/{item_id}/restore",
    response=ItemDetailOut,
    summary="Restore a retired question: practice offers it again",
)
def item_restore(request: HttpRequest, school_id: int, item_id: int) -> ItemDetailOut:
    school, item = _item(request, school_id, item_id)
    return _detail(request, school, services.item_restore(actor=request_user(request), item=item))
