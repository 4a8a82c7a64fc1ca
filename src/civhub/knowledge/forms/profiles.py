"""Forms of country profiles: answering a question, reviewing an answer, picking countries to
compare."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from civhub.directory.choices import OrganizationKind
from civhub.directory.models import Country, Organization
from civhub.knowledge.choices import AnswerType
from civhub.knowledge.models import LegalAct, ProfileAnswer, ProfileQuestion
from civhub.knowledge.services.profiles import MAX_COMPARED, MIN_COMPARED

YES, NO = "yes", "no"


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def legal_act_choices(country: Country):
    """A profile may only cite the country's own laws."""
    return LegalAct.objects.filter(country=country).order_by("-adopted_on", "title")


def organization_choices(country: Country):
    """The country's own organizations, and international ones."""
    return Organization.objects.filter(
        Q(country=country) | Q(country__isnull=True) | Q(kind=OrganizationKind.INTERNATIONAL)
    ).order_by("name")


def value_field(country: Country, question: ProfileQuestion) -> forms.Field:
    """The form field for the answer, by the question's answer type."""
    kind = question.answer_type
    label = pgettext_lazy("the answer to a question", "Answer")
    if kind == AnswerType.YES_NO:
        return forms.TypedChoiceField(
            label=label,
            choices=[(YES, _("Yes")), (NO, _("No"))],
            coerce=lambda value: value == YES,
            widget=forms.RadioSelect,
        )
    if kind == AnswerType.NUMBER:
        field = forms.DecimalField(label=label, max_digits=16, decimal_places=2)
        if question.unit:
            field.label = _("Answer (%(unit)s)") % {"unit": question.unit}
        return field
    if kind == AnswerType.CHOICE:
        language = (get_language() or "en")[:2]
        return forms.ChoiceField(
            label=label,
            choices=[
                (c["value"], question.choice_label(c["value"], language)) for c in question.choices
            ],
            widget=forms.RadioSelect,
        )
    if kind == AnswerType.TEXT:
        return forms.CharField(
            label=label, widget=forms.Textarea(attrs={"rows": 4, "class": "profile-textarea"})
        )
    if kind == AnswerType.DATE:
        return forms.DateField(label=label, widget=_date_input())
    if kind == AnswerType.LEGAL_ACT:
        return forms.ModelChoiceField(
            label=label,
            queryset=legal_act_choices(country),
            empty_label=_("Pick a law or by-law"),
            error_messages={
                "invalid_choice": _("Pick one of this country's laws and by-laws."),
            },
        )
    if kind == AnswerType.ORGANIZATION:
        return forms.ModelChoiceField(
            label=label,
            queryset=organization_choices(country),
            empty_label=_("Pick an organization"),
            error_messages={
                "invalid_choice": _(
                    "Pick one of this country's organizations or an international one."
                ),
            },
        )
    raise ValueError(f"Unknown answer type: {kind}")


def initial_value(answer: ProfileAnswer | None):
    """An answer's value as the form shows it."""
    if answer is None:
        return None
    value = answer.value
    if answer.question.answer_type == AnswerType.YES_NO and value is not None:
        return YES if value else NO
    if answer.question.answer_type in (AnswerType.LEGAL_ACT, AnswerType.ORGANIZATION):
        return getattr(value, "pk", None)
    return value


class AnswerForm(forms.Form):
    """A country's answer to one question. The value's widget depends on the answer type."""

    as_of = forms.DateField(
        label=_("As of"),
        initial=timezone.localdate,
        widget=_date_input(),
        help_text=_("The date from which this answer holds. Earlier answers stay as history."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=500,
        help_text=_("Where the answer comes from: a law, an official statistic or a report."),
        error_messages={
            "required": _("Say where the answer comes from: a law, a statistic or a report.")
        },
    )
    source_url = forms.URLField(
        label=_("Source link"), max_length=500, required=False, assume_scheme="https"
    )

    def __init__(self, *args, country: Country, question: ProfileQuestion, **kwargs):
        super().__init__(*args, **kwargs)
        self.country, self.question = country, question
        value = value_field(country, question)
        if question.help_text:
            value.help_text = question.help_text
        # a ModelChoiceField for a legal act
        if question.answer_type == AnswerType.LEGAL_ACT and not value.queryset.exists():  # type: ignore[attr-defined]
            value.help_text = _(
                "No laws of this country are recorded yet. Add the law first, then answer."
            )
        self.fields = {"value": value, **self.fields}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    note = forms.CharField(label=_("Note to the focal point"), max_length=500, required=False)


class ComparisonForm(forms.Form):
    """Two to six countries of the hub, by ISO code (`?countries=KZ&countries=GE`)."""

    countries = forms.ModelMultipleChoiceField(
        label=_("Countries to compare"),
        queryset=Country.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pick from two to six countries."),
        error_messages={
            "required": _("Pick at least two countries to compare."),
            "invalid_choice": _("%(value)s is not a country of the hub."),
        },
    )
    only_differences = forms.BooleanField(
        label=_("Show only the questions where the answers differ"), required=False
    )

    def __init__(self, data=None, *args, **kwargs):
        self.codes: list[str] = []
        if data is not None:
            raw = data.getlist("countries") if hasattr(data, "getlist") else data.get("countries")
            if isinstance(raw, str):
                raw = [raw]
            self.codes = [str(code).strip().upper() for code in raw or [] if str(code).strip()]
            if hasattr(data, "setlist"):
                data = data.copy()
                data.setlist("countries", self.codes)
            else:
                data = {**data, "countries": self.codes}
        super().__init__(data, *args, **kwargs)
        self.fields["countries"].queryset = Country.objects.in_hub().order_by("name")

    def clean_countries(self):
        chosen = list(self.cleaned_data["countries"])
        if len(chosen) < MIN_COMPARED:
            raise forms.ValidationError(
                _("Pick at least two countries to compare."), code="too_few"
            )
        if len(chosen) > MAX_COMPARED:
            raise forms.ValidationError(
                _("Pick at most six countries to compare; you picked %(count)s."),
                code="too_many",
                params={"count": len(chosen)},
            )
        # Columns in the order the countries were asked for.
        order = {code: i for i, code in reversed(list(enumerate(self.codes)))}
        return sorted(chosen, key=lambda c: order.get(c.code, len(order)))
