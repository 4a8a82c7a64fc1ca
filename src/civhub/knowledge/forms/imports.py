"""The editors' upload form for importing practices."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civhub.knowledge import importers

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

FORMAT_CHOICES = [
    (
        importers.UN_TEXT,
        _("Text of the UN series “Good Practices in South-South and Triangular Cooperation”"),
    ),
    (importers.JSON, _("JSON (a list of records, as exported)")),
    (importers.CSV, _("CSV (one record per row, as exported)")),
]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("UTF-8 text, JSON or CSV; at most 10 MB."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial=importers.UN_TEXT)
    dry_run = forms.BooleanField(
        label=_("Dry run: only show what would be imported"), required=False, initial=True
    )
    publish = forms.BooleanField(label=_("Publish the imported practices"), required=False)
    strict = forms.BooleanField(
        label=_("Strict: refuse a text file in which a field had to be guessed or is missing"),
        required=False,
        help_text=_("Otherwise such a record is imported, with a warning naming the line."),
    )
    update = forms.BooleanField(
        label=_("Update practices imported before from the same file"),
        required=False,
        help_text=_("Otherwise a practice with the same title and file is skipped."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
