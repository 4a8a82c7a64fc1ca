"""Second factors in the admin: never shown or edited, only removed (audited)."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied

from civhub.accounts.services import remove_authenticator
from civhub.core.models import AuditEntry

pytestmark = pytest.mark.django_db
LIST = "/en/admin/mfa/authenticator/"


def totp_of(user) -> Authenticator:
    return Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)


def test_the_secret_is_neither_shown_nor_editable(admin, editor):
    authenticator = totp_of(editor.user)
    secret = authenticator.wrap().instance.data["secret"]
    assert admin.get(LIST).status_code == 200
    page = admin.get(f"{LIST}{authenticator.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    assert secret not in content
    assert 'name="data"' not in content and 'name="type"' not in content
    # Posting a new secret to the change page changes nothing.
    admin.post(f"{LIST}{authenticator.pk}/change/", {"data": '{"secret": "AAAA"}'})
    authenticator.refresh_from_db()
    assert authenticator.data["secret"] == secret
    assert admin.get(f"{LIST}add/").status_code == 403


def test_an_administrator_removes_it_and_the_owner_must_set_up_a_new_one(admin, editor):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    RecoveryCodes.activate(editor.user)
    authenticator = totp_of(editor.user)
    response = admin.post(f"{LIST}{authenticator.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=editor.user).exists()  # codes went with it
    entry = AuditEntry.objects.get(action="authenticator.removed")
    assert entry.actor == admin.user and entry.data["kinds"] == ["recovery_codes", "totp"]
    # Its staff owner is sent to set up a new authenticator before anything else.
    response = editor.get("/en/practices/")
    assert response.status_code == 302 and "totp" in response["Location"]


def test_only_administrators_remove_authenticators(editor, steering):
    authenticator = totp_of(steering.user)
    with pytest.raises(PermissionDenied):
        remove_authenticator(editor.user, authenticator)
    assert Authenticator.objects.filter(pk=authenticator.pk).exists()
    assert not AuditEntry.objects.filter(action="authenticator.removed").exists()
    # An editor (staff, in the admin) cannot open the authenticators at all.
    assert editor.get(LIST).status_code in (302, 403)
