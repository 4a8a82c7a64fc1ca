"""Search on other apps' pages: `|language_name` names a content language. A record's
"Related" list comes from services.related, which its view passes as `related` to
`{% include "search/includes/related.html" %}`: no template runs a search."""

from django import template
from django.conf import settings

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """The name of an interface language in the reader's language ("ru" -> "Russian")."""
    return str(dict(settings.LANGUAGES).get(code, code))
