from django import forms
from django.utils.translation import gettext_lazy as _

from civhub.accounts.choices import Role
from civhub.accounts.models import User
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

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.order_by("name")
        if actor is not None:
            self.fields["role"].choices = [
                (v, label) for v, label in Role.choices if actor.can_grant(v)
            ]

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        try:
            self.cleaned_data["user"] = User.objects.get(email__iexact=email)
        except User.DoesNotExist:
            raise forms.ValidationError(_("No account has this e-mail address.")) from None
        return email


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "first_name", "last_name"]
