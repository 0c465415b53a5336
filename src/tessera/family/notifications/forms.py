"""The guardian's notification form: it parses; the rules live in
:func:`tessera.family.notifications.services.notification_settings_update`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tessera.family.notifications.models import GuardianNotificationSettings

Settings = GuardianNotificationSettings
TIME_INPUT = forms.TimeInput(attrs={"type": "time", "aria-describedby": "quiet-help"}, format="%H:%M")


class NotificationSettingsForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("How would you like to hear about your children?"),
        choices=Settings.Delivery.choices,
        widget=forms.RadioSelect,
    )
    weekday = forms.TypedChoiceField(
        label=_("Day of the weekly e-mail"), choices=Settings.Weekday.choices, coerce=int
    )
    hour = forms.TypedChoiceField(
        label=_("Time of the weekly e-mail"), choices=[(h, f"{h:02d}:00") for h in range(24)], coerce=int
    )
    quiet_start = forms.TimeField(label=_("Quiet from"), required=False, widget=TIME_INPUT)
    quiet_end = forms.TimeField(label=_("Quiet until"), required=False, widget=TIME_INPUT)
    timezone = forms.CharField(
        label=_("Time zone"),
        max_length=60,
        help_text=_("The day, the time and the quiet hours are in this time zone, e.g. Europe/Madrid."),
        widget=forms.TextInput(attrs={"list": "timezones", "autocomplete": "off"}),
    )

    @classmethod
    def initial_from(cls, row: GuardianNotificationSettings) -> NotificationSettingsForm:
        return cls(
            initial={
                "delivery": row.delivery,
                "weekday": row.digest_weekday,
                "hour": row.digest_hour,
                "quiet_start": row.quiet_start,
                "quiet_end": row.quiet_end,
                "timezone": row.timezone,
            }
        )
