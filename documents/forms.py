"""Documents: the forms. A file cannot be shown again after a problem, so the page
says to choose it again; the kind and title typed are kept."""

from django import forms
from django.conf import settings

from documents.models import DocumentKind
from documents.services import (
    CHOOSE_KIND,
    ENTER_TITLE,
    TITLE_LIMIT,
    max_bytes,
    too_large_message,
)
from rules.file_types import ACCEPTED_EXTENSIONS, EMPTY, display_name
from web.forms import GovUKForm

CHOOSE_FILE = "Select a file"


class DocumentUploadForm(GovUKForm):
    kind = forms.ChoiceField(
        label="What kind of document is it?",
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_KIND, "invalid_choice": CHOOSE_KIND},
    )
    title = forms.CharField(
        label="Title",
        help_text="For example, ‘Genogram, mother’s family’ or ‘Letter from the GP’",
        max_length=TITLE_LIMIT,
        error_messages={
            "required": ENTER_TITLE,
            "max_length": f"The title must be {TITLE_LIMIT} characters or fewer",
        },
    )
    file = forms.FileField(
        label="Upload a file",
        widget=forms.FileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
        error_messages={
            "required": CHOOSE_FILE,
            "missing": CHOOSE_FILE,
            "invalid": CHOOSE_FILE,
            "empty": EMPTY,
        },
    )

    def __init__(self, *args, file_too_large: bool = False, **kwargs):
        """`file_too_large`: the file was refused as it arrived (documents/uploads.py),
        so the request has none; the page says it was too big, not that none was chosen."""
        super().__init__(*args, **kwargs)
        self.file_too_large = file_too_large
        self.fields["file"].required = not file_too_large
        self.fields["file"].help_text = (
            "A PDF, a Word document (.docx) or a PNG, JPEG or HEIC image,"
            f" smaller than {settings.DOCUMENTS_MAX_MB}MB"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if self.file_too_large or upload.size > max_bytes():
            raise forms.ValidationError(too_large_message())
        return upload

    def full_clean(self):
        super().full_clean()
        chosen = self.files.get("file") if self.files else None
        if self.is_bound and self._errors and "file" not in self._errors and chosen:
            # The browser will not send the file again by itself.
            again = (
                f"Choose the file again: ‘{display_name(chosen.name)}’ was not kept,"
                " because something else needs changing"
            )
            # The bound field copied the hint when it was made, during the checks.
            self.fields["file"].help_text = self["file"].help_text = again
