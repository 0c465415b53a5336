"""The weekly e-mail digest: for one guardian, each child (per school) with the week's news in plain words.

Built in the guardian's language (``User.language``, else ``settings.LANGUAGE_CODE``): the sentences are
the feed's own (:func:`tessera.family.feed.selectors.feed_item`), so the e-mail says exactly what the page
says. Only current guardianships count: a child whose link was revoked is not in the digest.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tessera.family.feed.models import FeedEvent
from tessera.family.feed.selectors import (
    MASTERY_KINDS,
    FeedItem,
    child_page_url,
    events_visible_to_guardian_q,
    feed_item,
)
from tessera.family.permissions import feeds_visible_to
from tessera.schools.models import User

DIGEST_DAYS = 7


@dataclass(frozen=True)
class ChildDigest:
    """One child in one school: the week's news, how many competencies they mastered, their page."""

    name: str
    school: str  # the school's name when the guardian has children in several schools, else ""
    items: list[FeedItem]
    mastered: int
    url: str


@dataclass(frozen=True)
class Digest:
    guardian: User
    language: str
    children: list[ChildDigest]
    settings_url: str


def absolute_url(path: str) -> str:
    """``path`` on the site's address (``TESSERA_BASE_URL``): e-mails have no request to build it from."""
    return settings.TESSERA_BASE_URL.rstrip("/") + path


def digest_language(guardian: User) -> str:
    return guardian.language or settings.LANGUAGE_CODE


def _mastered_count(events: list[FeedEvent]) -> int:
    """Competencies whose latest mastery news of the week is that they were mastered (one mastered, then
    lost at a review and mastered again, counts once; mastered then lost does not count)."""
    latest: dict[object, str] = {}
    for event in events:  # oldest first
        if event.kind in MASTERY_KINDS:
            latest[event.payload.get("competency_id", event.payload.get("competency"))] = event.kind
    return sum(kind == FeedEvent.Kind.COMPETENCY_MASTERED for kind in latest.values())


def digest_build(*, guardian: User, until: datetime.datetime) -> Digest:
    """The digest of the ``DIGEST_DAYS`` days before ``until``, its sentences in the guardian's language."""
    since = until - datetime.timedelta(days=DIGEST_DAYS)
    language = digest_language(guardian)
    links = list(
        feeds_visible_to(guardian).select_related("learner", "school").order_by("learner__first_name", "pk")
    )
    several_schools = len({link.school_id for link in links}) > 1
    children = []
    # every child's events in one query (the query budget of the notification page's preview)
    by_child: dict[tuple[int, int], list[FeedEvent]] = {}
    if links:
        read = FeedEvent.objects.filter(
            events_visible_to_guardian_q(guardian.pk, links), created_at__gte=since, created_at__lt=until
        )
        for event in read.select_related("learner", "school").order_by("id"):
            by_child.setdefault((event.school_id, event.learner_id), []).append(event)
    with translation.override(language):
        for link in links:
            events = by_child.get((link.school_id, link.learner_id), [])
            children.append(
                ChildDigest(
                    name=link.learner.first_name or link.learner.name,
                    school=link.school.name if several_schools else "",
                    items=[feed_item(event, now=until) for event in events],
                    mastered=_mastered_count(events),
                    url=absolute_url(child_page_url(link.school_id, link.learner_id)),
                )
            )
    return Digest(
        guardian=guardian,
        language=language,
        children=children,
        settings_url=absolute_url(reverse("family-notifications")),
    )


def digest_email(digest: Digest) -> EmailMultiAlternatives:
    """The digest as a plain-text e-mail with an HTML alternative, in the guardian's language."""
    guardian = digest.guardian
    context = {"digest": digest, "name": guardian.first_name or guardian.name}
    with translation.override(digest.language):
        subject = _("Your children's week on Tessera")
        text = render_to_string("family/email/digest.txt", context)
        html = render_to_string("family/email/digest.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [guardian.email])
    message.attach_alternative(html, "text/html")
    return message
