"""What the knowledge base's forms share."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


def require_original_title(form: forms.BaseForm, data: dict[str, Any]) -> None:
    """A record's title is required in its original language (`language`, English when not
    given): the error goes to that language's title field."""
    language = data.get("language") or "en"
    if not data.get(f"title_{language}"):
        form.add_error(f"title_{language}", _("The title in the original language is required."))
