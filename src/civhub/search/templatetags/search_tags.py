"""Search on other apps' pages: `{% related_records "practice" practice.pk %}` lists the records
nearest in meaning to this one, and `|language_name` names a content language."""

from django import template
from django.conf import settings

from civhub.search import services

register = template.Library()

#: records listed under "Related"
RELATED_LIMIT = 5


@register.inclusion_tag("search/includes/related.html", takes_context=True)
def related_records(context, kind: str, object_id, limit: int = RELATED_LIMIT):
    """Up to `limit` records like this one that the reader may see; nothing when none.

    A country profile's object id is the country's ISO code ("KZ"); other records' is their
    primary key.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"related": services.related(kind, str(object_id), user, limit=limit)}


@register.filter
def language_name(code: str) -> str:
    """The name of an interface language in the reader's language ("ru" -> "Russian")."""
    return str(dict(settings.LANGUAGES).get(code, code))
