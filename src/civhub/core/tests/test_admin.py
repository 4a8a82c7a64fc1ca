import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db
OUR_APPS = {"core", "accounts", "directory", "knowledge", "insights", "search", "awards", "events"}


def our_models():
    return [m for m in admin.site._registry if m._meta.app_label in OUR_APPS]


def test_every_model_of_ours_is_in_the_admin():
    from django.apps import apps

    registered = set(our_models())
    # Parts of an aggregate are edited as inlines of its root's admin.
    registered |= {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    missing = [
        m.__name__
        for app in OUR_APPS
        for m in apps.get_app_config(app).get_models()
        if m not in registered
    ]
    assert not missing


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m._meta.label)
def test_changelist_search_and_add_pages_load(admin, demo_data, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin.get(changelist).status_code == 200
    assert admin.get(changelist, {"q": "kaz"}).status_code == 200
    model_admin = admin_site_model_admin(model)
    if model_admin.has_add_permission(_request(admin.user)):
        assert (
            admin.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200
        )


def admin_site_model_admin(model):
    return admin.site._registry[model]


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize(
    "persona", ["member", "focal_point", "evaluator", "steering"], indirect=True
)
def test_the_admin_is_closed_to_non_staff(persona):
    response = persona.get("/en/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_editors_edit_directory_records_in_the_admin(editor, demo_data):
    assert editor.get("/en/admin/directory/membership/").status_code == 200
    assert editor.get("/en/admin/accounts/user/").status_code == 403
