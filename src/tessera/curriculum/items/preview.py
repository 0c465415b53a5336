"""An item as a learner sees it: the server's HTML (Markdown, maths as MathML) and the words read-aloud
says, for the editor's live preview, the item page and the API's preview. Nothing is saved."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tessera.curriculum.items.services import ItemSpec
from tessera.curriculum.models import Item
from tessera.curriculum.rich_text import text_html, text_speech


@dataclass(frozen=True)
class ItemPreview:
    kind: str
    language: str
    stem_html: SafeString
    choices_html: list[SafeString]
    hints_html: list[SafeString]
    feedback_html: SafeString
    rubric_html: SafeString
    speech: str  # the stem, then each option: what the Read-aloud button says
    correct: list[str]  # the correct answers as staff read them (choice texts, numbers, accepted answers)
    choices_speech: list[str]  # each option in words, as read aloud

    @property
    def has_choices(self) -> bool:
        return self.kind in (Item.Kind.MULTIPLE_CHOICE, Item.Kind.MULTIPLE_SELECTION)

    @property
    def choice_rows(self) -> list[tuple[SafeString, str]]:
        """Each option's HTML and, when it shows maths, the words that name its control: not every browser
        and screen reader names a control from MathML inside its label (practice.js does the same)."""
        rows = zip(self.choices_html, self.choices_speech, strict=True)
        return [(html, words if "<math" in html else "") for html, words in rows]

    @property
    def selection(self) -> bool:
        return self.kind == Item.Kind.MULTIPLE_SELECTION

    @property
    def numeric(self) -> bool:
        return self.kind == Item.Kind.NUMERIC

    @property
    def open_response(self) -> bool:
        return self.kind == Item.Kind.OPEN_RESPONSE


def _html(text: str, *, inline: bool = False) -> SafeString:
    return mark_safe(text_html(text, inline=inline))  # noqa: S308 (sanitized by nh3 in text_html)


def item_preview(spec: ItemSpec) -> ItemPreview:
    """``spec`` (checked by :func:`~tessera.curriculum.items.services.item_spec_check`) rendered."""
    choices = list(spec.choices)
    speech = [text_speech(spec.stem)]
    speech += [
        _("Option %(number)d: %(text)s") % {"number": n + 1, "text": text_speech(c)}
        for n, c in enumerate(choices)
    ]
    if spec.kind == Item.Kind.MULTIPLE_CHOICE:
        correct = [choices[spec.correct_choice]] if spec.correct_choice is not None else []
    elif spec.kind == Item.Kind.MULTIPLE_SELECTION:
        correct = [choices[n] for n in spec.correct_choices if 0 <= n < len(choices)]
    elif spec.kind == Item.Kind.NUMERIC:
        answer = spec.numeric_answer
        correct = (
            [] if answer is None else [f"{answer:g}" + (f" ± {spec.tolerance:g}" if spec.tolerance else "")]
        )
    elif spec.kind == Item.Kind.SHORT_TEXT:
        correct = list(spec.accepted_answers)
    else:
        correct = []
    return ItemPreview(
        kind=spec.kind,
        language=spec.language,
        stem_html=_html(spec.stem),
        choices_html=[_html(c, inline=True) for c in choices],
        hints_html=[_html(h, inline=True) for h in spec.hints if h.strip()],
        feedback_html=_html(spec.feedback),
        rubric_html=_html(spec.rubric),
        speech=" ".join(part.rstrip(".") + "." for part in speech if part),
        correct=correct,
        choices_speech=[text_speech(c) for c in choices],
    )
