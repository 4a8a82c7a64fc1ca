"""The language switcher: Django's `set_language`, told which language the page was in."""

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.i18n import set_language as django_set_language


def set_language(request: HttpRequest) -> HttpResponse:
    """Set the language cookie and go back to the same page in the chosen language.

    Django's view translates `next` by resolving it in the language active for this request,
    which for /i18n/ (no prefix) comes from the cookie or Accept-Language. `/ru/practices/`
    resolves only while Russian is active, so for any other reader the path came back
    untranslated. Resolving it in the language of its own prefix fixes that for every reader.
    """
    target = request.POST.get("next") or request.GET.get("next") or request.headers.get("referer")
    page_language = translation.get_language_from_path(urlsplit(target or "").path)
    if page_language is None:
        return django_set_language(request)
    with translation.override(page_language):
        return django_set_language(request)
