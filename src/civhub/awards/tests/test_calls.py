"""services.calls: the only way a call's state changes, by who asks."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civhub.awards.choices import CallState
from civhub.awards.services.calls import change_state
from civhub.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona", ["visitor", "member", "evaluator", "steering", "focal_point"], indirect=True
)
def test_only_editors_change_a_calls_state(persona, call):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        change_state(persona.user or AnonymousUser(), call, "back_to_draft")
    call.refresh_from_db()
    assert call.state == CallState.ANNOUNCED and not AuditEntry.objects.exists()


@pytest.mark.parametrize("persona", ["editor", "admin"], indirect=True)
def test_editors_announce_and_take_back_a_call(persona, call):
    draft = change_state(persona.user, call, "back_to_draft")
    assert (draft.state, draft.version) == (CallState.DRAFT, 2)
    announced = change_state(persona.user, call, "announce")
    assert (announced.state, announced.version) == (CallState.ANNOUNCED, 3)
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "actor")) == [
        ("call.back_to_draft", persona.user.pk),
        ("call.announce", persona.user.pk),
    ]


def test_a_step_from_the_wrong_state_or_an_unknown_one_is_refused(editor, call):
    with pytest.raises(ValidationError, match="already"):
        change_state(editor.user, call, "announce")
    with pytest.raises(ValidationError):
        change_state(editor.user, call, "publish")
    call.refresh_from_db()
    assert call.version == 1 and not AuditEntry.objects.exists()
