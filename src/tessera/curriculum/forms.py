from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tessera.curriculum.framework_file import MAX_FILE_BYTES
from tessera.curriculum.models import CODE_LENGTH, NAME_LENGTH

SIZE = _("At most %(mb)d MB, UTF-8.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}


class FrameworkImportForm(forms.Form):
    """A JSON framework file, or competencies.csv (and items.csv) with the framework's code and name."""

    file = forms.FileField(label=_("Framework file (JSON)"), required=False, help_text=SIZE)
    competencies = forms.FileField(
        label=_("Or: competencies.csv"), required=False, help_text=_("One row per competency.")
    )
    items = forms.FileField(
        label=_("items.csv"), required=False, help_text=_("Optional, with competencies.csv.")
    )
    code = forms.SlugField(
        label=_("Framework code"), max_length=CODE_LENGTH, required=False, help_text=_("With CSV files.")
    )
    name = forms.CharField(
        label=_("Framework name"), max_length=NAME_LENGTH, required=False, help_text=_("With CSV files.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("file") and data.get("competencies"):
            raise forms.ValidationError(_("Upload either a JSON file or CSV files, not both."))
        if not data.get("file") and not data.get("competencies"):
            raise forms.ValidationError(_("Attach a framework file (JSON) or competencies.csv."))
        if data.get("competencies"):
            for field in ("code", "name"):
                if not data.get(field) and field not in self.errors:
                    self.add_error(field, _("Needed when you upload CSV files."))
        if data.get("items") and not data.get("competencies"):
            self.add_error("items", _("Upload items.csv together with competencies.csv."))
        return data
