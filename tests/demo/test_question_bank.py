"""The demo school's teacher-written questions: maths a learner sees as MathML and hears in words, written
through the question bank's services, offered in practice, and loaded once."""

from __future__ import annotations

from typing import Any

from tessera.curriculum.bank import framework_bank
from tessera.curriculum.models import Framework, Item, Resource
from tessera.curriculum.rich_text import text_html, text_speech
from tessera.demo.curriculum import DEMO_FRAMEWORK_CODE, demo_framework_load
from tessera.demo.question_bank import TEACHER, demo_question_bank_load
from tessera.demo.school import demo_school_load


def test_the_maths_teacher_has_written_questions_with_maths(db: Any) -> None:
    school, _ = demo_school_load()
    framework, _ = demo_framework_load(school=school)
    assert demo_question_bank_load(school=school, framework=framework) == 3
    written = list(Item.objects.filter(framework=framework, author__username=TEACHER).order_by("pk"))
    assert {item.kind for item in written} == {"multiple_choice", "numeric", "multiple_selection"}
    for item in written:
        assert "<math" in text_html(item.stem) and "\\frac" not in text_speech(item.stem)
        assert item.hints and item.feedback and item.itemcompetency_set.get().primary
    offered = framework_bank(Framework.objects.get(pk=framework.pk))
    competency = written[0].competencies.get()
    assert set(written) <= set(offered.items_of[competency.pk]), "practice offers them"
    page = Resource.objects.get(framework=framework, form="page")
    assert 'display="block"' in text_html(page.body)

    assert demo_question_bank_load(school=school, framework=framework) == 0, "loaded once"
    assert Item.objects.filter(framework=framework, author__username=TEACHER).count() == 3
    assert framework.code == DEMO_FRAMEWORK_CODE
