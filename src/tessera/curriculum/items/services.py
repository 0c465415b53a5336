"""Every write to a school's question bank: create, edit (a new version once answered), duplicate, retire,
restore. Keyword-only, transactional, raising :class:`~tessera.schools.errors.DomainError` with stable codes.

Who writes: the school's teachers, specialists and administrators
(:func:`tessera.curriculum.permissions.can_write_curriculum`); a shared framework is read-only.

Versions: an item someone has answered (:mod:`tessera.curriculum.items.usage`) is never changed in place.
Saving it makes a new row with the same code, ``version + 1`` and ``lineage`` the first version, and marks
the old row superseded, so each answer keeps the version it answered. An item without answers is edited
in place. Retiring hides an item from practice (``Item.offered``) and keeps it and its history.
"""

from __future__ import annotations

import math
import secrets
import time
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.curriculum.items.usage import answered_item_ids
from tessera.curriculum.models import (
    CODE_LENGTH,
    TEXT_LENGTH,
    Competency,
    CurriculumFile,
    Framework,
    Item,
    ItemCompetency,
)
from tessera.curriculum.permissions import can_view_answers, can_write_curriculum
from tessera.curriculum.rich_text import text_check, uploads_named
from tessera.schools.errors import Conflict, DomainError, NotFound, PermissionDenied
from tessera.schools.models import User
from tessera.schools.text import text_checked

CHOICE_LENGTH = 500
HINT_LENGTH = 1000
ANSWER_LENGTH = 200
MAX_CHOICES = 12
MAX_HINTS = 10
MAX_ACCEPTED = 20
MAX_TAGS = 20
TAG_LENGTH = 40
DIFFICULTY_LIMIT = 6.0
CREATE_CLAIM_SECONDS = 24 * 3600
CREATE_PENDING_SECONDS = 30


@dataclass(frozen=True)
class CompetencyLink:
    """A competency the item assesses; ``primary`` marks the one it mainly assesses (one per item)."""

    competency_id: int
    primary: bool = False


@dataclass(frozen=True)
class ItemSpec:
    """What a teacher writes for an item. Choice numbers (``correct_choice``, ``correct_choices``) count
    from 0, like the stored item. Text fields are Markdown with maths between ``\\(`` and ``\\)``."""

    kind: str
    stem: str
    choices: tuple[str, ...] = ()
    correct_choice: int | None = None
    correct_choices: tuple[int, ...] = ()
    numeric_answer: float | None = None
    tolerance: float = 0.0
    accepted_answers: tuple[str, ...] = ()
    rubric: str = ""
    hints: tuple[str, ...] = ()
    feedback: str = ""
    difficulty: float = 0.0
    language: str = "en"
    tags: tuple[str, ...] = ()
    competencies: tuple[CompetencyLink, ...] = field(default_factory=tuple)
    code: str = ""

    @classmethod
    def of(cls, item: Item, competencies: list[CompetencyLink] | None = None) -> ItemSpec:
        """The spec an existing item was written with (its links read unless given)."""
        if competencies is None:
            competencies = [
                CompetencyLink(competency_id, primary)
                for competency_id, primary in ItemCompetency.objects.filter(item=item)
                .order_by("-primary", "pk")
                .values_list("competency_id", "primary")
            ]
        return cls(
            kind=item.kind,
            stem=item.stem,
            choices=tuple(item.choices),
            correct_choice=item.correct_choice,
            correct_choices=tuple(item.correct_choices),
            numeric_answer=item.numeric_answer,
            tolerance=item.tolerance,
            accepted_answers=tuple(item.accepted_answers),
            rubric=item.rubric,
            hints=tuple(item.hints),
            feedback=item.feedback,
            difficulty=item.difficulty,
            language=item.language,
            tags=tuple(item.tags),
            competencies=tuple(competencies),
            code=item.code,
        )


def _normalised(text: str) -> str:
    """A choice as compared for duplicates: spaces collapsed, case folded, Unicode composed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def tags_parse(text: str) -> tuple[str, ...]:
    """Comma-separated tags as the editor and the API's text take them: stripped, without empties."""
    return tuple(tag for tag in (part.strip() for part in text.split(",")) if tag)


