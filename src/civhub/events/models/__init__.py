"""Capacity-building events, one module per aggregate: the event with its agenda, and the
registrations."""

from civhub.events.models.events import Event, Session, validate_time_zone
from civhub.events.models.registrations import Registration

__all__ = ["Event", "Registration", "Session", "validate_time_zone"]
