# ruff: noqa: E501 - the questions as a teacher types them, one line each
"""Questions and a page the demo school's maths teacher wrote in the browser: maths in LaTeX (fractions,
powers, roots), a hint, worked feedback, a multiple selection, and a resource page, written through the
question bank's and the resources' services as the editor writes them. Idempotent: once the teacher's
questions are there, nothing happens."""

from __future__ import annotations

from django.db import transaction

from tessera.curriculum.items.services import CompetencyLink, ItemSpec, item_create
from tessera.curriculum.models import Competency, Framework, Item
from tessera.curriculum.resources.services import ResourceInput, resource_create
from tessera.schools.models import School, User

TAG = "written-in-tessera"
TEACHER = "t.garcia"


def _specs(competency: Competency) -> list[ItemSpec]:
    link = (CompetencyLink(competency.pk, primary=True),)
    common = {"tags": (TAG, "fractions"), "competencies": link}
    return [
        ItemSpec(
            kind="multiple_choice",
            stem=r"Which is the sum \(\frac{1}{2} + \frac{1}{4}\)?",
            choices=(r"\(\frac{2}{6}\)", r"\(\frac{3}{4}\)", r"\(\frac{1}{6}\)", r"\(\frac{2}{4}\)"),
            correct_choice=1,
            hints=(r"Write both with the same denominator: \(\frac{1}{2} = \frac{2}{4}\).",),
            feedback=r"\(\frac{2}{4} + \frac{1}{4} = \frac{3}{4}\): add the numerators, keep the denominator.",
            difficulty=-0.3,
            **common,  # type: ignore[arg-type]
        ),
        ItemSpec(
            kind="numeric",
            stem=r"Work out \(\frac{3}{5}\) of 40.",
            numeric_answer=24,
            hints=(r"First find \(\frac{1}{5}\) of 40.",),
            feedback=r"\(40 \div 5 = 8\), and \(3 \times 8 = 24\).",
            **common,  # type: ignore[arg-type]
        ),
        ItemSpec(
            kind="multiple_selection",
            stem=r"Select **every** fraction equal to \(\frac{2}{3}\).",
            choices=(r"\(\frac{4}{6}\)", r"\(\frac{6}{9}\)", r"\(\frac{3}{2}\)", r"\(\frac{2}{6}\)"),
            correct_choices=(0, 1),
            hints=("Multiply the numerator and the denominator by the same number.",),
            feedback=r"\(\frac{2 \times 2}{3 \times 2} = \frac{4}{6}\) and \(\frac{2 \times 3}{3 \times 3} = \frac{6}{9}\).",
            difficulty=0.4,
            **common,  # type: ignore[arg-type]
        ),
    ]


PAGE = r"""Two fractions are **equivalent** when they name the same amount.

Multiply (or divide) the numerator and the denominator by the same number:

\[\frac{2}{3} = \frac{2 \times 4}{3 \times 4} = \frac{8}{12}\]

To add fractions, write them with one denominator first: \(\frac{1}{2} + \frac{1}{3} = \frac{3}{6} + \frac{2}{6} = \frac{5}{6}\).
"""


def demo_question_bank_load(*, school: School, framework: Framework) -> int:
    """The teacher's questions on the first fractions competency of ``framework`` and a page about
    equivalent fractions; the number of questions written (0 when they are already there)."""
    if Item.objects.filter(framework=framework, author__username=TEACHER).exists():
        return 0
    teacher = User.objects.get(username=TEACHER)
    competency = (
        Competency.objects.filter(framework=framework, name__icontains="fraction")
        .order_by("domain__position", "position", "pk")
        .first()
    )
    if competency is None:
        return 0
    with transaction.atomic():
        for spec in _specs(competency):
            item_create(actor=teacher, framework=framework, spec=spec)
        resource_create(
            actor=teacher,
            framework=framework,
            data=ResourceInput(
                title="Equivalent fractions, in one page",
                kind="reading",
                form="page",
                competencies=[competency],
                body=PAGE,
                reading_level=6,
            ),
        )
    return len(_specs(competency))