def _tags_checked(tags: tuple[str, ...]) -> list[str]:
    kept: list[str] = []
    seen: set[str] = set()
    for raw in tags:
        tag = text_checked(raw, what=_("tag"), limit=TAG_LENGTH).lower()
        if "," in tag:
            raise DomainError(_("A tag cannot contain a comma."), code="curriculum.item_tag_invalid")
        if tag not in seen:
            seen.add(tag)
            kept.append(tag)
    if len(kept) > MAX_TAGS:
        raise DomainError(
            _("An item has at most %(limit)d tags.") % {"limit": MAX_TAGS},
            code="curriculum.item_too_many_tags",
        )
    return kept


def _rich(value: str, *, what: str, limit: int, required: bool = True) -> str:
    cleaned = text_checked(value, what=what, limit=limit, required=required)
    text_check(cleaned, what=what)
    return cleaned


def _number(value: float | None, *, what: str) -> float | None:
    if value is not None and not math.isfinite(value):
        raise DomainError(
            _("The %(what)s must be a number.") % {"what": what}, code="curriculum.item_number_invalid"
        )
    return value


@dataclass
class _Checked:
    fields: dict[str, Any]
    links: list[CompetencyLink]


def _checked(
    framework: Framework | None, spec: ItemSpec, *, school_id: int | None = None, with_links: bool = True
) -> _Checked:
    """Every rule of an item, in the order a teacher fixes them; the fields to store and its links."""
    kinds = {kind.value for kind in Item.Kind}
    if spec.kind not in kinds:
        raise DomainError(
            _("Choose the kind of question: %(kinds)s.") % {"kinds": ", ".join(sorted(kinds))},
            code="curriculum.item_kind_unknown",
        )
    fields: dict[str, Any] = {
        "kind": spec.kind,
        "stem": _rich(spec.stem, what=_("question"), limit=TEXT_LENGTH),
        "choices": [],
        "correct_choice": None,
        "correct_choices": [],
        "numeric_answer": None,
        "tolerance": 0.0,
        "accepted_answers": [],
        "rubric": "",
    }
    if spec.kind in (Item.Kind.MULTIPLE_CHOICE, Item.Kind.MULTIPLE_SELECTION):
        fields.update(_choices_checked(spec))
    elif spec.kind == Item.Kind.NUMERIC:
        answer = _number(spec.numeric_answer, what=_("answer"))
        tolerance = _number(spec.tolerance, what=_("tolerance"))
        if answer is None:
            raise DomainError(
                _("Give the correct answer: the number a learner should find."),
                code="curriculum.item_no_correct_answer",
            )
        if tolerance is None or tolerance < 0:
            raise DomainError(
                _("The tolerance cannot be below zero: 0 means exactly the answer, 0.5 half either way."),
                code="curriculum.item_tolerance_negative",
            )
        fields.update(numeric_answer=answer, tolerance=tolerance)
    elif spec.kind == Item.Kind.SHORT_TEXT:
        accepted = [
            text_checked(a, what=_("accepted answer"), limit=ANSWER_LENGTH, required=False)
            for a in spec.accepted_answers
        ]
        accepted = list(dict.fromkeys(a for a in accepted if a))
        if not accepted:
            raise DomainError(
                _("Give at least one accepted answer."), code="curriculum.item_no_correct_answer"
            )
        if len(accepted) > MAX_ACCEPTED:
            raise DomainError(
                _("At most %(limit)d accepted answers.") % {"limit": MAX_ACCEPTED},
                code="curriculum.item_too_many_answers",
            )
        fields["accepted_answers"] = accepted
    else:  # open response: marked by a person against the rubric
        fields["rubric"] = _rich(spec.rubric, what=_("rubric"), limit=TEXT_LENGTH, required=False)
        if not fields["rubric"]:
            raise DomainError(
                _("Write the rubric: what a full answer shows, so it can be marked."),
                code="curriculum.item_no_correct_answer",
            )
    hints = [
        _rich(h, what=_("hint %(number)d") % {"number": n + 1}, limit=HINT_LENGTH, required=False)
        for n, h in enumerate(spec.hints)
    ]
    hints = [h for h in hints if h]
    if len(hints) > MAX_HINTS:
        raise DomainError(
            _("At most %(limit)d hints.") % {"limit": MAX_HINTS}, code="curriculum.item_too_many_hints"
        )
    difficulty = _number(spec.difficulty, what=_("difficulty"))
    if difficulty is None or abs(difficulty) > DIFFICULTY_LIMIT:
        raise DomainError(
            _("The difficulty is between %(low)s and %(high)s (0 is average).")
            % {"low": -DIFFICULTY_LIMIT, "high": DIFFICULTY_LIMIT},
            code="curriculum.item_difficulty_out_of_range",
        )
    languages = {code for code, _name in settings.LANGUAGES}
    if spec.language not in languages:
        raise DomainError(
            _("Choose the item's language: %(languages)s.") % {"languages": ", ".join(sorted(languages))},
            code="curriculum.item_language_unknown",
        )
    fields.update(
        hints=hints,
        feedback=_rich(spec.feedback, what=_("feedback"), limit=TEXT_LENGTH, required=False),
        difficulty=difficulty,
        language=spec.language,
        tags=_tags_checked(spec.tags),
    )
    _images_checked(framework.school_id if framework is not None else school_id, fields)
    links = _links_checked(framework, spec) if with_links and framework is not None else []
    return _Checked(fields, links)


