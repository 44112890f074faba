from django import forms

from trackii.accounts.uploads import validate_upload
from trackii.sealing.verify import MAX_PDF_BYTES


class VerifyForm(forms.Form):
    file = forms.FileField(
        label="PDF to check",
        help_text="A summary or disclosure report Trackii sealed. The file is checked and not kept.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, allowed=("application/pdf",), max_bytes=MAX_PDF_BYTES)
        return upload
