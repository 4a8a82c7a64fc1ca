"""The secretariat's forms: a decision with its prize, the publication of the results, an
override of a submission's evaluators, and a replication of a winner.

The rules of each change live in the services; these forms read the input, limit the
choices to what belongs to the call, and put the services' errors next to their fields
(`add_service_errors`)."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from civhub.accounts.models import User
from civhub.awards.choices import PrizeKind, SubmissionState
from civhub.awards.models import Prize
from civhub.directory.models import Country, Organization
from civhub.knowledge.choices import TransferKind, TransferStage

S = SubmissionState
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: a text area that fits a 320 px screen (its padding inside its width; see site.css)
FITS = "profile-textarea"


class ServiceErrorsMixin:
    """Put a service's ValidationError on the form: each key on its field (renamed through
    `service_fields` when the service names it differently), the others above the form."""

    service_fields: dict[str, str] = {}
    if TYPE_CHECKING:  # mixed into a Form, which has these
        fields: dict[str, Any]
        add_error: Callable[..., None]

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            key = self.service_fields.get(key, key)
            self.add_error(key if key in self.fields else None, messages)


class PrizeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(title)s (%(kind)s; given %(given)s of %(count)s)") % {
            "title": obj.title,
            "kind": obj.get_kind_display(),
            "given": getattr(obj, "given", 0),
            "count": obj.count,
        }


class DecisionForm(ServiceErrorsMixin, forms.Form):
    """The outcome of a submission awaiting the decision, its prize and the minutes (all the
    errors at once). The outcomes offered are those the user may record
    (`Submission.allowed_transitions`); an award needs one of the call's prizes, an
    honourable mention may have a prize of the kind "honourable mention", a submission not
    selected gets none. The service checks the rest (its errors go on their fields)."""

    service_fields = {"message": "minutes"}

    outcome = forms.ChoiceField(label=_("Outcome"), widget=forms.RadioSelect)
    prize = PrizeChoiceField(
        label=_("Prize"),
        queryset=Prize.objects.none(),
        required=False,
        empty_label=_("No prize"),
        error_messages={"invalid_choice": _("Choose one of this call's prizes.")},
        help_text=_("Required for an award; an honourable mention may have one of its own kind."),
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6, "class": FITS}),
        error_messages={"required": _("Write the minutes of the decision.")},
        help_text=_("Who decided, when, and why. Not shown to the applicant."),
    )

    def __init__(self, *args, submission, outcomes, **kwargs):
        super().__init__(*args, **kwargs)
        self.submission = submission
        self.fields["outcome"].choices = [(o, S(o).label) for o in outcomes]
        self.fields["prize"].queryset = (
            Prize.objects.filter(call_id=submission.call_id)
            .annotate(given=Count("decisions"))
            .order_by("order", "pk")
        )

    def clean(self):
        data = super().clean()
        outcome, prize = data.get("outcome"), data.get("prize")
        if outcome == S.AWARDED:
            if prize is None:
                if not self.fields["prize"].queryset.filter(kind=PrizeKind.PRIZE).exists():
                    self.add_error("prize", _("This call has no prize to award: add its prizes."))
                else:
                    self.add_error("prize", _("Choose the prize awarded."))
            elif prize.kind != PrizeKind.PRIZE:
                self.add_error("prize", _("Choose a prize, not an honourable mention."))
        elif outcome == S.HONOURABLE_MENTION:
            if prize is not None and prize.kind != PrizeKind.HONOURABLE_MENTION:
                self.add_error(
                    "prize",
                    _("An honourable mention gets no prize: leave it empty or choose a mention."),
                )
        elif outcome == S.NOT_SELECTED and prize is not None:
            self.add_error("prize", _("A submission that is not selected gets no prize."))
        return data


class PublishResultsForm(ServiceErrorsMixin, forms.Form):
    service_fields = {"results_published_on": "on"}

    on = forms.DateField(
        label=_("Results published on"),
        required=False,
        widget=DATE,
        help_text=_("Today when left empty. Applicants learn their results from this day on."),
    )


class EvaluatorChoiceField(forms.ModelChoiceField):
    """An evaluator with the country of its directory record, which the conflict rules read."""

    def label_from_instance(self, obj):
        person = getattr(obj, "person", None)
        country = person.country.name if person is not None and person.country_id else None
        name = str(obj)
        label = name if name == obj.email else f"{name} <{obj.email}>"
        if country:
            return f"{label} ({country})"
        return _("%(evaluator)s (country not known)") % {"evaluator": label}


class OverrideForm(ServiceErrorsMixin, forms.Form):
    """Add an evaluator, take one off, or both (a replacement), with the reason. The
    conflict-of-interest rules are the service's (`override_assignment`)."""

    add = EvaluatorChoiceField(
        label=_("Evaluator to add"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )
    remove = EvaluatorChoiceField(
        label=_("Evaluator to take off"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
        help_text=_(
            "Only an evaluator who has not submitted scores can be taken off; nobody takes "
            "its place unless you choose an evaluator to add."
        ),
    )
    reason = forms.CharField(
        label=_("Reason for the override"),
        required=False,  # the service asks for it, with its own message
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3, "required": True, "class": FITS}),
        help_text=_("Kept with the assignment and in the audit log."),
    )

    def __init__(self, *args, pool, assigned, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["add"].queryset = pool
        self.fields["remove"].queryset = assigned

    def add_service_errors(self, error: ValidationError) -> None:
        # The service says "evaluator": the one taken off when only that one is named, else
        # the one added (taking one off offers only evaluators who can be taken off).
        data = getattr(self, "cleaned_data", {})
        only_remove = data.get("remove") and not data.get("add")
        self.service_fields = {"evaluator": "remove" if only_remove else "add"}
        super().add_service_errors(error)


class ReplicationForm(ServiceErrorsMixin, forms.Form):
    """A country that replicated a winner: recorded as a knowledge transfer of its good
    practice (knowledge's own choices and checks)."""

    service_fields = {
        "target_organization": "organization",
        "country": "target_country",
    }

    target_country = forms.ModelChoiceField(
        label=_("Country that replicated it"), queryset=Country.objects.order_by("name")
    )
    organization = forms.ModelChoiceField(
        label=_("Organization that replicated it"),
        queryset=Organization.objects.order_by("name"),
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=TransferKind.choices, initial=TransferKind.REPLICATION
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=TransferStage.choices, initial=TransferStage.IMPLEMENTED
    )
    started_on = forms.DateField(label=_("Started"), required=False, widget=DATE)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 4, "class": FITS})
    )
    evidence_urls = forms.CharField(
        label=_("Evidence links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": FITS}),
        help_text=_("One web address per line: reports, agreements, news of the replication."),
    )

    def clean_evidence_urls(self) -> list[str]:
        """One link a line; the service checks each and names the line."""
        return [line.strip() for line in self.cleaned_data["evidence_urls"].splitlines()]
