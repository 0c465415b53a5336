from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tessera.curriculum.framework_file import MAX_FILE_BYTES


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label=_("Framework file (JSON)"),
        help_text=_("UTF-8 JSON in the Tessera framework format, at most %(mb)d MB.")
        % {"mb": MAX_FILE_BYTES // (1024 * 1024)},
    )
