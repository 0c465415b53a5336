"""The family app's models, where Django looks for them; each sub-domain keeps its own.

The feed's outbox (:mod:`tessera.family.feed.models`), messages and announcements
(:mod:`tessera.family.messages.models`), notification settings and digest deliveries
(:mod:`tessera.family.notifications.models`). All keep the app label ``family`` and their tables.
"""

from tessera.family.feed.models import FeedEvent, FeedStream
from tessera.family.messages.models import Announcement, Conversation, Message
from tessera.family.notifications.models import DigestDelivery, GuardianNotificationSettings

__all__ = [
    "Announcement",
    "Conversation",
    "DigestDelivery",
    "FeedEvent",
    "FeedStream",
    "GuardianNotificationSettings",
    "Message",
]
