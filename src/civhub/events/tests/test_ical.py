"""The .ics of an event and the feed: strict parsing, required properties, time zones."""

import datetime
import zoneinfo

import icalendar
import pytest

from civhub.events.choices import EventState
from civhub.events.models import Session
from civhub.events.services import events as services
from civhub.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
TALLINN = zoneinfo.ZoneInfo("Europe/Tallinn")
REQUIRED = ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "STATUS")


def parse(body: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    for vevent in calendar.walk("VEVENT"):
        for name in REQUIRED:
            assert name in vevent, name
    # strict round trip: what it writes it reads back the same
    assert icalendar.Calendar.from_ical(calendar.to_ical()).to_ical() == calendar.to_ical()
    return calendar


def _get(client, event):
    response = client.get(f"/en/events/{event.slug}/event.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return parse(response.content)


def test_event_with_sessions_and_its_time_zone(client):
    start = datetime.datetime(2026, 6, 10, 9, 0, tzinfo=ALMATY)
    event = make_event(starts_at=start, ends_at=start + datetime.timedelta(hours=8))
    Session.objects.create(
        event=event,
        title_en="Opening",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    calendar = _get(client, event)
    vevents = calendar.walk("VEVENT")
    assert len(vevents) == 2
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Almaty"]
    main = vevents[0]
    assert main["UID"] == f"{event.uid}@events.civhub"
    assert main["DTSTART"].params["TZID"] == "Asia/Almaty"
    assert main.decoded("DTSTART") == start


@pytest.mark.parametrize(
    ("day", "tallinn_hour"),
    [(datetime.date(2026, 7, 15), 7), (datetime.date(2026, 1, 15), 6)],
    ids=["summer", "winter"],
)
def test_times_read_from_tallinn_across_daylight_saving(client, day, tallinn_hour):
    """09:00 in Almaty (UTC+5 all year, 04:00 UTC) is 07:00 in Tallinn in summer (UTC+3)
    and 06:00 in winter (UTC+2)."""
    start = datetime.datetime.combine(day, datetime.time(9, 0), ALMATY)
    event = make_event(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    vevent = _get(client, event).walk("VEVENT")[0]
    read = vevent.decoded("DTSTART").astimezone(TALLINN)
    assert (read.hour, read.minute) == (tallinn_hour, 0)


def test_uid_stable_sequence_grows_and_cancellation_is_sent(client, editor):
    event = make_event(state=EventState.REGISTRATION_OPEN)
    first = _get(client, event).walk("VEVENT")[0]
    services.cancel(editor.user, event, "Storm")
    event.refresh_from_db()
    second = _get(client, event).walk("VEVENT")[0]
    assert second["UID"] == first["UID"]
    assert int(second["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert second["STATUS"] == "CANCELLED" and first["STATUS"] == "CONFIRMED"


def test_feed_filters_by_kind_and_leaves_drafts_out(client):
    make_event("workshop-one")
    make_event("webinar-one", kind="webinar")
    make_event("draft-one", state=EventState.DRAFT)
    response = client.get("/en/events/feed.ics?kind=webinar")
    assert response.status_code == 200
    summaries = [str(v["URL"]) for v in parse(response.content).walk("VEVENT")]
    assert len(summaries) == 1 and summaries[0].endswith("/events/webinar-one/")
    everything = parse(client.get("/en/events/feed.ics").content).walk("VEVENT")
    assert len(everything) == 2


def test_feed_with_an_unknown_filter_value_is_a_400(client):
    response = client.get("/en/events/feed.ics?kind=party")
    assert response.status_code == 400
    assert b"kind" in response.content
