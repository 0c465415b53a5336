"""Reads of a school's question bank, filtered by who may see it.

The bank of a school is the items of its own frameworks and of the shared ones (read-only), for the
school's staff (:func:`tessera.curriculum.permissions.frameworks_with_answers_for`: items come with their
answers). Current versions only unless asked; each version of an item is a row of its lineage.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from tessera.curriculum import permissions
from tessera.curriculum.models import Competency, Framework, Item, ItemCompetency
from tessera.schools.models import School, User


def bank_frameworks(user: User, school: School) -> QuerySet[Framework]:
    """The frameworks whose items the school's bank shows the user: the school's own and shared ones."""
    return (
        permissions.frameworks_with_answers_for(user)
        .filter(Q(school=school) | Q(school__isnull=True))
        .order_by("school", "name", "pk")
    )


def writable_frameworks(user: User, school: School) -> QuerySet[Framework]:
    """The school's own frameworks, when the user writes its curriculum (never a shared one)."""
    if not permissions.can_write_curriculum(user, school):
        return Framework.objects.none()
    return Framework.objects.filter(school=school).order_by("name", "pk")


@dataclass(frozen=True)
class BankFilter:
    query: str = ""
    tag: str = ""
    kind: str = ""
    competency_id: int | None = None
    framework_id: int | None = None
    include_retired: bool = False


def bank_items(user: User, school: School, search: BankFilter | None = None) -> QuerySet[Item]:
    """The current versions of the items in the school's bank the user may see, newest first, filtered
    by text (stem or code), tag, kind, competency, framework; retired ones only when asked."""
    search = search or BankFilter()
    items = Item.objects.filter(framework__in=bank_frameworks(user, school), superseded_at__isnull=True)
    if not search.include_retired:
        items = items.filter(retired_at__isnull=True)
    if search.query:
        items = items.filter(Q(stem__icontains=search.query) | Q(code__icontains=search.query))
    if search.kind:
        items = items.filter(kind=search.kind)
    if search.framework_id is not None:
        items = items.filter(framework_id=search.framework_id)
    if search.competency_id is not None:
        items = items.filter(
            pk__in=ItemCompetency.objects.filter(competency_id=search.competency_id).values("item_id")
        )
    if search.tag:
        # tags are a JSON list: matched here rather than with a lookup SQLite and PostgreSQL spell apart
        tag = search.tag.strip().lower()
        tagged = [pk for pk, tags in items.values_list("pk", "tags") if tag in (tags or [])]
        items = items.filter(pk__in=tagged)
    return items.select_related("framework").order_by("-created_at", "-pk")


def bank_tags(user: User, school: School) -> list[str]:
    """Every tag used in the school's bank, sorted (for the filter)."""
    found: set[str] = set()
    for tags in bank_items(user, school).values_list("tags", flat=True):
        found.update(tags or [])
    return sorted(found)


def bank_item(user: User, school: School, item_id: int) -> Item | None:
    """One item (any version, retired or not) of the school's bank, with its framework and links."""
    return (
        Item.objects.filter(framework__in=bank_frameworks(user, school), pk=item_id)
        .select_related("framework", "author")
        .prefetch_related(
            Prefetch(
                "itemcompetency_set",
                queryset=ItemCompetency.objects.select_related("competency").order_by("-primary", "pk"),
                to_attr="links",
            )
        )
        .first()
    )


def item_versions(item: Item) -> list[Item]:
    """Every version of ``item``'s lineage, first to latest."""
    first = item.first_version_id
    return list(
        Item.objects.filter(Q(pk=first) | Q(lineage_id=first))
        .select_related("author")
        .order_by("version", "pk")
    )


def item_current(item: Item) -> Item:
    """The current version of ``item``'s lineage (``item`` itself when it is current)."""
    if item.superseded_at is None:
        return item
    first = item.first_version_id
    current = Item.objects.filter(Q(pk=first) | Q(lineage_id=first), superseded_at__isnull=True).first()
    return current or item


def framework_competencies(framework: Framework) -> list[Competency]:
    """A framework's competencies in teaching order, with their domains (the editor's checkboxes)."""
    return list(
        Competency.objects.filter(framework=framework)
        .select_related("domain")
        .order_by("domain__position", "position", "pk")
    )
