"""No English interface text on the events' pages in Russian and Kazakh: the check of
core/tests/test_interface_language.py, on every events page of the events' demo, read by an
editor (who also sees the organizer's pages and buttons)."""

import pytest

from civhub.core.tests.test_interface_language import PageText, english_in, english_words
from civhub.events import demo
from civhub.events.models import Event
from civhub.events.services import registrations as services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_events_pages_speak_the_readers_language(editor, language):
    demo.load(log=lambda *_: None)
    editor.user.display_name = "Редактор"  # a name is not interface text
    editor.user.save(update_fields=["display_name"])
    webinar = Event.objects.get(slug="webinar-digital-hr-systems")
    services.register(editor.user, webinar)
    urls = [
        f"/{language}/events/",
        f"/{language}/events/?when=upcoming&kind=workshop",
        f"/{language}/events/month/",
        f"/{language}/events/my/",
    ]
    for event in Event.objects.all():
        urls += [
            f"/{language}/events/{event.slug}/",
            f"/{language}/events/{event.slug}/registrations/",
        ]
    vocabulary = english_words()
    leaks = []
    for url in urls:
        response = editor.get(url)
        assert response.status_code == 200, url
        parser = PageText(language)
        parser.feed(response.content.decode())
        for lang, text in parser.texts:
            if lang == language and (words := english_in(text, vocabulary)):
                leaks.append(f"{url}: {text[:100]!r} {words}")
    assert not leaks, "\n".join(leaks)
