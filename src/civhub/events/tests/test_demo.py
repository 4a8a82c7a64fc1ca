"""The events' demo loads, loads again without duplicates, and its pages answer."""

import pytest

from civhub.events import demo
from civhub.events.choices import RegistrationStatus
from civhub.events.models import Event, Registration

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_and_its_pages_answer(client):
    demo.load(log=lambda *_: None)
    demo.load(log=lambda *_: None)
    assert Event.objects.count() == 6
    full = Event.objects.get(slug="workshop-performance-appraisal-full")
    waiting = full.registrations.waiting_list()
    assert [r.waiting_position for r in waiting] == [1, 2]
    assert full.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 3
    assert Registration.objects.count() == 8
    assert not Event.objects.get(slug="global-conference-astana-economic-forum-2013").is_demo
    for language in ("en", "ru", "kk"):
        assert client.get(f"/{language}/events/").status_code == 200
        for event in Event.objects.all():
            assert client.get(f"/{language}/events/{event.slug}/").status_code == 200
