from django import forms
from django.utils.translation import gettext_lazy as _

from trackii.accounts.uploads import validate_size
from trackii.sealing.verify import MAX_PDF_BYTES


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("PDF to check"),
        help_text=_("A summary or disclosure report Trackii sealed. The file is checked and not kept."),
    )

    def clean_file(self):
        # Only the size is judged here. Whether the bytes are a PDF at all, whole, sealed and by whom is the
        # answer the page gives (trackii.sealing.verify), whatever the file's name: a damaged or mislabelled
        # file is exactly what someone comes here to check.
        upload = self.cleaned_data["file"]
        validate_size(upload, max_bytes=MAX_PDF_BYTES)
        return upload
