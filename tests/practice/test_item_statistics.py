"""Item statistics (issue 26, part 6) on seeded answer histories: the figures per lineage and per version,
and the flags, which fire on constructed broken items and not on a good one."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tessera.curriculum.models import Competency, Framework, Item, ItemCompetency
from tessera.practice import item_statistics
from tessera.practice.models import Answer, PracticeSession
from tessera.schools.models import Membership, School, User
from tests.curriculum.documents import small_framework

pytestmark = pytest.mark.django_db

LEARNERS = 12


class History:
    """A class of learners in school A, half strong (right on 9 in 10 of the framework's other items) and
    half weak (right on 2 in 10); answers are written as rows, as practice stores them."""

    def __init__(self, school: School, framework: Framework) -> None:
        self.school, self.framework = school, framework
        self.add = framework.competencies.get(code="add")
        self.rest = framework.items.get(code="frac-1")
        self.learners = [
            Membership.objects.create(
                school=school,
                role=Membership.Role.LEARNER,
                user=User.objects.create(username=f"stats.learner{n}"),
            ).user
            for n in range(LEARNERS)
        ]
        self.strong, self.weak = self.learners[: LEARNERS // 2], self.learners[LEARNERS // 2 :]
        self.sessions: dict[int, PracticeSession] = {}
        for learner in self.strong:
            self.answer(learner, self.rest, [True] * 9 + [False])
        for learner in self.weak:
            self.answer(learner, self.rest, [True] * 2 + [False] * 8)

    def session(self, learner: User, competency: Competency) -> PracticeSession:
        if learner.pk not in self.sessions:
            self.sessions[learner.pk] = PracticeSession.objects.create(
                school=self.school, learner=learner, competency=competency
            )
        return self.sessions[learner.pk]

    def answer(self, learner: User, item: Item, results: Iterable[bool], seconds: int | None = None) -> None:
        Answer.objects.bulk_create(
            Answer(
                school=self.school,
                session=self.session(learner, self.add),
                item=item,
                competency=self.add,
                learner=learner,
                client_id=uuid.uuid4(),
                fingerprint="seeded",
                given=0,
                correct=correct,
                seconds=seconds,
            )
            for correct in results
        )

    def item(self, code: str, **fields: Any) -> Item:
        item = Item.objects.create(
            school=self.school,
            framework=self.framework,
            code=code,
            kind=Item.Kind.NUMERIC,
            stem=fields.pop("stem", rf"Item {code}: \(\frac{{3}}{{4}}\) of 8?"),
            numeric_answer=6,
            **fields,
        )
        ItemCompetency.objects.create(school=self.school, item=item, competency=self.add, primary=True)
        return item


@pytest.fixture
def history(world: Any) -> History:
    return History(world.a.school, small_framework(world.a.school))


def flags(figures: item_statistics.Figures) -> set[str]:
    return {flag.code for flag in figures.flags}


def statistics(history: History, item: Item) -> item_statistics.ItemStatistics:
    return item_statistics.item_statistics(item, school_ids=[history.school.pk])


def test_a_good_item_has_figures_and_no_flag(history: History) -> None:
    good = history.item("good")
    for learner in history.strong:
        history.answer(learner, good, [True, True], seconds=20)
    for learner in history.weak:
        history.answer(learner, good, [False, True], seconds=40)
    found = statistics(history, good)
    overall = found.overall
    assert (overall.answers, overall.right, overall.learners) == (24, 18, 12)
    assert overall.percent_right == 75 and overall.mean_seconds == 30.0
    assert overall.stronger_share_right == 1.0 and overall.weaker_share_right == 0.5
    assert flags(overall) == set()
    assert not found.empty and [v.item.pk for v in found.versions] == [good.pk]


def test_an_item_everyone_gets_wrong_is_flagged(history: History) -> None:
    broken = history.item("broken-key")
    for learner in history.learners:
        history.answer(learner, broken, [False])
    overall = statistics(history, broken).overall
    assert overall.share_right == 0
    assert flags(overall) == {"everyone_wrong"}
    assert [flag.text for flag in overall.flags] == ["Everyone got it wrong"]


def test_an_item_the_strong_miss_and_the_weak_get_is_flagged(history: History) -> None:
    tricky = history.item("tricky")
    for learner in history.strong:
        history.answer(learner, tricky, [False, False])
    for learner in history.weak:
        history.answer(learner, tricky, [True, False])
    overall = statistics(history, tricky).overall
    assert overall.stronger_share_right == 0.0 and overall.weaker_share_right == 0.5
    assert flags(overall) == {"negative_discrimination"}
    assert "Stronger learners miss it more often than weaker ones" in {f.text for f in overall.flags}


def test_no_flag_before_there_is_enough_evidence(history: History) -> None:
    few = history.item("few")
    for learner in history.strong[:4]:  # 4 answers, all wrong, strong learners only
        history.answer(learner, few, [False])
    for learner in history.weak[:4]:
        history.answer(learner, few, [False])
    overall = statistics(history, few).overall
    assert overall.answers == 8 < item_statistics.MIN_ANSWERS_FOR_FLAG
    assert overall.learners == 8 < item_statistics.MIN_LEARNERS_FOR_DISCRIMINATION
    assert overall.stronger_share_right is None and flags(overall) == set()


def test_each_version_has_its_own_figures_and_any_version_names_the_lineage(history: History) -> None:
    first = history.item("versioned", stem="Version one", superseded_at=timezone.now())
    second = history.item("versioned", stem="Version two", lineage=first, version=2)
    for learner in history.learners:
        history.answer(learner, first, [False], seconds=10)
        history.answer(learner, second, [True], seconds=30)
    for asked in (first, second):
        found = statistics(history, asked)
        assert found.item.pk == second.pk and found.first_version_id == first.pk
        one, two = found.versions
        assert (one.item.version, one.figures.answers, one.figures.right) == (1, 12, 0)
        assert (two.item.version, two.figures.answers, two.figures.right) == (2, 12, 12)
        assert flags(one.figures) == {"everyone_wrong"} and flags(two.figures) == set()
        assert found.overall.answers == 24 and found.overall.mean_seconds == 20.0


def test_another_schools_answers_are_not_counted(history: History, world: Any) -> None:
    good = history.item("good")
    history.answer(history.learners[0], good, [True])
    other = statistics(history, good)
    assert other.overall.answers == 1
    assert item_statistics.item_statistics(good, school_ids=[world.b.school.pk]).empty


def test_the_staff_page_shows_figures_flags_and_versions(
    history: History, world: Any, client_for: Any
) -> None:
    broken = history.item("broken-key")
    for learner in history.learners:
        history.answer(learner, broken, [False], seconds=15)
    teacher: Client = client_for(world.a.teacher)
    url = reverse("item-statistics", args=[world.a.school.pk, broken.pk])
    page = teacher.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Everyone got it wrong" in text and "15.0 s" in text and "0%" in text
    assert "<math" in text, "the stem is shown as the learners saw it"


def test_the_page_says_so_when_nobody_answered(history: History, world: Any, client_for: Any) -> None:
    fresh = history.item("fresh")
    page = client_for(world.a.teacher).get(reverse("item-statistics", args=[world.a.school.pk, fresh.pk]))
    assert page.status_code == 200
    assert "has answered this item yet" in page.content.decode()
    assert "Everyone got it wrong" not in page.content.decode().split("How the flags are decided")[0]


def test_the_page_and_the_api_are_404_for_a_learner_and_another_school(
    history: History, world: Any, client_for: Any
) -> None:
    item = history.item("good")
    for person, school in ((world.a.learner, world.a.school), (world.b.teacher, world.b.school)):
        client = client_for(person)
        assert client.get(reverse("item-statistics", args=[school.pk, item.pk])).status_code == 404
        assert client.get(f"/api/items/{item.pk}/statistics").status_code == 404


def test_the_api_gives_the_figures_per_version(history: History, world: Any, client_for: Any) -> None:
    tricky = history.item("tricky")
    for learner in history.strong:
        history.answer(learner, tricky, [False], seconds=8)
    for learner in history.weak:
        history.answer(learner, tricky, [True], seconds=12)
    body = client_for(world.a.teacher).get(f"/api/items/{tricky.pk}/statistics").json()
    assert body["item_id"] == body["first_version_id"] == tricky.pk and body["code"] == "tricky"
    overall = body["overall"]
    assert (overall["answers"], overall["right"], overall["share_right"], overall["mean_seconds"]) == (
        12,
        6,
        0.5,
        10.0,
    )
    assert [flag["code"] for flag in overall["flags"]] == ["negative_discrimination"]
    (version,) = body["versions"]
    assert version["current"] is True and "<math" in version["stem_html"]


def test_the_page_costs_the_same_queries_however_many_answers(
    history: History, world: Any, client_for: Any
) -> None:
    item = history.item("good")
    client = client_for(world.a.teacher)
    url = reverse("item-statistics", args=[world.a.school.pk, item.pk])
    history.answer(history.learners[0], item, [True])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for learner in history.learners:
        history.answer(learner, item, [True, False, True])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
