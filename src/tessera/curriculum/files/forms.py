from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tessera.curriculum.files.services import ALT_LENGTH
from tessera.schools.text import validate_plain_text


class FileUploadForm(forms.Form):
    file = forms.FileField(label=_("Image or PDF"))
    alt = forms.CharField(
        label=_("Alt text (for an image)"),
        required=False,
        max_length=ALT_LENGTH,
        validators=[validate_plain_text],
        help_text=_(
            "What the image shows, in a sentence, for those who cannot see it: a screen reader reads it "
            "and read-aloud says it. Needed for every image."
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        mb = settings.CURRICULUM_FILE_MAX_BYTES // (1024 * 1024)
        self.fields["file"].help_text = _("PNG, JPEG, GIF or PDF, at most %(mb)d MB.") % {"mb": mb}
        self.fields["file"].widget.attrs["accept"] = "image/png,image/jpeg,image/gif,application/pdf"
