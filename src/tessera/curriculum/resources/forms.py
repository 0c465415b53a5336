from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tessera.curriculum.models import Competency, CurriculumFile, Resource
from tessera.curriculum.resources.services import BODY_LENGTH, URL_LENGTH, ResourceInput
from tessera.schools.text import validate_plain_text

BODY_HELP = _(
    "Markdown: a blank line starts a paragraph, **bold**, *italic*, lists with - or 1. "
    "Maths in LaTeX between \\( and \\), for example \\(\\frac{3}{4}\\) or \\(x^2\\); a formula on its "
    "own line between \\[ and \\]. Images must be uploads of the school, with alt text: upload one on "
    "the Images and files page and paste its snippet, ![what it shows](file:12)."
)


class FileChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.original_name} (file:{obj.pk})"


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_plain_text])
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)
    form = forms.ChoiceField(
        label=_("Form"),
        choices=Resource.Form.choices,
        widget=forms.RadioSelect,
        help_text=_("Fill in the address for a link, the file for a file, the text for a page."),
    )
    url = forms.CharField(
        label=_("Address of the link"),
        required=False,
        max_length=URL_LENGTH,
        help_text=_("Starting with https:// or http://."),
        widget=forms.URLInput,
    )
    file = FileChoice(
        label=_("File"),
        queryset=CurriculumFile.objects.none(),
        required=False,
        help_text=_("An image or PDF uploaded to the school."),
    )
    body = forms.CharField(
        label=_("Text of the page"),
        required=False,
        max_length=BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=BODY_HELP,
    )
    competencies = forms.ModelMultipleChoiceField(
        label=_("Competencies it helps with"),
        queryset=Competency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    reading_level = forms.IntegerField(
        label=_("Reading level (grade, 0 to 13)"), required=False, min_value=0, max_value=13
    )
    interest_topics = forms.CharField(
        label=_("Interest topics"),
        required=False,
        max_length=600,
        validators=[validate_plain_text],
        help_text=_("Separated by commas, for example: sport, cooking."),
    )

    def __init__(
        self,
        *args: Any,
        competencies: QuerySet[Competency],
        files: QuerySet[CurriculumFile],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = competencies  # type: ignore[attr-defined]
        self.fields["file"].queryset = files  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(resource: Resource) -> dict[str, Any]:
        return {
            "title": resource.title,
            "kind": resource.kind,
            "form": resource.form,
            "url": resource.url,
            "file": resource.file_id,
            "body": resource.body,
            "competencies": [c.pk for c in resource.competencies.all()],
            "reading_level": resource.reading_level,
            "interest_topics": ", ".join(resource.interest_topics),
        }

    def resource_input(self) -> ResourceInput:
        data = self.cleaned_data
        return ResourceInput(
            title=data["title"],
            kind=data["kind"],
            form=data["form"],
            competencies=list(data["competencies"]),
            url=data["url"],
            file=data["file"],
            body=data["body"],
            reading_level=data["reading_level"],
            interest_topics=[t for t in data["interest_topics"].split(",") if t.strip()],
        )
