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
