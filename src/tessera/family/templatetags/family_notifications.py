"""``{% notification_delivery user %}``: how the guardian hears about their children, for the line on
/family/ (a tag, so the family home view stays as it is)."""

from __future__ import annotations

from django import template

from tessera.family.notification_selectors import notification_settings_of
from tessera.schools.models import User

register = template.Library()


@register.simple_tag
def notification_delivery(user: User) -> str:
    return str(notification_settings_of(user).get_delivery_display())
