from django import forms
from django.utils.translation import gettext_lazy as _

from civhub.awards.choices import ApplicantKind
from civhub.awards.models import Submission
from civhub.awards.services.submissions import DRAFT_FIELDS
from civhub.core.models import AttachmentKind


class SubmissionForm(forms.ModelForm):
    """The applicant's draft: everything may be left empty but the title, and finished later;
    what is missing for submitting is listed by the completeness check."""

    class Meta:
        model = Submission
        fields = [*DRAFT_FIELDS, "topics", "sdg_targets"]
        widgets = {
            "running_since": forms.DateInput(attrs={"type": "date"}),
            "topics": forms.CheckboxSelectMultiple,
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in [
                    "summary",
                    "problem",
                    "solution",
                    "results",
                    "evidence",
                    "novelty",
                    "replication",
                    "costs",
                    "partners",
                ]
            },
        }

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.call = call
        self.fields["category"].queryset = call.categories.all()
        self.fields["applicant_kind"].choices = [("", "---------")] + [
            (kind, label) for kind, label in ApplicantKind.choices if kind in call.eligible_kinds
        ]
        self.fields["running_since"].help_text = _("The day the solution started (YYYY-MM-DD).")


class AnswerForm(forms.Form):
    message = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000
    )


class TransitionForm(forms.Form):
    message = forms.CharField(
        label=_("Reason, question or minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, Excel or an image."))
    title = forms.CharField(label=_("Title"), required=False, max_length=300)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (k, label)
            for k, label in AttachmentKind.choices
            if k in (AttachmentKind.EVIDENCE, AttachmentKind.DOCUMENT, AttachmentKind.IMAGE)
        ],
    )
