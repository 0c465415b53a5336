"""Permission cases for the guardian's notification settings: for anyone with a current guardianship
(school A's and school B's guardian); everyone else signed in gets the 403 page of /family/."""

from __future__ import annotations

from tests.permission_matrix.case import EVERYONE_SIGNED_IN, Case, roles

GUARDIANS = roles("guardian", "b_guardian")

CASES = [
    Case(
        "family-notifications",
        "GET",
        lambda w: "/family/notifications/",
        GUARDIANS,
        forbidden=EVERYONE_SIGNED_IN - GUARDIANS,
        is_api=False,
    ),
    Case(
        "family-notifications",
        "POST",
        lambda w: "/family/notifications/",
        GUARDIANS,
        ok=302,
        forbidden=EVERYONE_SIGNED_IN - GUARDIANS,
        payload=lambda w: {
            "delivery": "in_app",
            "weekday": "5",
            "hour": "17",
            "quiet_start": "21:00",
            "quiet_end": "07:00",
            "timezone": "UTC",
        },
        is_api=False,
    ),
]
