import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client

from civhub.accounts.models import User
from civhub.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_registration_verifies_the_email_and_makes_a_registered_user(client):
    response = client.post(
        "/en/accounts/signup/",
        {
            "email": "new.member@example.org",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.member@example.org")
    # Registered, not a member: membership is asked for and confirmed (test_membership.py).
    assert user.role_names == [] and not user.is_member
    assert user.language == "en"
    # Not logged in until the address is verified.
    assert client.get("/en/members/profile/").status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body).group(0)
    client.post(link.split("testserver")[1])
    assert user.emailaddress_set.get().verified


def test_registration_mail_is_in_the_reader_language(client):
    client.post(
        "/ru/accounts/signup/",
        {
            "email": "ru.member@example.org",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert "/ru/accounts/confirm-email/" in mail.outbox[0].body
    assert User.objects.get(email="ru.member@example.org").language == "ru"


def test_a_weak_password_is_refused_with_the_field_named(client):
    response = client.post(
        "/en/accounts/signup/",
        {"email": "weak@example.org", "password1": "123", "password2": "123"},
    )
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not User.objects.filter(email="weak@example.org").exists()


def test_login_attempts_are_rate_limited(client):
    make_user("target@example.org", "member")
    limited = "Too many failed login attempts"
    for _ in range(5):
        response = client.post(
            "/en/accounts/login/", {"login": "target@example.org", "password": "wrong"}
        )
        assert response.status_code == 200 and limited not in response.content.decode()
    # The sixth attempt in five minutes is refused, even with the right password.
    response = client.post(
        "/en/accounts/login/", {"login": "target@example.org", "password": PASSWORD}
    )
    assert limited in response.content.decode()
    assert "_auth_user_id" not in client.session


class TestTwoFactorForStaff:
    @pytest.mark.parametrize("role", ["editor", "steering", "admin"])
    def test_staff_without_totp_are_sent_to_set_it_up(self, role):
        user = make_user(f"{role}.nototp@example.org", role, totp=False)
        client = Client()
        client.force_login(user)
        response = client.get("/en/countries/")
        assert response.status_code == 302
        assert "/accounts/2fa/totp/activate/" in response["Location"]
        # The set-up page (after confirming the password) stays reachable.
        assert client.get(response["Location"], follow=True).status_code == 200

    @pytest.mark.parametrize(
        "path", ["/en/admin/accounts/user/", "/ru/admin/", "/kk/members/roles/"]
    )
    def test_no_staff_page_is_reachable_without_it(self, path):
        user = make_user("admin.nototp@example.org", "admin", totp=False)
        client = Client()
        client.force_login(user)
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/2fa/totp/activate/" in response["Location"]

    @pytest.mark.parametrize("role", ["member", "focal_point", "evaluator"])
    def test_other_roles_are_not_forced(self, role):
        user = make_user(f"{role}.plain@example.org", role, country="KZ")
        assert not Authenticator.objects.filter(user=user).exists()
        client = Client()
        client.force_login(user)
        assert client.get("/en/countries/").status_code == 200

    def test_staff_with_totp_pass(self, editor):
        assert editor.get("/en/countries/").status_code == 200

    def test_login_asks_staff_for_the_code(self):
        make_user("staff@example.org", "editor")
        client = Client()
        response = client.post(
            "/en/accounts/login/", {"login": "staff@example.org", "password": PASSWORD}
        )
        assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
        assert client.get("/en/members/profile/").status_code == 302  # not in yet


def test_the_menu_follows_the_role(member, focal_point, editor):
    member_page = member.get("/en/").content.decode()
    assert (
        "Log out" in member_page
        and "Roles" not in member_page
        and "Add a person" not in member_page
    )
    focal_page = focal_point.get("/en/").content.decode()
    assert "Add a person" in focal_page and "Roles" not in focal_page
    editor_page = editor.get("/en/").content.decode()
    assert "Roles" in editor_page and "Administration" in editor_page


@pytest.fixture
def frozen_totp_clock():
    """TOTP codes change every 30 s; on a slow machine a test could cross the boundary between
    computing a code and posting it. Only allauth's TOTP module sees the frozen clock."""
    import time
    from unittest import mock

    with mock.patch("allauth.mfa.totp.internal.auth.time") as clock:
        clock.time.return_value = time.time()
        yield


class TestNoSecondPasswordRightAfterLogin:
    """A password just typed at the login counts as a re-authentication for allauth's
    sensitive pages (TOTP set-up, recovery codes) for its usual five minutes."""

    def test_staff_without_totp_set_it_up_straight_after_logging_in(self):
        make_user("new.staff@example.org", "editor", totp=False)
        client = Client()
        response = client.post(
            "/en/accounts/login/", {"login": "new.staff@example.org", "password": PASSWORD}
        )
        assert response.status_code == 302
        response = client.get("/en/countries/", follow=True)
        assert response.redirect_chain[-1][0].endswith("/accounts/2fa/totp/activate/")
        assert "/reauthenticate/" not in response.redirect_chain[-1][0]
        assert "code" in response.context["form"].fields

    def test_staff_with_totp_reach_recovery_codes_after_the_code(self, frozen_totp_clock):
        from allauth.mfa.totp.internal.auth import (
            format_hotp_value,
            hotp_value,
            yield_hotp_counters_from_time,
        )
        from allauth.mfa.utils import decrypt

        user = make_user("coded.staff@example.org", "editor")
        secret = decrypt(Authenticator.objects.get(user=user, type="totp").data["secret"])
        client = Client()
        client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
        counters = list(yield_hotp_counters_from_time())
        code = format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
        response = client.post("/en/accounts/2fa/authenticate/", {"code": code})
        assert response.status_code == 302, response.context["form"].errors
        response = client.get("/en/accounts/2fa/recovery-codes/generate/")
        assert response.status_code == 200

    def test_an_old_login_is_asked_again(self):
        import time
        from unittest import mock

        make_user("old.staff@example.org", "editor", totp=False)
        client = Client()
        client.post("/en/accounts/login/", {"login": "old.staff@example.org", "password": PASSWORD})
        later = time.time() + 3600
        with mock.patch("time.time", return_value=later):
            response = client.get("/en/accounts/2fa/totp/activate/")
        assert response.status_code == 302 and "/reauthenticate/" in response["Location"]


class TestRecoveryCodesPage:
    def _set_up_totp(self, client, user):
        from allauth.mfa.totp.internal.auth import (
            format_hotp_value,
            hotp_value,
            yield_hotp_counters_from_time,
        )

        page = client.get("/en/accounts/2fa/totp/activate/")
        secret = page.context["form"].secret
        counters = list(yield_hotp_counters_from_time())
        code = format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
        return client.post("/en/accounts/2fa/totp/activate/", {"code": code}, follow=True)

    def test_after_the_set_up_it_leads_on_to_where_the_user_was_going(self, frozen_totp_clock):
        make_user("onward.staff@example.org", "editor", totp=False)
        client = Client()
        client.post(
            "/en/accounts/login/", {"login": "onward.staff@example.org", "password": PASSWORD}
        )
        assert client.get("/en/countries/?region=asia").status_code == 302
        # The icon the set-up page itself loads neither is redirected nor becomes the way on.
        assert client.get("/favicon.ico").status_code == 200
        response = self._set_up_totp(client, None)
        assert response.redirect_chain[-1][0].endswith("/accounts/2fa/recovery-codes/")
        html = response.content.decode()
        assert 'href="/en/countries/?region=asia"' in html and ">Continue<" in html
        assert 'href="/en/members/profile/"' in html
        # The way onward is open now that the second factor is set up.
        assert client.get("/en/countries/?region=asia").status_code == 200

    def test_without_a_destination_it_leads_to_the_account(self, editor):
        from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

        RecoveryCodes.activate(editor.user)
        editor.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
        html = editor.get("/kk/accounts/2fa/recovery-codes/").content.decode()
        assert html.count("<h1") == 1
        assert 'class="button" href="/kk/members/profile/"' in html

    def test_a_foreign_destination_is_not_followed(self, editor):
        from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

        from civhub.accounts.middleware import ONWARD_SESSION_KEY

        RecoveryCodes.activate(editor.user)
        editor.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
        session = editor.session
        session[ONWARD_SESSION_KEY] = "//evil.example/phish"
        session.save()
        html = editor.get("/en/accounts/2fa/recovery-codes/").content.decode()
        assert "evil.example" not in html
        assert 'class="button" href="/en/members/profile/"' in html