def _choices_checked(spec: ItemSpec) -> dict[str, Any]:
    choices = [
        _rich(c, what=_("choice %(number)d") % {"number": n + 1}, limit=CHOICE_LENGTH, required=False)
        for n, c in enumerate(spec.choices)
    ]
    if any(not c for c in choices):
        raise DomainError(_("A choice is empty: write it or remove it."), code="curriculum.item_choice_empty")
    if len(choices) < 2:
        raise DomainError(_("Give at least two choices."), code="curriculum.item_too_few_choices")
    if len(choices) > MAX_CHOICES:
        raise DomainError(
            _("At most %(limit)d choices.") % {"limit": MAX_CHOICES}, code="curriculum.item_too_many_choices"
        )
    seen: dict[str, int] = {}
    for n, choice in enumerate(choices):
        key = _normalised(choice)
        if key in seen:
            raise DomainError(
                _("Choices %(first)d and %(second)d are the same: each choice must differ.")
                % {"first": seen[key] + 1, "second": n + 1},
                code="curriculum.item_duplicate_choices",
            )
        seen[key] = n
    if spec.kind == Item.Kind.MULTIPLE_CHOICE:
        correct = [spec.correct_choice] if spec.correct_choice is not None else []
    else:
        correct = sorted(set(spec.correct_choices))
    if not correct and spec.kind == Item.Kind.MULTIPLE_CHOICE:
        raise DomainError(_("Mark the correct choice."), code="curriculum.item_no_correct_answer")
    if not correct:
        raise DomainError(_("Mark at least one correct choice."), code="curriculum.item_no_correct_answer")
    if any(not 0 <= c < len(choices) for c in correct):
        raise DomainError(
            _("A correct choice must be one of the choices, 1 to %(count)d.") % {"count": len(choices)},
            code="curriculum.item_correct_choice_unknown",
        )
    if spec.kind == Item.Kind.MULTIPLE_CHOICE:
        return {"choices": choices, "correct_choice": correct[0]}
    return {"choices": choices, "correct_choices": correct}


def _images_checked(school_id: int | None, fields: dict[str, Any]) -> None:
    texts = [fields["stem"], fields["rubric"], fields["feedback"], *fields["choices"], *fields["hints"]]
    named = set().union(*(uploads_named(t) for t in texts))
    if not named:
        return
    files = CurriculumFile.objects.filter(pk__in=named)
    files = files.filter(school_id=school_id) if school_id is not None else files.none()
    found = set(files.values_list("pk", flat=True))
    if missing := sorted(named - found):
        raise DomainError(
            _("No file %(id)s among the school's uploads: upload the image first.") % {"id": missing[0]},
            code="curriculum.image_not_found",
        )


