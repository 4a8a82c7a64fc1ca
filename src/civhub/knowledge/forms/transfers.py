from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from civhub.core.models import AttachmentKind
from civhub.directory.models import Country, Organization
from civhub.knowledge.models import KnowledgeTransfer, LegalAct, Practice

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LinksField(forms.CharField):
    """Web addresses, one per line; an error names the line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def validate(self, value):
        super().validate(value)
        check = URLValidator(schemes=["http", "https"])
        errors = []
        for number, url in enumerate(value, start=1):
            try:
                check(url)
            except forms.ValidationError:
                errors.append(
                    forms.ValidationError(
                        _("Line %(line)s: “%(url)s” is not a web address (http:// or https://)."),
                        params={"line": number, "url": url[:200]},
                    )
                )
        if errors:
            raise forms.ValidationError(errors)


class ActChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.country.name} — {obj}"


class TransferForm(forms.ModelForm):
    """A focal point records transfers its own country shared or learned: the source or the
    target country must be its country."""

    evidence_urls = LinksField(
        label=_("Evidence links"),
        required=False,
        help_text=_("One web address per line: reports, agreements, news of the transfer."),
    )
    legal_act = ActChoiceField(
        label=_("Law or by-law"), queryset=LegalAct.objects.none(), required=False
    )

    class Meta:
        model = KnowledgeTransfer
        fields = [
            "source_country",
            "source_organization",
            "target_country",
            "target_organization",
            "subject_kind",
            "practice",
            "legal_act",
            "institution",
            "subject_en",
            "subject_ru",
            "subject_kk",
            "kind",
            "stage",
            "started_on",
            "ended_on",
            "outcome_en",
            "outcome_ru",
            "outcome_kk",
            "evidence_urls",
            "source_note",
            "state",
        ]
        widgets = {"started_on": DATE, "ended_on": DATE}
        help_texts = {
            "source_country": _("The country that shared the knowledge."),
            "source_organization": _(
                "Or the organization that shared it (e.g. an international organization)."
            ),
            "practice": _("When a good practice was transferred."),
            "institution": _("When an institution's model was studied or copied."),
            "source_note": _("Where this is known from."),
            "state": _("Drafts are seen only by editors and the focal points of both countries."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        countries = Country.objects.order_by("name")
        organizations = Organization.objects.order_by("name")
        self.fields["source_country"].queryset = countries
        self.fields["target_country"].queryset = countries
        for name in ("source_organization", "target_organization", "institution"):
            self.fields[name].queryset = organizations
        practices = Practice.objects.all()
        acts = LegalAct.objects.select_related("country")
        if user is not None:
            practices = practices.visible_to(user)
            acts = acts.visible_to(user)
        self.fields["practice"].queryset = practices.order_by("title")
        self.fields["legal_act"].queryset = acts
        self.fields["subject_en"].help_text = _("In a few words: what was learned.")
        if user is not None and not user.is_editor:
            self.fields["target_country"].help_text = _(
                "The source or the target must be your country."
            )

    def clean(self):
        data = super().clean()
        language_titles = [data.get(f"subject_{code}") for code in ("en", "ru", "kk")]
        if not any(language_titles):
            self.add_error("subject_en", _("Say in a few words what was learned."))
        user = self.user
        if user is not None and not user.is_editor:
            own = user.focal_country_ids
            source, target = data.get("source_country"), data.get("target_country")
            if not ({getattr(source, "pk", None), getattr(target, "pk", None)} & own):
                self.add_error(
                    "target_country",
                    _("The source or the target must be your country."),
                )
        return data


class EvidenceFileForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, Excel or an image."))
    title = forms.CharField(label=_("Title"), required=False, max_length=300)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=AttachmentKind.choices, initial=AttachmentKind.EVIDENCE
    )
