"""A framework's item bank and graph, kept in memory per server process: what every next item and every
answer needs (items with their answers, which competencies each assesses, prerequisites, teaching order)
without reading them from the database on each request.

The bank is keyed by the framework's id and ``content_version``; every change to a framework's
competencies, prerequisites or items changes its version (the import service creates a new framework, whose
first version is random; every saved or deleted row raises it, see :func:`bank_invalidation_connect`), so
a process that reads the version with the request's first query (the practice session's joins it) sees the
change on that request. At most ``CURRICULUM_BANK_CACHE_SIZE`` frameworks are kept, least recently used
first out.

The model instances in a bank are shared between requests and threads: read them, never change them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F
from django.db.models.signals import post_delete, post_save

from tessera.curriculum.models import Competency, Domain, Framework, Item, ItemCompetency, Prerequisite
from tessera.curriculum.per_framework import NewestPerFramework


@dataclass(frozen=True)
class FrameworkBank:
    """One framework's competencies (in teaching order), items and links, as loaded at one version."""

    framework: Framework
    competencies: dict[int, Competency]  # in teaching order, each with ``framework`` set to the one above
    items: dict[int, Item]  # every version, so a late answer to an earlier one is still marked
    items_of: dict[int, tuple[Item, ...]] = field(default_factory=dict)  # competency id -> items offered
    assessed_by: dict[int, tuple[int, ...]] = field(default_factory=dict)  # item id -> competency ids
    prerequisites_of: dict[int, tuple[int, ...]] = field(default_factory=dict)  # direct, teaching order

    def competency(self, competency_id: int) -> Competency:
        return self.competencies[competency_id]


_banks: NewestPerFramework[FrameworkBank] = NewestPerFramework()


def framework_bank(framework: Framework) -> FrameworkBank:
    """``framework``'s bank at the version of the ``framework`` row given (loaded on first use: 5 queries)."""
    return framework_bank_at(framework.pk, framework.content_version)


def framework_bank_at(framework_id: int, content_version: int) -> FrameworkBank:
    """The bank of framework ``framework_id`` at ``content_version`` (read with another query)."""
    bank = _banks.fresh(framework_id, content_version)
    if bank is None:
        bank = _load(framework_id)
        _banks.keep(
            framework_id, bank.framework.content_version, bank, size=settings.CURRICULUM_BANK_CACHE_SIZE
        )
    return bank


def _load(framework_id: int) -> FrameworkBank:
    framework = Framework.objects.get(pk=framework_id)
    competencies = {
        c.pk: c
        for c in Competency.objects.filter(framework_id=framework_id).order_by(
            "domain__position", "position", "pk"
        )
    }
    items = {item.pk: item for item in Item.objects.filter(framework_id=framework_id).order_by("pk")}
    items_of: dict[int, list[Item]] = {pk: [] for pk in competencies}
    assessed_by: dict[int, list[int]] = {pk: [] for pk in items}
    links = ItemCompetency.objects.filter(item__framework_id=framework_id).order_by(
        "item_id", "competency_id"
    )
    for item_id, competency_id in links.values_list("item_id", "competency_id"):
        if items[item_id].offered:  # an earlier version, a retired or an open-response item is not chosen
            items_of[competency_id].append(items[item_id])
        assessed_by[item_id].append(competency_id)
    teaching_order = {pk: n for n, pk in enumerate(competencies)}
    prerequisites_of: dict[int, list[int]] = {pk: [] for pk in competencies}
    edges = Prerequisite.objects.filter(framework_id=framework_id).values_list(
        "competency_id", "prerequisite_id"
    )
    for competency_id, prerequisite_id in edges:
        prerequisites_of[competency_id].append(prerequisite_id)
    for competency in competencies.values():
        competency.framework = framework
    return FrameworkBank(
        framework=framework,
        competencies=competencies,
        items=items,
        items_of={pk: tuple(found) for pk, found in items_of.items()},
        assessed_by={pk: tuple(found) for pk, found in assessed_by.items()},
        prerequisites_of={
            pk: tuple(sorted(found, key=teaching_order.__getitem__)) for pk, found in prerequisites_of.items()
        },
    )


def framework_content_changed(framework_id: int | None) -> None:
    """Raise the framework's version, so every process reloads its bank."""
    if framework_id is not None:
        Framework.objects.filter(pk=framework_id).update(content_version=F("content_version") + 1)


def _row_changed(sender: type, instance: object, **kwargs: object) -> None:
    """A competency, domain, prerequisite, item or item link was saved or deleted (connected in
    :meth:`tessera.curriculum.apps.CurriculumConfig.ready`)."""
    if isinstance(instance, ItemCompetency):
        framework_content_changed(
            Item.objects.filter(pk=instance.item_id).values_list("framework_id", flat=True).first()
        )
    else:
        framework_content_changed(getattr(instance, "framework_id", None))


def bank_invalidation_connect() -> None:
    for model in (Domain, Competency, Prerequisite, Item, ItemCompetency):
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"bank-{model.__name__}-saved")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=f"bank-{model.__name__}-deleted")
