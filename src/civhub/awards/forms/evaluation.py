from django import forms
from django.utils.translation import gettext_lazy as _


class ScoreForm(forms.Form):
    """One score and one comment per criterion of the call. The values are checked by
    services.scoring.record_scores, whose errors name the criterion (keyed by its slug)."""

    def __init__(self, *args, criteria, scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        scores = scores or {}
        self.criteria = list(criteria)
        for criterion in self.criteria:
            stored = scores.get(criterion.pk)
            self.fields[criterion.slug] = forms.CharField(
                label=criterion.title,
                required=False,
                initial=stored.value if stored else None,
                help_text=_("A whole number from %(min)s to %(max)s; weight %(weight)s.")
                % {
                    "min": criterion.scale_min,
                    "max": criterion.scale_max,
                    "weight": criterion.weight,
                },
                widget=forms.NumberInput(
                    attrs={"min": criterion.scale_min, "max": criterion.scale_max, "step": 1}
                ),
            )
            self.fields[f"{criterion.slug}__comment"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.title},
                required=False,
                initial=stored.comment if stored else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> dict:
        """{criterion id: (value, comment)} for the criteria given a value."""
        return {
            c.pk: (self.cleaned_data[c.slug], self.cleaned_data[f"{c.slug}__comment"])
            for c in self.criteria
            if (self.cleaned_data.get(c.slug) or "").strip()
        }

    def add_service_errors(self, error) -> None:
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
