"""The events' forms: registering, and the organizer's actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civhub.directory.models import Country


class RegistrationForm(forms.Form):
    country = forms.ModelChoiceField(
        label=_("Country you represent"),
        queryset=Country.objects.hub_first(),
        to_field_name="code",
        required=False,
        empty_label=_("None"),
        help_text=_("Counted against the country's places, if the event limits them."),
    )
    consent_public = forms.BooleanField(
        label=_("Show my name on the public list of participants"), required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PositionForm(forms.Form):
    position = forms.IntegerField(label=_("Place in line"), min_value=1)
