from django import forms
from django.utils.translation import gettext_lazy as _

from civhub.directory.models import Country, Topic
from civhub.knowledge.forms.common import require_original_title
from civhub.knowledge.models import LegalAct

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActChoiceField(forms.ModelMultipleChoiceField):
    """Acts named with their country, so that “drew on” reads “Georgia — Law on …”."""

    def label_from_instance(self, obj):
        return f"{obj.country.name} — {obj}"


class LegalActForm(forms.ModelForm):
    """Title and summary exist in the three languages; the original language's title is
    required. A focal point files acts under its own country only."""

    amends = ActChoiceField(
        label=_("Amends"),
        queryset=LegalAct.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    repeals = ActChoiceField(
        label=_("Repeals"),
        queryset=LegalAct.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    drew_on = ActChoiceField(
        label=_("Drew on"),
        queryset=LegalAct.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = LegalAct
        fields = [
            "country",
            "kind",
            "language",
            "title_en",
            "title_ru",
            "title_kk",
            "number",
            "adopted_on",
            "effective_on",
            "status",
            "official_url",
            "summary_en",
            "summary_ru",
            "summary_kk",
            "topics",
            "amends",
            "repeals",
            "drew_on",
            "state",
        ]
        widgets = {
            "adopted_on": DATE,
            "effective_on": DATE,
            "topics": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "language": _("The language the record is written in. Translations are optional."),
            "state": _("Drafts are seen only by editors and the country's focal points."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        if user is not None and not user.is_editor:
            country.queryset = Country.objects.filter(pk__in=user.focal_country_ids)
            country.empty_label = None
        else:
            country.queryset = Country.objects.order_by("name")
        self.fields["topics"].queryset = Topic.objects.all()
        acts = LegalAct.objects.select_related("country")
        if user is not None:
            acts = acts.visible_to(user)
        if self.instance.pk:
            acts = acts.exclude(pk=self.instance.pk)
        hint = _("Hold Ctrl (Cmd on a Mac) to pick several.")
        for name in ("amends", "repeals", "drew_on"):
            self.fields[name].queryset = acts
            self.fields[name].help_text = hint
        self.fields["drew_on"].help_text = _(
            "Other countries' acts this one learned from. Hold Ctrl (Cmd on a Mac) to pick several."
        )

    def clean(self):
        data = super().clean()
        require_original_title(self, data)
        return data

    def relations(self) -> dict:
        """What the service sets on the act's many-to-many links."""
        return {
            name: self.cleaned_data.get(name) or []
            for name in ("topics", "amends", "repeals", "drew_on")
        }
