"""Public pages: the events list with its filters, the month view, an event's page with its
agenda, and the calendars (.ics) of an event and of a filtered list."""

import calendar
import datetime
import json
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from civhub.core import attachments
from civhub.core.lists import FilteredListView
from civhub.core.permissions import visible_or_404
from civhub.events import ical
from civhub.events.choices import LIVE, EventFormat, EventState
from civhub.events.filters import EventFilter
from civhub.events.forms import MessageForm, RegistrationForm
from civhub.events.models import Event, Registration, Session
from civhub.events.services import registrations as services

LIST_RELATED = ("country",)


def events_for(user):
    """The events `user` may see: the one base queryset of the pages, the feed and the API."""
    return Event.objects.visible_to(user).select_related(*LIST_RELATED)


class EventListView(FilteredListView):
    template_name = "events/event_list.html"
    filterset_class = EventFilter
    paginate_by = 20
    distinct = True  # the topic filter follows a many-to-many relation
    unfiltered_ordering = ("-starts_at", "slug")

    def get_base_queryset(self):
        return events_for(self.request.user).prefetch_related("topics")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["now"] = timezone.now()
        context["feed_query"] = context["query_string"]
        return context


def event_month(request, year=None, month=None):
    """The events of one month, by day, with links to the months before and after."""
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        raise Http404
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, zone)
    end = datetime.datetime.combine(last, datetime.time.max, zone)
    filterset = EventFilter(request.GET or None, queryset=events_for(request.user))
    found = filterset.qs.distinct() if filterset.is_bound else filterset.queryset
    events = list(found.filter(starts_at__lte=end, ends_at__gte=start).order_by("starts_at"))
    days = []
    for day in range(1, last.day + 1):
        date = datetime.date(year, month, day)
        on_day = [e for e in events if e.local_start.date() <= date <= e.local_end.date()]
        if on_day:
            days.append((date, on_day))
    previous = first - datetime.timedelta(days=1)
    following = last + datetime.timedelta(days=1)
    query = request.GET.copy()
    context = {
        "month": first,
        "days": days,
        "filter": filterset,
        "query_string": query.urlencode(),
        # Links lead only to months that have events before or after this one, so the
        # months end where the events do (and a crawler's walk does too).
        "previous": previous if found.filter(starts_at__lt=start).exists() else None,
        "following": following if found.filter(ends_at__gt=end).exists() else None,
    }
    return render(request, "events/event_month.html", context)


def _json_ld(request, event: Event, sessions) -> dict:
    """schema.org Event metadata."""
    modes: dict[str, str] = {
        EventFormat.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
        EventFormat.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
        EventFormat.HYBRID: "https://schema.org/MixedEventAttendanceMode",
    }
    attendance = modes[event.format]
    status = (
        "https://schema.org/EventCancelled"
        if event.is_cancelled
        else "https://schema.org/EventScheduled"
    )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description[:500],
        "startDate": event.local_start.isoformat(),
        "endDate": event.local_end.isoformat(),
        "eventAttendanceMode": attendance,
        "eventStatus": status,
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "organizer": [{"@type": "Organization", "name": o.name} for o in event.organizers.all()],
        "about": [t.name for t in event.topics.all()],
    }
    if event.format != EventFormat.ONLINE:
        place: dict[str, Any] = {"@type": "Place", "name": event.venue or event.city}
        address = {"@type": "PostalAddress", "addressLocality": event.city}
        if event.country:
            address["addressCountry"] = event.country.code
        place["address"] = address
        data["location"] = place
    else:
        data["location"] = {"@type": "VirtualLocation", "url": data["url"]}
    if sessions:
        data["subEvent"] = [
            {
                "@type": "Event",
                "name": s.title,
                "startDate": s.local_start.isoformat(),
                "endDate": s.local_end.isoformat(),
            }
            for s in sessions
        ]
    return data


def _script_safe_json(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def event_for(request, slug) -> Event:
    return visible_or_404(
        Event.objects.select_related("country", "contact"), request.user, slug=slug
    )


def sessions_of(event: Event) -> list[Session]:
    sessions = list(
        event.sessions.select_related("chair").prefetch_related("speakers").order_by("starts_at")
    )
    for session in sessions:
        session.event = event
        setattr(session, "materials", list(attachments.attachments_of(session)))  # noqa: B010
    return sessions


def detail_context(request, event: Event, form=None) -> dict:
    user = request.user
    sessions = sessions_of(event)
    registration = services.registration_of(user, event)
    can_manage = event.can_manage(user)
    participants = Registration.objects.public_list(event)
    reader_zone = timezone.get_current_timezone()
    return {
        "event": event,
        "sessions": sessions,
        "topics": event.topics.all(),
        "organizers": event.organizers.all(),
        "partners": event.partners.all(),
        "registration": registration,
        "places_left": services.places_left(event),
        "registration_open": event.registration_is_open(),
        "live": registration is not None and registration.status in LIVE,
        "form": form or RegistrationForm(),
        "can_manage": can_manage,
        "show_link": event.shows_online_link_to(user),
        "participants": participants,
        "transitions": event.allowed_transitions(user),
        "message_form": MessageForm(),
        "reader_zone": str(reader_zone),
        "zones_differ": str(reader_zone) != event.time_zone,
        "json_ld": _script_safe_json(_json_ld(request, event, sessions)),
        "is_draft": event.state == EventState.DRAFT,
    }


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_object(self, queryset=None):
        return event_for(self.request, self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return detail_context(self.request, self.object)


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request, slug):
    event = event_for(request, slug)
    url = request.build_absolute_uri(event.get_absolute_url())
    return _ics(ical.event_calendar(event, url, sessions_of(event)), f"{event.slug}.ics")


def events_feed(request):
    """A calendar to subscribe to: the upcoming events, narrowed by the list's filters."""
    filterset = EventFilter(request.GET or None, queryset=events_for(request.user))
    if filterset.is_bound and not filterset.is_valid():
        return HttpResponse(
            "\n".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    found = filterset.qs.distinct() if filterset.is_bound else filterset.queryset
    if not request.GET.get("when"):
        found = found.upcoming()
    found = found.order_by("starts_at")[:500]
    name = _("Events of the Regional Hub of Civil Service")
    body = ical.feed(found, name, lambda e: request.build_absolute_uri(e.get_absolute_url()))
    return _ics(body, "events.ics")


urlpatterns = [
    path("", EventListView.as_view(), name="events"),
    path("feed.ics", events_feed, name="feed"),
    path("month/", event_month, name="month_now"),
    path("month/<int:year>/<int:month>/", event_month, name="month"),
]

detail_patterns = [
    path("<slug:slug>/", EventDetailView.as_view(), name="event"),
    path("<slug:slug>/event.ics", event_ics, name="event_ics"),
]
