from django import forms
from django.utils.translation import gettext_lazy as _

from civhub.core.models import AttachmentKind
from civhub.directory.models import Country, Organization, SdgTarget, Topic
from civhub.knowledge.models import Practice


class LinesField(forms.CharField):
    """A list of short texts, one per line (e.g. countries as the source names them)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class PracticeForm(forms.ModelForm):
    """The submission form. Every text field exists in the three languages; the author fills
    the original language and may add translations."""

    countries_text = LinesField(
        label=_("Countries involved, as written"),
        required=False,
        help_text=_(
            "One per line, when a phrase names no single country (e.g. “32 participating countries”)."
        ),
    )
    supported_by_text = LinesField(label=_("Supported by, as written"), required=False)
    implementing_text = LinesField(label=_("Implementing entities, as written"), required=False)

    class Meta:
        model = Practice
        fields = [
            "language",
            "title_en",
            "title_ru",
            "title_kk",
            "summary_en",
            "summary_ru",
            "summary_kk",
            "challenge_en",
            "challenge_ru",
            "challenge_kk",
            "solution_en",
            "solution_ru",
            "solution_kk",
            "results_en",
            "results_ru",
            "results_kk",
            "lessons_en",
            "lessons_ru",
            "lessons_kk",
            "countries",
            "countries_text",
            "supported_by",
            "supported_by_text",
            "implementing_entities",
            "implementing_text",
            "topics",
            "sdg_targets",
            "project_status",
            "period_start",
            "period_end",
            "publication_date",
            "url",
            "source",
        ]
        widgets = {
            "countries": forms.SelectMultiple(attrs={"size": 8}),
            "supported_by": forms.SelectMultiple(attrs={"size": 6}),
            "implementing_entities": forms.SelectMultiple(attrs={"size": 6}),
            "topics": forms.CheckboxSelectMultiple,
            "sdg_targets": forms.SelectMultiple(attrs={"size": 8}),
            "publication_date": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "language": _("The language the record is written in. Translations are optional.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].queryset = Country.objects.order_by("name")
        self.fields["supported_by"].queryset = Organization.objects.order_by("name")
        self.fields["implementing_entities"].queryset = Organization.objects.order_by("name")
        self.fields["topics"].queryset = Topic.objects.all()
        self.fields["sdg_targets"].queryset = SdgTarget.objects.select_related("goal")
        for name in ("countries", "supported_by", "implementing_entities", "sdg_targets"):
            self.fields[name].help_text = _("Hold Ctrl (Cmd on a Mac) to pick several.")

    def clean(self):
        data = super().clean()
        language = data.get("language") or "en"
        if not data.get(f"title_{language}"):
            self.add_error(
                f"title_{language}", _("The title in the original language is required.")
            )
        return data


class TransitionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the author"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EndorseForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=500)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, Excel or an image."))
    title = forms.CharField(label=_("Title"), required=False, max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=AttachmentKind.choices)