def _links_checked(framework: Framework, spec: ItemSpec) -> list[CompetencyLink]:
    if not spec.competencies:
        raise DomainError(
            _("Choose at least one competency the item assesses."), code="curriculum.item_competency_missing"
        )
    ids = list(dict.fromkeys(link.competency_id for link in spec.competencies))
    primaries = {link.competency_id for link in spec.competencies if link.primary}
    if len(primaries) > 1:
        raise DomainError(
            _("Mark one competency as primary, not %(count)d.") % {"count": len(primaries)},
            code="curriculum.item_primary_many",
        )
    known = set(Competency.objects.filter(pk__in=ids, framework=framework).values_list("pk", flat=True))
    if set(ids) - known:
        raise DomainError(
            _("Every competency must belong to the item's framework, %(framework)s.")
            % {"framework": framework.name},
            code="curriculum.item_competency_other_framework",
        )
    primary = next(iter(primaries)) if primaries else ids[0]
    return [CompetencyLink(pk, pk == primary) for pk in ids]


def _require_writer(actor: User, framework: Framework) -> None:
    if framework.school_id is None:
        raise PermissionDenied(
            _("Shared frameworks are read-only: duplicate the item into one of your school's frameworks."),
            code="curriculum.shared_framework_read_only",
        )
    if can_write_curriculum(actor, framework.school):
        return
    if can_view_answers(actor, framework):
        raise PermissionDenied(
            _("Only the school's teachers, specialists and administrators write its questions."),
            code="curriculum.not_a_writer",
        )
    raise NotFound(_("No such framework."), code="curriculum.framework_not_found")


def _code_free(framework: Framework, code: str, *, lineage: int | None = None) -> bool:
    current = Item.objects.filter(framework=framework, code=code, superseded_at__isnull=True)
    if lineage is not None:
        current = current.exclude(pk=lineage).exclude(lineage_id=lineage)
    return not current.exists()


def _code_for(framework: Framework, wanted: str) -> str:
    if wanted:
        code = text_checked(wanted, what=_("code"), limit=CODE_LENGTH)
        if any(char.isspace() for char in code):
            raise DomainError(_("A code has no spaces."), code="curriculum.item_code_invalid")
        if not _code_free(framework, code):
            raise DomainError(
                _("The framework already has an item with code “%(code)s”.") % {"code": code},
                code="curriculum.item_code_taken",
            )
        return code
    while True:
        code = f"q-{secrets.token_hex(3)}"
        if _code_free(framework, code):
            return code


def _link(item: Item, links: list[CompetencyLink]) -> None:
    ItemCompetency.objects.filter(item=item).delete()
    ItemCompetency.objects.bulk_create(
        ItemCompetency(
            school_id=item.school_id, item=item, competency_id=link.competency_id, primary=link.primary
        )
        for link in links
    )
    # bulk_create sends no post_save: the bank's version is raised by the item's own save


def _create_claim(actor: User, client_id: str) -> tuple[str, Item | None]:
    """Claim a create request's client id for ``actor`` (one create per id, so a double submit or a retry
    makes one item): the cache key, and the item an earlier request with this id made."""
    key = f"curriculum.item_create:{actor.pk}:{client_id[:64]}"
    now = time.time()
    if cache.add(key, ("pending", now), CREATE_CLAIM_SECONDS):
        return key, None
    state, value = cache.get(key, ("pending", 0.0))
    if state == "item":
        made = Item.objects.filter(pk=value).first()
        if made is not None:
            return key, made
    elif now - value < CREATE_PENDING_SECONDS:
        raise Conflict(
            _("This question is being saved already; open the question bank in a moment."),
            code="curriculum.item_create_in_progress",
        )
    cache.set(key, ("pending", now), CREATE_CLAIM_SECONDS)
    return key, None


def item_create(*, actor: User, framework: Framework, spec: ItemSpec, client_id: str | None = None) -> Item:
    """A new item (version 1) in ``framework``, with a generated code unless ``spec.code`` is given.
    With ``client_id``, a second call with the same id returns the first call's item."""
    _require_writer(actor, framework)
    key, made = _create_claim(actor, client_id) if client_id else (None, None)
    if made is not None:
        return made
    try:
        with transaction.atomic():
            checked = _checked(framework, spec)
            item = Item(
                school_id=framework.school_id,
                framework=framework,
                code=_code_for(framework, spec.code),
                author=actor,
                **checked.fields,
            )
            item.save()
            _link(item, checked.links)
    except BaseException:
        if key:
            cache.delete(key)
        raise
    if key:
        cache.set(key, ("item", item.pk), CREATE_CLAIM_SECONDS)
    return item


