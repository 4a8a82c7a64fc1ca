"""The account's own profile: saved through accounts.services.update_profile, which saves
only what the form changed, on the locked row, and refuses a form of an older version."""

import pytest

from civhub.accounts.models import User
from civhub.accounts.services import grant_role
from civhub.core.models import AuditEntry
from civhub.testing import make_user

pytestmark = pytest.mark.django_db
PROFILE = "/en/members/profile/"


def test_the_profile_form_carries_its_version_and_saves(member):
    page = member.get(PROFILE).content.decode()
    assert 'name="version" value="1"' in page
    response = member.post(PROFILE, {"display_name": "Aigul", "language": "kk", "version": "1"})
    assert response.status_code == 302
    user = User.objects.get(pk=member.user.pk)
    assert (user.display_name, user.language, user.version) == ("Aigul", "kk", 2)
    entry = AuditEntry.objects.get(action="profile.updated")
    assert entry.data["fields"] == ["display_name", "language"]


def test_a_stale_profile_form_is_refused_with_what_was_typed_kept(member):
    member.post(PROFILE, {"display_name": "From another tab", "version": "1"})
    response = member.post(PROFILE, {"display_name": "What I typed", "version": "1"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "What I typed" in page and "changed this record" in page
    assert 'name="version" value="1"' in page
    assert User.objects.get(pk=member.user.pk).display_name == "From another tab"


def test_a_profile_form_opened_before_a_role_was_granted_does_not_undo_it(member):
    """The form saves only its own fields: the staff flag set meanwhile stays (a whole-row
    save of the user read before the grant wrote `is_staff=False` back)."""
    from civhub.accounts.forms import ProfileForm
    from civhub.accounts.services import update_profile

    admin = make_user("admin@test.example", "admin", "member")
    opened = User.objects.get(pk=member.user.pk)
    grant_role(admin, User.objects.get(pk=member.user.pk), "editor")
    form = ProfileForm(data={"display_name": "Aigul"}, instance=opened)
    assert form.is_valid(), form.errors
    assert update_profile(opened, opened, form, version=1) == ["display_name"]
    user = User.objects.get(pk=member.user.pk)
    assert user.is_staff and user.display_name == "Aigul" and user.version == 2


def test_saving_an_unchanged_profile_writes_nothing(member):
    member.post(PROFILE, {"display_name": "member", "version": "1"})
    assert User.objects.get(pk=member.user.pk).version == 1
    assert not AuditEntry.objects.filter(action="profile.updated").exists()
