"""iCalendar (RFC 5545) for events, with the `icalendar` library: one calendar per event with
its sessions, and feeds of many. UIDs are stable across edits (the event's `uid`), SEQUENCE
grows with every change, times carry the event's zone with its VTIMEZONE, and a cancelled
event is sent as STATUS:CANCELLED so calendars take it off."""

from collections.abc import Iterable

import icalendar
from django.utils import timezone

from civhub.events.models import Event, Session

PRODID = "-//civhub//Regional Hub of Civil Service events//EN"
DOMAIN = "events.civhub"


def event_uid(event: Event) -> str:
    return f"{event.uid}@{DOMAIN}"


def session_uid(session: Session) -> str:
    return f"{session.event.uid}-session-{session.pk}@{DOMAIN}"


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _location(event: Event) -> str:
    return ", ".join(
        part
        for part in [event.venue, event.city, event.country.name if event.country else ""]
        if part
    )


def _vevent(event: Event, url: str, stamp) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.local_start)
    vevent.add("dtend", event.local_end)
    vevent.add("summary", event.title)
    if event.description:
        vevent.add("description", event.description)
    location = _location(event)
    if location:
        vevent.add("location", location)
    vevent.add("url", url)
    vevent.add("sequence", event.sequence)
    vevent.add("last-modified", event.updated_at)
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return vevent


def _vsession(session: Session, event: Event, url: str, stamp) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", session_uid(session))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", timezone.localtime(session.starts_at, event.zone))
    vevent.add("dtend", timezone.localtime(session.ends_at, event.zone))
    vevent.add("summary", f"{session.title} — {event.title}")
    if session.description:
        vevent.add("description", session.description)
    if session.room:
        vevent.add("location", session.room)
    vevent.add("url", url)
    vevent.add("sequence", event.sequence)
    vevent.add("related-to", event_uid(event))
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return vevent


def event_calendar(event: Event, url: str, sessions: Iterable[Session] = ()) -> bytes:
    """The event and its sessions, as one .ics file."""
    stamp = timezone.now()
    calendar = _calendar(event.title)
    calendar.add_component(_vevent(event, url, stamp))
    for session in sessions:
        calendar.add_component(_vsession(session, event, url, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed(events: Iterable[Event], name: str, url_of) -> bytes:
    """Many events in one calendar to subscribe to; `url_of(event)` gives each one's page."""
    stamp = timezone.now()
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(_vevent(event, url_of(event), stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