@transaction.atomic
def item_edit(*, actor: User, item: Item, spec: ItemSpec) -> Item:
    """Save ``spec`` as ``item``'s content: in place when nobody has answered it, else as a new version
    (returned) with the old one superseded. The code stays; only the current version may be edited."""
    framework = item.framework
    _require_writer(actor, framework)
    locked = Item.objects.select_for_update().get(pk=item.pk)
    if locked.superseded_at is not None:
        raise Conflict(
            _("This is an earlier version: edit the current one (version numbers go up with each edit)."),
            code="curriculum.item_superseded",
        )
    checked = _checked(framework, spec)
    if locked.pk not in answered_item_ids([locked.pk]):
        for name, value in checked.fields.items():
            setattr(locked, name, value)
        locked.save()
        _link(locked, checked.links)
        return locked
    now = timezone.now()
    locked.superseded_at = now
    locked.save(update_fields=["superseded_at"])
    new = Item(
        school_id=locked.school_id,
        framework=framework,
        code=locked.code,
        lineage_id=locked.first_version_id,
        version=_next_version(locked),
        author=actor,
        created_at=now,
        retired_at=locked.retired_at,
        **checked.fields,
    )
    new.save()
    _link(new, checked.links)
    return new


def _next_version(item: Item) -> int:
    first = item.first_version_id
    latest = Item.objects.filter(pk=first).values_list("version", flat=True).first() or 1
    later = (
        Item.objects.filter(lineage_id=first).order_by("-version").values_list("version", flat=True).first()
    )
    return max(latest, later or 0, item.version) + 1


@transaction.atomic
def item_duplicate(*, actor: User, item: Item, framework: Framework | None = None) -> Item:
    """A copy of ``item`` as a new item (a new code, version 1) in ``framework`` (default: the item's own).
    Its competencies are kept when they belong to the target framework (always, in the same framework)."""
    target = framework or item.framework
    _require_writer(actor, target)
    spec = ItemSpec.of(item)
    links = tuple(
        link
        for link in spec.competencies
        if Competency.objects.filter(pk=link.competency_id, framework=target).exists()
    )
    copy = replace(spec, code=_copy_code(target, item.code), competencies=links)
    checked = _checked(target, copy)
    new = Item(school_id=target.school_id, framework=target, code=copy.code, author=actor, **checked.fields)
    new.save()
    _link(new, checked.links)
    return new


def _copy_code(framework: Framework, code: str) -> str:
    stem = f"{code[: CODE_LENGTH - 8]}-copy"
    candidate, n = stem, 1
    while not _code_free(framework, candidate):
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def _current_locked(actor: User, item: Item) -> Item:
    _require_writer(actor, item.framework)
    locked = Item.objects.select_for_update().get(pk=item.pk)
    if locked.superseded_at is not None:
        raise Conflict(
            _("This is an earlier version: retire or restore the current one."),
            code="curriculum.item_superseded",
        )
    return locked


@transaction.atomic
def item_retire(*, actor: User, item: Item) -> Item:
    """Hide the item from practice; it keeps its answers and versions. Retiring twice changes nothing."""
    locked = _current_locked(actor, item)
    if locked.retired_at is None:
        locked.retired_at = timezone.now()
        locked.save(update_fields=["retired_at"])
    return locked


@transaction.atomic
def item_restore(*, actor: User, item: Item) -> Item:
    """Offer a retired item in practice again. Restoring an item in use changes nothing."""
    locked = _current_locked(actor, item)
    if locked.retired_at is not None:
        locked.retired_at = None
        locked.save(update_fields=["retired_at"])
    return locked


@transaction.atomic
def item_tags_set(*, actor: User, item: Item, tags: tuple[str, ...]) -> Item:
    """Replace the item's tags (a label for finding it, not its content: no new version)."""
    locked = _current_locked(actor, item)
    locked.tags = _tags_checked(tags)
    locked.save(update_fields=["tags"])
    return locked


def item_spec_check(*, school_id: int, spec: ItemSpec) -> None:
    """Refuse ``spec`` as a save in ``school_id`` would refuse its content (competencies aside): the
    preview shows the same errors as saving, and saves nothing."""
    _checked(None, spec, school_id=school_id, with_links=False)
