from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info

register = template.Library()

# Django's local name for Kazakh is "Қазақ" (the people); a language switcher names the
# language, "Қазақша", as Kazakh government sites do.
LOCAL_NAMES = {"kk": "Қазақша"}


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
            "name": LOCAL_NAMES.get(code) or get_language_info(code)["name_local"],
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


@register.simple_tag
def lang_attr(value, field: str = ""):
    """` lang="…"` when content is not in the page's language, else nothing (WCAG 3.1.2).

    `{% lang_attr practice "title" %}`: a translated field shows its fallback when the
    active language's column is empty, so the tag names the language that filled it.
    `{% lang_attr submission %}`: a record with its own `language`.
    `{% lang_attr text %}`: plain text whose language is not recorded, told by its script.
    """
    active = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    shown = content_language(value, field, active)
    return format_html(' lang="{}"', shown) if shown and shown != active else ""


@register.filter
def in_its_language(text):
    """Text the reader typed (a search query) as shown inside a sentence of the interface:
    in a `<span lang="…">` when its script says it is not in the page's language."""
    return format_html("<span{}>{}</span>", lang_attr(text), text) if lang_attr(text) else text


def content_language(value, field: str, active: str) -> str:
    if value is None or value == "":
        return ""
    if field:
        if hasattr(value, f"{field}_{active}"):
            if getattr(value, f"{field}_{active}"):
                return active
            for code in settings.MODELTRANSLATION_FALLBACK_LANGUAGES:
                if getattr(value, f"{field}_{code}", ""):
                    return code
            return ""
        return text_language(str(getattr(value, field, "") or ""), active)
    if isinstance(value, str):
        return text_language(value, active)
    language = getattr(value, "language", "")
    return language if isinstance(language, str) else text_language(str(value), active)


# Letters only Kazakh writes in Cyrillic: a text with one is Kazakh, not Russian.
KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def text_language(text: str, active: str = "") -> str:
    """The hub's three languages differ in script: mostly Latin is English; Cyrillic is
    Kazakh with a letter of its own, else the page's language when that is Russian or
    Kazakh (a short Kazakh text may have none of its own letters), else Russian. A text
    with no letters has no language."""
    cyrillic = latin = 0
    for ch in text:
        if "\u0400" <= ch <= "\u04ff":
            cyrillic += 1
            if ch in KAZAKH_LETTERS:
                return "kk"
        elif ch.isascii() and ch.isalpha():
            latin += 1
    if latin > cyrillic:
        return "en"
    if cyrillic:
        return active if active in ("ru", "kk") else "ru"
    return ""
