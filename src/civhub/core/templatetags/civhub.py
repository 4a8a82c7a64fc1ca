from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import translate_url
from django.utils.translation import get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def alternate_languages(context):
    """The current page in each interface language, for hreflang links and the switcher."""
    request = context["request"]
    try:
        url = request.build_absolute_uri()
    except DisallowedHost:  # the 400 page for a bad Host header must still render
        url = request.get_full_path()
    return [
        {
            "code": code,
            "url": translate_url(url, code),
            "name": get_language_info(code)["name_local"],
        }
        for code, _name in settings.LANGUAGES
    ]


@register.simple_tag(takes_context=True)
def querystring_page(context, page):
    query = context.get("query_string", "")
    return f"?{query}&page={page}" if query else f"?page={page}"


@register.filter
def can_grant(user, role: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.can_grant(role))


@register.filter
def markdown(text):
    from civhub.core.markdown import render_markdown

    return render_markdown(text)
