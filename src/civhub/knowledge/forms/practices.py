from itertools import groupby

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from civhub.core.models import AttachmentKind
from civhub.core.templatetags.civhub import lang_attr
from civhub.directory.models import Country, Organization, SdgTarget, Topic
from civhub.knowledge.choices import ContentLanguage
from civhub.knowledge.forms.common import require_original_title
from civhub.knowledge.models import Practice

TEXT_FIELDS = ("title", "summary", "challenge", "solution", "results", "lessons")
TEXTAREA_ROWS = {"summary": 3, "challenge": 6, "solution": 6, "results": 5, "lessons": 5}
# Whole phrases per language, so that Russian and Kazakh can decline the language's name.
WRITTEN_IN = {
    "en": pgettext_lazy("written", "in English"),
    "ru": pgettext_lazy("written", "in Russian"),
    "kk": pgettext_lazy("written", "in Kazakh"),
}
TRANSLATION_INTO = {
    "en": _("Translation into English"),
    "ru": _("Translation into Russian"),
    "kk": _("Translation into Kazakh"),
}


class LinesField(forms.CharField):
    """A list of short texts, one per line (e.g. countries as the source names them)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class _GroupedChoiceIterator(ModelChoiceIterator):
    """The queryset's records as <optgroup>-style groups, in the queryset's order."""

    def __iter__(self):
        for label, records in groupby(self.queryset, key=self.field.group_of):
            yield (label, [self.choice(record) for record in records])


class GroupedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice whose options come in groups: `group_of(record)` names a record's
    group, and records of one group must be next to each other in the queryset."""

    iterator = _GroupedChoiceIterator

    def __init__(self, queryset, *, group_of=str, **kwargs):
        self.group_of = group_of
        super().__init__(queryset, **kwargs)


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes folded into one <details> per group; a group holding a ticked box is open,
    so what was chosen (or typed before an error) is in view without JavaScript."""

    template_name = "knowledge/widgets/grouped_checkboxes.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["groups"] = [
            {
                "label": label,
                "options": options,
                "chosen": sum(1 for option in options if option["selected"]),
            }
            for label, options, _index in context["widget"]["optgroups"]
        ]
        return context


def target_label(target: SdgTarget) -> str:
    """A target's code and words. The UN's wording exists here in English only (the hub
    does not invent official translations): on a Russian or Kazakh page the words say they
    are English, under their goal's translated name (the group)."""
    shown = lang_attr(target, "text")
    if not shown:
        return f"{target.code} {target.text}"
    return format_html("{} <span{}>{}</span>", target.code, shown, target.text)


