import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civhub.accounts.choices import Role, TokenScope
from civhub.accounts.models import MembershipRequest, User
from civhub.core.types import Viewer
from civhub.directory.models import Country


class GrantRoleForm(forms.Form):
    email = forms.EmailField(label=_("User's e-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.none(),
        required=False,
        to_field_name="code",
        help_text=_("Only for country focal points."),
    )

    def __init__(self, *args: Any, actor: Viewer = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        assert isinstance(country, forms.ModelChoiceField)
        country.queryset = Country.objects.order_by("name")
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        if actor is not None:
            role.choices = [(v, label) for v, label in Role.choices if actor.can_grant(v)]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        try:
            self.cleaned_data["user"] = User.objects.get(email__iexact=email)
        except User.DoesNotExist:
            raise forms.ValidationError(_("No account has this e-mail address.")) from None
        return email


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "first_name", "last_name", "language"]


class MembershipRequestForm(forms.ModelForm):
    """Ask to be confirmed as a member: for a country of the hub, with one's organization."""

    class Meta:
        model = MembershipRequest
        fields = ["country", "organization", "position", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        assert isinstance(country, forms.ModelChoiceField)
        country.queryset = Country.objects.in_hub().order_by("name")


class ApiTokenForm(forms.Form):
    """A new personal API token: a name, and how long it lasts."""

    EXPIRY_CHOICES = [
        ("30", _("In 30 days")),
        ("90", _("In 90 days")),
        ("365", _("In a year")),
        ("", _("Never")),
    ]

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “reporting script”."),
    )
    expires_in = forms.ChoiceField(
        label=_("Expires"), choices=EXPIRY_CHOICES, required=False, initial="90"
    )

    scope = forms.ChoiceField(
        label=_("Access"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_("Give a program only the access it needs."),
    )

    def expires_at(self) -> datetime.datetime | None:
        days = self.cleaned_data.get("expires_in")
        if not days:
            return None
        return timezone.now() + datetime.timedelta(days=int(days))
