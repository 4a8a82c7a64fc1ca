"""Events in the API: the events and their sessions, for everyone.

Reads show what `Event.objects.visible_to(caller)` allows, with the filters of the events page
(EventFilter); an event the caller may not see is a 404. The online link is never in the API:
it is for confirmed participants, on the event's page.
"""

import datetime

from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from civhub.accounts.auth import PUBLIC
from civhub.core.api import (
    ERRORS_LIST,
    ERRORS_READ,
    LanguageQuery,
    Pagination,
    csv_response,
    filter_query,
    filtered,
)
from civhub.core.permissions import visible_or_404
from civhub.events.filters import EventFilter
from civhub.events.models import Event, Session
from civhub.events.services.registrations import places_left
from civhub.events.views.public import events_for

router = Router(tags=["events"])

EventQuery = filter_query(EventFilter, "EventQuery")


class EventOut(Schema):
    slug: str
    uid: str = Field(description="The calendar UID, stable across edits.")
    title: str
    description: str
    kind: str
    format: str
    state: str
    time_zone: str = Field(description="IANA name of the event's zone.")
    starts_at: datetime.datetime = Field(description="In the event's zone.")
    ends_at: datetime.datetime = Field(description="In the event's zone.")
    venue: str
    city: str
    country: str | None = Field(description="ISO code.")
    topics: list[str] = Field(description="Topic slugs.")
    capacity: int | None
    places_left: int | None
    html_url: str
    ics_url: str

    @staticmethod
    def resolve_uid(obj):
        return str(obj.uid)

    @staticmethod
    def resolve_starts_at(obj):
        return obj.local_start

    @staticmethod
    def resolve_ends_at(obj):
        return obj.local_end

    @staticmethod
    def resolve_country(obj):
        return obj.country.code if obj.country else None

    @staticmethod
    def resolve_topics(obj):
        return [t.slug for t in obj.topics.all()]

    @staticmethod
    def resolve_places_left(obj):
        return places_left(obj)

    @staticmethod
    def resolve_html_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_ics_url(obj):
        return reverse("events:event_ics", kwargs={"slug": obj.slug})


class SessionOut(Schema):
    id: int
    title: str
    description: str
    starts_at: datetime.datetime = Field(description="In the event's zone.")
    ends_at: datetime.datetime = Field(description="In the event's zone.")
    room: str
    chair: str | None = Field(description="The chair's slug in the directory.")
    speakers: list[str] = Field(description="The speakers' slugs in the directory.")

    @staticmethod
    def resolve_starts_at(obj):
        return obj.local_start

    @staticmethod
    def resolve_ends_at(obj):
        return obj.local_end

    @staticmethod
    def resolve_chair(obj):
        return obj.chair.slug if obj.chair else None

    @staticmethod
    def resolve_speakers(obj):
        return [p.slug for p in obj.speakers.all()]


@router.get("/events", response={200: list[EventOut], **ERRORS_LIST}, openapi_extra=PUBLIC)
@paginate(Pagination)
def list_events(request, params: Query[EventQuery]):  # type: ignore[valid-type]
    """Events the caller may see, filtered like the events page."""
    return _filtered_events(request, params)


def _filtered_events(request, params):
    base = events_for(request.user).prefetch_related("topics").order_by("-starts_at", "slug")
    return filtered(request, EventFilter, base, params).distinct()


@router.get("/events.csv", openapi_extra=PUBLIC, response={400: ERRORS_LIST[400]})
def export_events(request, params: Query[EventQuery]):  # type: ignore[valid-type]
    """The filtered events as CSV, every row."""
    return csv_response(request, _filtered_events(request, params), EventOut, "events.csv")


def _event(request, slug: str) -> Event:
    return visible_or_404(Event.objects.select_related("country"), request.user, slug=slug)


@router.get("/events/{slug}", response={200: EventOut, **ERRORS_READ}, openapi_extra=PUBLIC)
def get_event(request, slug: str, params: Query[LanguageQuery]):
    """One event."""
    return _event(request, slug)


@router.get(
    "/events/{slug}/sessions",
    response={200: list[SessionOut], **ERRORS_READ},
    openapi_extra=PUBLIC,
)
def list_sessions(request, slug: str, params: Query[LanguageQuery]):
    """The event's agenda, in order."""
    event = _event(request, slug)
    sessions = list(
        Session.objects.filter(event=event)
        .select_related("chair")
        .prefetch_related("speakers")
        .order_by("starts_at", "pk")
    )
    for session in sessions:
        session.event = event
    return sessions
