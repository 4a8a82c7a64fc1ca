"""Fixtures of the events' tests: an event open for registration, and users to register."""

import datetime
import itertools

import pytest
from django.utils import timezone

from civhub.events.choices import EventFormat, EventKind, EventState
from civhub.events.models import Event
from civhub.testing import make_user

NOW = timezone.now()
_numbers = itertools.count(1)


def make_event(slug="test-event", **overrides) -> Event:
    starts = overrides.pop("starts_at", NOW + datetime.timedelta(days=30))
    values = {
        "kind": EventKind.WORKSHOP,
        "format": EventFormat.IN_PERSON,
        "title_en": "Test workshop",
        "title_ru": "Тестовый семинар",
        "title_kk": "Сынақ семинары",
        "time_zone": "Asia/Almaty",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(days=1),
        "state": EventState.REGISTRATION_OPEN,
        "registration_opens_at": NOW - datetime.timedelta(days=1),
        "registration_closes_at": starts - datetime.timedelta(days=1),
        "city": "Astana",
    }
    if values["registration_closes_at"] <= values["registration_opens_at"]:
        values["registration_opens_at"] = values["registration_closes_at"] = None
    values.update(overrides)
    return Event.objects.create(slug=slug, **values)


@pytest.fixture
def event(db) -> Event:
    return make_event(capacity=2)


def new_user(prefix="participant", *roles):
    return make_user(f"{prefix}{next(_numbers)}@test.example", *roles)


@pytest.fixture
def users(db):
    return [new_user() for _ in range(5)]
