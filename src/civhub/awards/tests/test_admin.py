"""Every model of the scheme is in the admin, and its list, search and add pages load
(the same guard as core/tests/test_admin.py, for this app)."""

import pytest
from django.apps import apps
from django.contrib import admin as django_admin
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db
MODELS = list(apps.get_app_config("awards").get_models())


def test_every_model_is_in_the_admin():
    assert [m.__name__ for m in MODELS if m not in django_admin.site._registry] == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_search_and_add_pages_load(admin, demo_data, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin.get(changelist).status_code == 200
    assert admin.get(changelist, {"q": "digital"}).status_code == 200
    request = RequestFactory().get("/")
    request.user = admin.user
    if django_admin.site._registry[model].has_add_permission(request):
        assert (
            admin.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200
        )


def test_a_calls_state_cannot_be_changed_through_the_admin_form(admin, call):
    """The state is read-only there: a state posted with the form is ignored."""
    from civhub.awards.choices import CallState
    from civhub.awards.tests.test_concurrent_edits import _admin_payload

    url = reverse("admin:awards_call_change", args=[call.pk])
    assert "state" not in admin.get(url).context["adminform"].form.fields
    data = _admin_payload(admin, url)
    data["state"] = CallState.DRAFT
    data["title_en"] = "Renamed in the admin"
    assert admin.post(url, data).status_code == 302
    call.refresh_from_db()
    assert call.title_en == "Renamed in the admin" and call.state == CallState.ANNOUNCED


def test_the_admin_changes_a_calls_state_through_the_service(admin, call):
    from civhub.awards.choices import CallState
    from civhub.core.models import AuditEntry

    changelist = reverse("admin:awards_call_changelist")
    step = {"action": "back_to_draft", "_selected_action": [call.pk]}
    response = admin.post(changelist, step, follow=True)
    call.refresh_from_db()
    assert call.state == CallState.DRAFT and call.version == 2
    assert "is now “Draft”" in response.content.decode()
    assert AuditEntry.objects.filter(action="call.back_to_draft", object_id=str(call.pk)).count()
    # Taken again, the step is refused, saying why; nothing is written.
    response = admin.post(changelist, step, follow=True)
    assert "is already “Draft”" in response.content.decode()
    call.refresh_from_db()
    assert call.version == 2
    admin.post(changelist, {"action": "announce", "_selected_action": [call.pk]})
    call.refresh_from_db()
    assert call.state == CallState.ANNOUNCED and call.version == 3
