"""The question editor and the bank's search: forms that only parse; the rules live in the services."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tessera.curriculum.items.services import CompetencyLink, ItemSpec, tags_parse
from tessera.curriculum.models import TEXT_LENGTH, Competency, Item
from tessera.schools.text import validate_plain_text

MATHS_HELP = _(
    "Markdown: **bold**, *italic*, lists. Maths between \\( and \\), for example \\(\\frac{3}{4}\\) or "
    "\\(x^2\\); a line of its own between \\[ and \\]. An image uploaded to the school: "
    "![what it shows](file:12) — the words in brackets are its alt text, read to those who cannot see it."
)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


class ItemForm(forms.Form):
    """Every kind's fields; the ones a kind does not use are ignored. Choices and hints one per line."""

    kind = forms.ChoiceField(label=_("Kind of question"), choices=Item.Kind.choices)
    stem = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LENGTH,
        help_text=MATHS_HELP,
        validators=[validate_plain_text],
    )
    choices = forms.CharField(
        label=_("Choices (one per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Multiple choice and multiple selection. Maths and images as in the question."),
        validators=[validate_plain_text],
    )
    correct = forms.CharField(
        label=_("Number of the correct choice"),
        required=False,
        max_length=100,
        help_text=_("Counting from 1. Multiple selection: every correct number, separated by commas (1, 3)."),
    )
    numeric_answer = forms.FloatField(label=_("Correct number"), required=False, help_text=_("Numeric."))
    tolerance = forms.FloatField(
        label=_("Tolerance"),
        required=False,
        initial=0,
        help_text=_("Numeric: how far from the answer still counts as right (0 means exactly)."),
    )
    accepted_answers = forms.CharField(
        label=_("Accepted answers (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Short text: any of these is right, whatever the capital letters."),
        validators=[validate_plain_text],
    )
    rubric = forms.CharField(
        label=_("Rubric"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Open response: what a full answer shows. Open responses are marked by a person."),
        validators=[validate_plain_text],
    )
    hints = forms.CharField(
        label=_("Hints (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Shown one at a time, in this order."),
        validators=[validate_plain_text],
    )
    feedback = forms.CharField(
        label=_("Worked feedback"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Shown after the answer: how to get it."),
        validators=[validate_plain_text],
    )
    difficulty = forms.FloatField(
        label=_("Difficulty"),
        initial=0,
        min_value=-6,
        max_value=6,
        help_text=_("0 is average, -2 easy, +2 hard."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas: fractions, word problems."),
        validators=[validate_plain_text],
    )
    competencies = forms.MultipleChoiceField(
        label=_("Competencies it assesses"), widget=forms.CheckboxSelectMultiple, required=False
    )
    primary = forms.ChoiceField(
        label=_("Primary competency"),
        widget=forms.RadioSelect,
        required=False,
        help_text=_("The one it mainly assesses; ticked above too."),
    )
    client_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, competencies: list[Competency] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [(str(c.pk), f"{c.name} ({c.code})") for c in competencies or []]
        for name in ("competencies", "primary"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options
        if not self.is_bound:
            self.initial.setdefault("client_id", str(uuid.uuid4()))

    @classmethod
    def initial_of(cls, spec: ItemSpec) -> dict[str, Any]:
        """The form's initial values for an item's spec (editing it)."""
        if spec.kind == Item.Kind.MULTIPLE_CHOICE and spec.correct_choice is not None:
            correct = str(spec.correct_choice + 1)
        else:
            correct = ", ".join(str(n + 1) for n in spec.correct_choices)
        primary = next((link.competency_id for link in spec.competencies if link.primary), None)
        return {
            "kind": spec.kind,
            "stem": spec.stem,
            "choices": "\n".join(spec.choices),
            "correct": correct,
            "numeric_answer": spec.numeric_answer,
            "tolerance": spec.tolerance,
            "accepted_answers": "\n".join(spec.accepted_answers),
            "rubric": spec.rubric,
            "hints": "\n".join(spec.hints),
            "feedback": spec.feedback,
            "difficulty": spec.difficulty,
            "language": spec.language,
            "tags": ", ".join(spec.tags),
            "competencies": [str(link.competency_id) for link in spec.competencies],
            "primary": str(primary) if primary else "",
        }

    def clean_correct(self) -> tuple[int, ...]:
        raw = self.cleaned_data.get("correct") or ""
        numbers = []
        for part in raw.replace(";", ",").split(","):
            if part.strip():
                if not part.strip().isdigit() or int(part) < 1:
                    raise forms.ValidationError(
                        _("Write the numbers of the correct choices, counting from 1."),
                        code="correct_invalid",
                    )
                numbers.append(int(part) - 1)
        return tuple(numbers)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Item.Kind.MULTIPLE_CHOICE and len(data.get("correct") or ()) > 1:
            self.add_error(
                "correct",
                forms.ValidationError(_("Multiple choice has one correct choice."), code="correct_many"),
            )
        return data

    def spec(self) -> ItemSpec:
        """The valid form as the services' spec (the primary competency counts as ticked)."""
        data = self.cleaned_data
        kind = data["kind"]
        correct = data.get("correct") or ()
        ticked = [int(pk) for pk in data.get("competencies") or []]
        primary = int(data["primary"]) if data.get("primary") else None
        if primary is not None and primary not in ticked:
            ticked.insert(0, primary)
        return ItemSpec(
            kind=kind,
            stem=data["stem"],
            choices=_lines(data.get("choices", "")),
            correct_choice=correct[0] if kind == Item.Kind.MULTIPLE_CHOICE and correct else None,
            correct_choices=tuple(correct) if kind == Item.Kind.MULTIPLE_SELECTION else (),
            numeric_answer=data.get("numeric_answer"),
            tolerance=data.get("tolerance") or 0.0,
            accepted_answers=_lines(data.get("accepted_answers", "")),
            rubric=data.get("rubric", ""),
            hints=_lines(data.get("hints", "")),
            feedback=data.get("feedback", ""),
            difficulty=data.get("difficulty") or 0.0,
            language=data["language"],
            tags=tags_parse(data.get("tags", "")),
            competencies=tuple(CompetencyLink(pk, pk == primary) for pk in ticked),
        )


class BankSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, help_text=_("Words of the question, or its code.")
    )
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Item.Kind.choices]
    )
    framework = forms.TypedChoiceField(label=_("Framework"), required=False, coerce=int, empty_value=None)
    retired = forms.BooleanField(label=_("Include retired questions"), required=False)

    def __init__(self, *args: Any, tags: list[str], frameworks: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tag, framework = self.fields["tag"], self.fields["framework"]
        assert isinstance(tag, forms.ChoiceField) and isinstance(framework, forms.ChoiceField)
        tag.choices = [("", _("Any tag")), *[(t, t) for t in tags]]
        framework.choices = [("", _("Any framework")), *[(f.pk, f.name) for f in frameworks]]
