from typing import Any

import pycountry
from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civhub.core.templatetags.civhub import text_language
from civhub.core.types import Viewer
from civhub.directory.models import (
    Country,
    Membership,
    Organization,
    Person,
    Seat,
    language_name,
)


def language_choices() -> list[tuple[str, str]]:
    """Every ISO 639-1 language, named in the reader's language as on people's pages (read
    at each rendering, so each reader gets their own), in alphabetical order."""
    languages = [
        (lang.alpha_2, language_name(lang.alpha_2))
        for lang in pycountry.languages
        if hasattr(lang, "alpha_2")
    ]
    return sorted(languages, key=lambda item: item[1].casefold())


class LanguagesWidget(forms.SelectMultiple):
    """A language whose name has no translation in the reader's language keeps its English
    name: its option says so (`lang="en"`), for screen readers' voices."""

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        active = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        shown = text_language(str(label), active)
        if shown and shown != active:
            option["attrs"]["lang"] = shown
        return option


class CountryForm(forms.ModelForm):
    class Meta:
        model = Country
        fields = ["summary_en", "summary_ru", "summary_kk"]


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["status", "joined_on", "left_on", "note"]
        widgets = {
            "joined_on": forms.DateInput(attrs={"type": "date"}),
            "left_on": forms.DateInput(attrs={"type": "date"}),
        }


class _CountryScopedForm(forms.ModelForm):
    """A focal point may only file records under its own country."""

    def __init__(self, *args: Any, user: Viewer = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        assert isinstance(country, forms.ModelChoiceField)
        own_record = (
            user is not None
            and self.instance.pk is not None
            and getattr(self.instance, "user_id", None) == user.pk
            and self.instance.country_id not in user.focal_country_ids
        )
        if own_record and not user.is_editor:
            # A person editing their own record keeps the country the hub filed it under.
            country.disabled = True
        elif user is not None and not user.is_editor:
            own = Country.objects.filter(pk__in=user.focal_country_ids)
            country.queryset = own
            country.required = True
            country.empty_label = None
        else:
            country.queryset = Country.objects.order_by("name")


class OrganizationForm(_CountryScopedForm):
    class Meta:
        model = Organization
        fields = [
            "name_en",
            "name_ru",
            "name_kk",
            "acronym",
            "kind",
            "country",
            "parent",
            "website",
            "description_en",
            "description_ru",
            "description_kk",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name_en"].required = True
        parents = Organization.objects.order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = parents


class PersonForm(_CountryScopedForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=language_choices,
        widget=LanguagesWidget,
        required=False,
        help_text=_("The languages the person works in."),
    )

    class Meta:
        model = Person
        fields = [
            "name",
            "position_en",
            "position_ru",
            "position_kk",
            "organization",
            "country",
            "languages",
            "topics",
            "on_roster",
            "bio_en",
            "bio_ru",
            "bio_kk",
            "email",
            "phone",
            "contact_consent",
        ]
        widgets = {"topics": forms.CheckboxSelectMultiple}


class SeatForm(forms.ModelForm):
    class Meta:
        model = Seat
        fields = ["body", "person", "role", "country", "started_on", "ended_on"]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}),
            "ended_on": forms.DateInput(attrs={"type": "date"}),
        }
