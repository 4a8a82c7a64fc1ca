"""Rules the data obeys: in the database and in clean()."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from civhub.events.models import Event, Registration, Session
from civhub.events.tests.conftest import NOW, make_event, new_user

pytestmark = pytest.mark.django_db


def test_an_event_ending_before_it_starts_names_the_field():
    event = make_event()
    event.ends_at = event.starts_at - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "ends_at" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_negative_capacity_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=make_event().pk).update(capacity=-1)


def test_unknown_time_zone_names_the_field():
    event = make_event()
    event.time_zone = "Mars/Olympus"
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "time_zone" in exc.value.message_dict


def test_a_session_outside_its_event_names_the_field():
    event = make_event()
    session = Session(
        event=event,
        title_en="Too late",
        starts_at=event.ends_at + datetime.timedelta(hours=1),
        ends_at=event.ends_at + datetime.timedelta(hours=2),
    )
    with pytest.raises(ValidationError) as exc:
        session.full_clean()
    assert "starts_at" in exc.value.message_dict
    assert not Session.objects.exists()


def test_one_registration_per_user_per_event_in_the_database():
    event, user = make_event(), new_user()
    Registration.objects.create(event=event, user=user, status="confirmed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, user=user, status="withdrawn")


def test_a_waiting_registration_has_a_position_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=make_event(), user=new_user(), status="waiting")


def test_registration_closes_after_it_opens():
    event = make_event()
    event.registration_closes_at = event.registration_opens_at = NOW
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "registration_closes_at" in exc.value.message_dict


def test_migrations_are_complete():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "events", "--check", "--dry-run", stdout=out)
