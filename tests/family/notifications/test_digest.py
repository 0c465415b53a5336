"""Notification settings and the weekly e-mail digest: who gets one, when (weekday, hour, quiet hours,
time zone), what it says (each child separately, in the guardian's language, current guardianships
only), and that it is sent once per week however often the scheduler or the task runs."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from tessera.family.feed.services import feed_event_record
from tessera.family.models import DigestDelivery, GuardianNotificationSettings
from tessera.family.notifications.selectors import in_quiet_hours
from tessera.family.notifications.services import notification_settings_update
from tessera.family.notifications.tasks import digest_send, digests_due
from tessera.schools import services as school_services
from tessera.schools.errors import DomainError
from tessera.schools.models import Guardianship, User

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
MADRID = ZoneInfo("Europe/Madrid")
FRIDAY = datetime.datetime(2027, 1, 8, 17, 30, tzinfo=UTC)  # a Friday
CHOSEN = FRIDAY - datetime.timedelta(days=2)  # when the tests' guardians chose the weekly e-mail


class Clock:
    def __init__(self) -> None:
        self.now = FRIDAY

    def __call__(self) -> datetime.datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """``timezone.now`` as the test sets it (the scheduler and the task read the clock through it)."""
    fake = Clock()
    monkeypatch.setattr(timezone, "now", fake)
    return fake


def weekly(
    guardian: User,
    *,
    weekday: int = 5,
    hour: int = 17,
    quiet: tuple[str, str] | None = None,
    zone: str = "UTC",
    language: str = "",
) -> GuardianNotificationSettings:
    """Give ``guardian`` an e-mail address and the weekly e-mail, chosen on the Wednesday before FRIDAY."""
    guardian.email = f"{guardian.username}@example.org"
    guardian.language = language
    guardian.save()
    start, end = (datetime.time.fromisoformat(t) for t in quiet) if quiet else (None, None)
    row = notification_settings_update(
        guardian=guardian,
        delivery="weekly_email",
        weekday=weekday,
        hour=hour,
        quiet_start=start,
        quiet_end=end,
        timezone=zone,
    )
    GuardianNotificationSettings.objects.filter(pk=row.pk).update(weekly_since=CHOSEN)
    return row


def mastered(
    school: Any, learner: User, competency: str, at: datetime.datetime, kind: str = "competency_mastered"
) -> None:
    with transaction.atomic():
        feed_event_record(
            school=school, learner=learner, kind=kind, payload={"competency": competency, "answers": 9}, at=at
        )


def new_guardian(world: Any, username: str) -> User:
    guardian = User.objects.create(username=username, first_name=username.title())
    school_services.guardian_link(
        actor=None, school=world.a.school, guardian=guardian, learner=world.a.other_learner
    )
    return guardian


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_scheduler_sends_only_to_guardians_whose_day_and_hour_have_come(world: Any, clock: Clock) -> None:
    weekly(world.a.guardian)  # Friday 17:00 UTC: due at 17:30
    weekly(new_guardian(world, "later"), hour=18)  # Friday 18:00: not yet
    in_app = world.b.guardian
    in_app.email = "in-app@example.org"
    in_app.save()
    notification_settings_update(
        guardian=in_app,
        delivery="in_app",
        weekday=5,
        hour=17,
        quiet_start=None,
        quiet_end=None,
        timezone="UTC",
    )

    assert digests_due() == [world.a.guardian.pk]
    assert [m.to for m in mail.outbox] == [[world.a.guardian.email]]

    clock.now = FRIDAY + datetime.timedelta(hours=1)
    assert len(digests_due()) == 1  # now the 18:00 guardian; the first one already has this week's
    assert len(mail.outbox) == 2
    assert not any(in_app.email in m.to for m in mail.outbox), "in-app only guardians get no e-mail"


def test_a_digest_due_in_quiet_hours_across_midnight_waits_until_they_end(world: Any, clock: Clock) -> None:
    row = weekly(world.a.guardian, hour=22, quiet=("21:00", "07:00"), zone="Europe/Madrid")
    for local in ("2027-01-08T22:30", "2027-01-09T03:00", "2027-01-09T06:59"):
        clock.now = datetime.datetime.fromisoformat(local).replace(tzinfo=MADRID)
        assert digests_due() == [], local
    assert mail.outbox == []
    clock.now = datetime.datetime(2027, 1, 9, 7, 0, tzinfo=MADRID)
    assert digests_due() == [world.a.guardian.pk]
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.last_digest_at == clock.now


@pytest.mark.parametrize(
    ("local", "quiet"),
    [("20:59", False), ("21:00", True), ("23:59", True), ("00:00", True), ("06:59", True), ("07:00", False)],
)
def test_quiet_hours_may_cross_midnight(local: str, quiet: bool) -> None:
    row = GuardianNotificationSettings(
        quiet_start=datetime.time(21), quiet_end=datetime.time(7), timezone="Europe/Madrid"
    )
    moment = datetime.datetime.combine(datetime.date(2027, 1, 8), datetime.time.fromisoformat(local), MADRID)
    assert in_quiet_hours(row, moment) is quiet
    assert in_quiet_hours(row, moment.astimezone(UTC)) is quiet, "the guardian's zone, whatever the clock's"


def test_the_digest_tells_each_child_separately_in_the_guardians_language(world: Any, clock: Clock) -> None:
    a, b = world.a, world.b
    school_services.guardian_link(actor=None, school=b.school, guardian=a.guardian, learner=b.other_learner)
    weekly(a.guardian, language="es")
    mastered(a.school, a.learner, "Equivalent fractions", FRIDAY - datetime.timedelta(days=1))
    mastered(a.school, a.learner, "Too old for this week", FRIDAY - datetime.timedelta(days=8))
    mastered(a.school, a.other_learner, "Not my child", FRIDAY - datetime.timedelta(days=1))

    digests_due()

    [message] = mail.outbox
    body = message.body
    assert "Learner dominó Equivalent fractions ayer después de 9 preguntas de práctica" in body
    assert "Too old for this week" not in body and "Not my child" not in body
    assert "School A" in body and "School B" in body, "children in several schools: each school named"
    assert "Una semana tranquila para Other Learner: no hay novedades." in body
    assert f"http://127.0.0.1:8000/family/{a.school.pk}/{a.learner.pk}/" in body
    assert f"http://127.0.0.1:8000/family/{b.school.pk}/{b.other_learner.pk}/" in body
    [(html, kind)] = message.alternatives  # type: ignore[misc]
    assert kind == "text/html"
    assert "<li>Learner dominó Equivalent fractions ayer" in str(html)
    assert DigestDelivery.objects.get(guardian=a.guardian).children == 2


def test_the_digest_counts_what_is_mastered_at_the_end_of_the_week(world: Any, clock: Clock) -> None:
    a = world.a
    weekly(a.guardian)
    day = FRIDAY - datetime.timedelta(days=3)
    for hours, competency, kind in [
        (1, "Ratios", "competency_mastered"),
        (2, "Ratios", "mastery_lost"),  # a review showed it needs more practice...
        (3, "Ratios", "competency_mastered"),  # ...and it was mastered again: one competency
        (4, "Decimals", "competency_mastered"),
        (5, "Angles", "competency_mastered"),
        (6, "Angles", "mastery_lost"),  # lost by the end of the week: not counted
    ]:
        mastered(a.school, a.learner, competency, day + datetime.timedelta(hours=hours), kind)
    digests_due()
    [message] = mail.outbox
    assert "Learner mastered 2 competencies this week." in message.body
    assert "needs more practice on Angles" in message.body


def test_a_child_whose_guardianship_was_revoked_is_not_in_the_digest(world: Any, clock: Clock) -> None:
    a, b = world.a, world.b
    school_services.guardian_link(actor=None, school=b.school, guardian=a.guardian, learner=b.other_learner)
    weekly(a.guardian)
    mastered(a.school, a.learner, "Ratios", FRIDAY - datetime.timedelta(days=2))
    mastered(b.school, b.other_learner, "Secret algebra", FRIDAY - datetime.timedelta(days=2))
    link = Guardianship.objects.get(school=b.school, guardian=a.guardian, learner=b.other_learner)
    school_services.guardianship_revoke(actor=b.admin, guardianship=link)

    digests_due()

    [message] = mail.outbox
    assert "Ratios" in message.body
    assert "Secret algebra" not in message.body and "Other Learner" not in message.body
    assert "School B" not in message.body, "one school left: no school names"


def test_send_digests_twice_sends_one_email_and_next_week_another(world: Any, clock: Clock) -> None:
    weekly(world.a.guardian)
    call_command("send_digests", "--now", FRIDAY.isoformat())
    call_command("send_digests", "--now", (FRIDAY + datetime.timedelta(minutes=5)).isoformat())
    assert len(mail.outbox) == 1
    assert digest_send.call(world.a.guardian.pk, "2027-W01") is False, "a retried task sends nothing"
    assert len(mail.outbox) == 1

    clock.now = FRIDAY + datetime.timedelta(days=7)
    call_command("send_digests")
    assert len(mail.outbox) == 2
    assert list(DigestDelivery.objects.order_by("week_key").values_list("week_key", flat=True)) == [
        "2027-W01",
        "2027-W02",
    ]


def test_after_a_change_of_day_the_digest_comes_on_the_new_day_never_late_on_another(
    world: Any, clock: Clock
) -> None:
    weekly(world.a.guardian)  # Fridays 17:00
    assert digests_due() == [world.a.guardian.pk]
    weekly(world.a.guardian, weekday=1, hour=8)  # now Mondays 08:00
    sent_on = []
    for hours in range(0, 14 * 24, 1):  # the scheduler every hour for two weeks
        clock.now = FRIDAY + datetime.timedelta(hours=hours)
        if digests_due():
            sent_on.append(clock.now.strftime("%a %d %H:%M"))
    assert sent_on == ["Mon 18 08:30"], (
        "the Monday 3 days after the last digest is too soon; no late Thursday"
    )


def test_a_guardian_without_an_email_address_is_refused_the_weekly_email(world: Any) -> None:
    guardian = world.a.guardian
    assert guardian.email == ""
    with pytest.raises(DomainError, match="Add an e-mail address first"):
        notification_settings_update(
            guardian=guardian,
            delivery="weekly_email",
            weekday=5,
            hour=17,
            quiet_start=None,
            quiet_end=None,
            timezone="UTC",
        )
    response = signed_in(guardian).post(
        "/family/notifications/",
        {"delivery": "weekly_email", "weekday": "5", "hour": "17", "timezone": "UTC"},
    )
    assert response.status_code == 400
    assert "Add an e-mail address first" in response.content.decode()
    assert not GuardianNotificationSettings.objects.filter(guardian=guardian).exists()


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"quiet_start": "22:00", "quiet_end": "22:00"}, "Quiet hours must start and end at different times"),
        ({"quiet_start": "22:00", "quiet_end": ""}, "both a start and an end"),
        ({"timezone": "Mars/Olympus_Mons"}, "is not a time zone we know"),
        ({"hour": "24"}, "Select a valid choice"),
        ({"delivery": "carrier_pigeon"}, "Select a valid choice"),
    ],
)
def test_form_errors_change_nothing(world: Any, change: dict[str, str], error: str) -> None:
    guardian = world.a.guardian
    saved = weekly(guardian, quiet=("21:00", "07:00"), zone="Europe/Madrid")
    before = GuardianNotificationSettings.objects.filter(pk=saved.pk).values().get()
    form = {
        "delivery": "in_app",
        "weekday": "1",
        "hour": "8",
        "quiet_start": "20:00",
        "quiet_end": "06:00",
        "timezone": "UTC",
    }
    response = signed_in(guardian).post("/family/notifications/", {**form, **change})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert GuardianNotificationSettings.objects.filter(pk=saved.pk).values().get() == before


def test_the_page_saves_the_settings_and_the_family_home_says_what_they_are(world: Any) -> None:
    guardian = world.a.guardian
    client = signed_in(guardian)
    home = client.get("/family/").content.decode()
    assert "Notifications:" in home and "In the app only" in home and 'href="/family/notifications/"' in home
    page = client.get("/family/notifications/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "In the app and a weekly e-mail summary" in html and "<legend>" in html
    assert "What the e-mail would say now" in html
    assert "<script" not in html.split("<main", 1)[1], "no script on the page"

    response = client.post(
        "/family/notifications/",
        {
            "delivery": "in_app",
            "weekday": "7",
            "hour": "9",
            "quiet_start": "21:30",
            "quiet_end": "06:45",
            "timezone": "Europe/Madrid",
        },
        follow=True,
    )
    assert "Your notification settings are saved." in response.content.decode()
    row = GuardianNotificationSettings.objects.get(guardian=guardian)
    assert (row.delivery, row.digest_weekday, row.digest_hour) == ("in_app", 7, 9)
    assert (row.quiet_start, row.quiet_end, row.timezone) == (
        datetime.time(21, 30),
        datetime.time(6, 45),
        "Europe/Madrid",
    )


def test_the_default_time_zone_is_that_of_the_first_childs_school(world: Any) -> None:
    world.a.school.timezone = "America/Bogota"
    world.a.school.save()
    html = signed_in(world.a.guardian).get("/family/notifications/").content.decode()
    assert 'value="America/Bogota"' in html


def test_a_task_enqueued_before_the_guardian_switched_back_to_the_app_sends_nothing(
    world: Any, clock: Clock
) -> None:
    weekly(world.a.guardian)
    notification_settings_update(
        guardian=world.a.guardian,
        delivery="in_app",
        weekday=5,
        hour=17,
        quiet_start=None,
        quiet_end=None,
        timezone="UTC",
    )
    assert digest_send.call(world.a.guardian.pk, "2027-W01") is False
    assert mail.outbox == []
    assert not DigestDelivery.objects.exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [(datetime.time(22), datetime.time(22)), (datetime.time(22), None), (None, datetime.time(7))],
)
def test_the_database_refuses_quiet_hours_with_one_end_or_equal_ends(
    world: Any, start: datetime.time | None, end: datetime.time | None
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        GuardianNotificationSettings.objects.create(
            guardian=world.a.guardian, timezone="UTC", quiet_start=start, quiet_end=end
        )
