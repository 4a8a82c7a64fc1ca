"""The event workflow over every state, transition and role (EVENT_TRANSITIONS)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civhub.core.models import AuditEntry
from civhub.events.choices import EVENT_TRANSITIONS, Actor, EventState
from civhub.events.models import Event
from civhub.events.services import events as services
from civhub.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db
ROLES = ["member", "focal_point", "evaluator", "editor", "steering", "admin"]
CASES = [(state, name) for state in EventState.values for name in EVENT_TRANSITIONS]


@pytest.mark.parametrize(("state", "name"), CASES)
def test_editor_moves_exactly_along_the_table(state, name, editor):
    event = make_event(state=state)
    step = EVENT_TRANSITIONS[name]
    message = "Venue unavailable" if step.needs_message else ""
    if state in step.sources:
        before = event.sequence
        moved = services.change_state(editor.user, event, name, message)
        assert moved.state == step.target
        assert moved.sequence == before + 1
        assert AuditEntry.objects.filter(action=f"event.{name}").count() == 1
    else:
        with pytest.raises(PermissionDenied):
            services.change_state(editor.user, event, name, message)
        assert Event.objects.get(pk=event.pk).state == state


@pytest.mark.parametrize(
    "persona", ["member", "focal_point", "evaluator", "steering"], indirect=True
)
@pytest.mark.parametrize("name", list(EVENT_TRANSITIONS))
def test_other_roles_may_not_move_an_event(persona, name):
    step = EVENT_TRANSITIONS[name]
    event = make_event(state=step.sources[0])
    assert not event.can_transition(persona.user, name)
    with pytest.raises(PermissionDenied):
        services.change_state(persona.user, event, name, "reason")
    assert not AuditEntry.objects.filter(action=f"event.{name}").exists()


@pytest.mark.parametrize("name", list(EVENT_TRANSITIONS))
def test_named_organizer_runs_registration_but_editors_publish_and_cancel(name):
    from civhub.events.tests.conftest import new_user

    organizer = new_user("organizer")
    step = EVENT_TRANSITIONS[name]
    event = make_event(state=step.sources[0])
    event.managers.add(organizer)
    assert event.can_transition(organizer, name) == (step.actor == Actor.ORGANIZER)


def test_cancelling_needs_a_reason(editor):
    event = make_event(state=EventState.PUBLISHED)
    with pytest.raises(ValidationError) as exc:
        services.cancel(editor.user, event, " ")
    assert "message" in exc.value.message_dict
    assert Event.objects.get(pk=event.pk).state == EventState.PUBLISHED
    services.cancel(editor.user, event, "The venue is closed")
    event.refresh_from_db()
    assert (event.state, event.cancel_reason) == (EventState.CANCELLED, "The venue is closed")


def test_unknown_step_is_refused(editor):
    with pytest.raises(ValidationError):
        services.change_state(editor.user, make_event(), "explode")