class PracticeForm(forms.ModelForm):
    """The submission form. Every text field exists in the three languages; the author fills
    the original language and may add translations.

    The page shows it in sections (`original_fields`, `translations`, `sections`): the
    original language's texts first, each translation folded away unless it holds text or an
    error, then the facts in fieldsets of their own.
    """

    SECTIONS = (
        (
            _("Countries and organizations"),
            (
                "countries",
                "supported_by",
                "implementing_entities",
                "countries_text",
                "supported_by_text",
                "implementing_text",
            ),
        ),
        (_("Topics and SDG targets"), ("topics", "sdg_targets")),
        (
            _("Status, period and source"),
            ("project_status", "period_start", "period_end", "publication_date", "url", "source"),
        ),
    )
    # Mostly for imported records: folded at the end of their section unless they hold text.
    FOLDED = ("countries_text", "supported_by_text", "implementing_text")

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
        field_classes = {
            "countries": GroupedModelMultipleChoiceField,
            "sdg_targets": GroupedModelMultipleChoiceField,
        }
        widgets = {
            "countries": forms.SelectMultiple(attrs={"size": 10}),
            "supported_by": forms.SelectMultiple(attrs={"size": 6}),
            "implementing_entities": forms.SelectMultiple(attrs={"size": 6}),
            "topics": forms.CheckboxSelectMultiple,
            "sdg_targets": GroupedCheckboxes,
            "publication_date": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "language": _("The language the record is written in. Translations are optional.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = self.fields["countries"]
        # A country already on the record stays choosable even if it is no longer offered.
        kept = Q(pk__in=self.instance.countries.all()) if self.instance.pk else Q(pk__in=[])
        countries.queryset = Country.objects.filter(
            Q(pk__in=Country.objects.with_civil_service()) | kept
        ).hub_first()
        countries.group_of = lambda country: (
            gettext("Countries of the hub")
            if country.in_hub
            else gettext("Other countries and territories")
        )
        countries.help_text = _(
            "The hub's countries come first. Hold Ctrl (Cmd on a Mac) to pick several."
        )
        self.fields["supported_by"].queryset = Organization.objects.order_by("name")
        self.fields["implementing_entities"].queryset = Organization.objects.order_by("name")
        self.fields["topics"].queryset = Topic.objects.all()
        targets = self.fields["sdg_targets"]
        targets.queryset = SdgTarget.objects.select_related("goal").order_by(
            "goal__number", "order"
        )
        targets.group_of = lambda target: str(target.goal)
        targets.label_from_instance = target_label
        targets.help_text = _("Open a goal to tick its targets.")
        for name in ("supported_by", "implementing_entities"):
            self.fields[name].help_text = _("Hold Ctrl (Cmd on a Mac) to pick several.")
        for name in TEXT_FIELDS:
            for code in ContentLanguage.values:
                field = self.fields[f"{name}_{code}"]
                field.label = gettext("%(field)s (%(language)s)") % {
                    "field": capfirst(Practice._meta.get_field(name).verbose_name),
                    "language": WRITTEN_IN[code],
                }
                field.widget.attrs["lang"] = code  # what is typed in it, for spelling and voices
                if name in TEXTAREA_ROWS:
                    field.widget.attrs["rows"] = TEXTAREA_ROWS[name]
        # Shown as required; `clean` checks it, for whichever language is the original.
        self.fields[f"title_{self.original_language}"].show_required = True

    @property
    def original_language(self) -> str:
        """The language whose texts the page shows first: the one chosen in the submitted
        data, else the record's (or the initial) one."""
        codes = set(ContentLanguage.values)
        if self.is_bound:
            chosen = self.data.get(self.add_prefix("language"))
            if chosen in codes:
                return chosen
        chosen = self.initial.get("language") or self.instance.language
        return chosen if chosen in codes else ContentLanguage.EN

    def original_fields(self) -> list[forms.BoundField]:
        return [self["language"]] + [
            self[f"{name}_{self.original_language}"] for name in TEXT_FIELDS
        ]

    def translations(self) -> list[dict]:
        """The other languages' texts, each with `open` set when it holds text or an error."""
        result = []
        for code in ContentLanguage.values:
            if code == self.original_language:
                continue
            fields = [self[f"{name}_{code}"] for name in TEXT_FIELDS]
            result.append(
                {
                    "code": code,
                    "summary": TRANSLATION_INTO[code],
                    "fields": fields,
                    "open": any(field.errors or field.value() for field in fields),
                }
            )
        return result

    def sections(self) -> list[dict]:
        """The fieldsets after the texts; `folded` holds the fields shown in a <details>."""
        result = []
        for legend, names in self.SECTIONS:
            folded = [self[name] for name in names if name in self.FOLDED]
            result.append(
                {
                    "legend": legend,
                    "fields": [self[name] for name in names if name not in self.FOLDED],
                    "folded": folded,
                    "open": any(field.errors or field.value() for field in folded),
                }
            )
        return result

    def error_summary(self) -> list[dict]:
        """Every error once, in the page's order, with the field it belongs to and its anchor."""
        order = [field.name for field in self.original_fields()]
        order += [field.name for group in self.translations() for field in group["fields"]]
        order += [name for _legend, names in self.SECTIONS for name in names]
        order += [name for name in self.errors if name not in order and name in self.fields]
        return [{"label": None, "anchor": None, "message": m} for m in self.non_field_errors()] + [
            {"label": self[name].label, "anchor": self[name].auto_id, "message": message}
            for name in order
            for message in self.errors.get(name, [])
        ]

    def clean(self):
        data = super().clean()
        require_original_title(self, data)
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
