"""Personal API tokens: the services, their use on the API, and the tokens page."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from civhub.accounts.models import ApiToken
from civhub.accounts.services import authenticate_token, create_token, revoke_token
from civhub.core.models import AuditEntry
from civhub.testing import make_user

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


class TestServices:
    def test_the_secret_is_shown_once_and_only_its_hash_is_kept(self, member):
        token, secret = create_token(member.user, "  reporting script  ")
        token.refresh_from_db()
        assert token.name == "reporting script"
        assert token.prefix == secret[:8] and len(secret) >= 40
        assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
        stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
        assert secret not in stored
        entry = AuditEntry.objects.get(action="api_token.created")
        assert entry.actor == member.user and secret not in str(entry.data) + entry.summary

    def test_every_token_is_different(self, member):
        secrets = {create_token(member.user, f"t{i}")[1] for i in range(5)}
        assert len(secrets) == 5

    def test_a_token_needs_a_name(self, member):
        with pytest.raises(ValidationError) as error:
            create_token(member.user, "   ")
        assert "name" in error.value.message_dict
        assert not ApiToken.objects.exists()

    def test_an_expiry_in_the_past_is_refused(self, member):
        with pytest.raises(ValidationError) as error:
            create_token(member.user, "old", expires_at=timezone.now() - datetime.timedelta(1))
        assert "expires_at" in error.value.message_dict

    def test_authenticate_finds_the_token_and_marks_it_used(self, member):
        token, secret = create_token(member.user, "script")
        found = authenticate_token(secret)
        assert found == token and found.user == member.user
        token.refresh_from_db()
        assert token.last_used_at is not None

    @pytest.mark.parametrize("secret", ["", "nope", "x" * 500])
    def test_a_wrong_secret_finds_nothing(self, member, secret):
        create_token(member.user, "script")
        assert authenticate_token(secret) is None

    def test_revoked_expired_and_inactive_tokens_open_nothing(self, member, editor):
        revoked, revoked_secret = create_token(member.user, "revoked")
        revoke_token(member.user, revoked)
        expired, expired_secret = create_token(member.user, "expired")
        ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
        inactive_user = make_user("gone@test.example", "member")
        _token, inactive_secret = create_token(inactive_user, "gone")
        inactive_user.is_active = False
        inactive_user.save()
        for secret in (revoked_secret, expired_secret, inactive_secret):
            assert authenticate_token(secret) is None

    def test_only_the_owner_or_an_administrator_revokes(self, member, editor, admin):
        token, _secret = create_token(member.user, "script")
        with pytest.raises(PermissionDenied):
            revoke_token(editor.user, token)
        revoke_token(admin.user, token)
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert AuditEntry.objects.filter(action="api_token.revoked", actor=admin.user).exists()

    def test_revoking_twice_is_refused(self, member):
        token, _secret = create_token(member.user, "script")
        revoke_token(member.user, token)
        with pytest.raises(ValidationError):
            revoke_token(member.user, token)
        assert AuditEntry.objects.filter(action="api_token.revoked").count() == 1


class TestOnTheApi:
    def test_a_token_says_who_calls(self, focal_point):
        _token, secret = create_token(focal_point.user, "script")
        response = Client().get("/api/v1/me", **bearer(secret))
        assert response.status_code == 200
        body = response.json()
        assert body["email"] == "focal_point@test.example"
        assert {r["role"] for r in body["roles"]} == {"focal_point", "member"}
        assert body["focal_countries"] == ["KZ"] and body["is_member"] and not body["is_editor"]
        assert body["token"] == secret[:8]

    def test_without_a_token_me_is_401_with_a_message(self):
        response = Client().get("/api/v1/me")
        assert response.status_code == 401
        assert "Bearer" in response.json()["detail"]
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_the_browser_session_does_not_open_the_api(self, member):
        assert member.get("/api/v1/me").status_code == 401

    @pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/countries", "/api/v1/practices"])
    def test_a_revoked_token_is_refused_even_on_open_reads(self, member, path):
        token, secret = create_token(member.user, "script")
        assert Client().get(path, **bearer(secret)).status_code == 200
        revoke_token(member.user, token)
        response = Client().get(path, **bearer(secret))
        assert response.status_code == 401
        assert "revoked" in response.json()["detail"]

    def test_an_expired_token_is_refused(self, member):
        token, secret = create_token(member.user, "script")
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        assert Client().get("/api/v1/me", **bearer(secret)).status_code == 401

    @pytest.mark.parametrize("header", ["Token abc", "Bearer", "Basic dXNlcjpwYXNz", "Bearer x"])
    def test_a_malformed_or_wrong_header_is_401(self, member, header):
        response = Client().get("/api/v1/countries", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401
        assert response.json()["detail"]

    def test_writes_need_no_csrf_token_because_they_need_a_bearer_token(self, member):
        _token, secret = create_token(member.user, "script")
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            "/api/v1/practices",
            {"title": "Open recruitment"},
            content_type="application/json",
            **bearer(secret),
        )
        assert response.status_code == 201


class TestRulesOfTheOwnersRoles:
    """A token carries the rules of the roles it was made under (issue: a member's token kept
    working with the editor's powers granted later, without a second factor)."""

    def test_a_token_stops_working_when_its_owners_roles_change(self, member, admin):
        from civhub.accounts.services import grant_role, revoke_role

        token, secret = create_token(member.user, "script")
        assert Client().get("/api/v1/me", **bearer(secret)).status_code == 200
        grant_role(admin.user, member.user, "editor")
        response = Client().get("/api/v1/practices", **bearer(secret))
        assert response.status_code == 401
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert AuditEntry.objects.filter(action="api_token.ended_by_role_change").count() == 1
        # Taking the role away again does not bring the old token back.
        revoke_role(admin.user, member.user.role_assignments.get(role="editor"))
        assert Client().get("/api/v1/me", **bearer(secret)).status_code == 401

    def test_roles_changed_outside_the_services_end_the_token_too(self, member):
        from civhub.accounts.models import RoleAssignment

        _token, secret = create_token(member.user, "script")
        RoleAssignment.objects.create(user=member.user, role="evaluator")
        response = Client().get("/api/v1/me", **bearer(secret))
        assert response.status_code == 401
        assert "roles have changed" in response.json()["detail"]

    def test_losing_a_role_ends_the_token_too(self, focal_point, admin):
        from civhub.accounts.services import revoke_role

        _token, secret = create_token(focal_point.user, "script")
        revoke_role(admin.user, focal_point.user.role_assignments.get(role="focal_point"))
        assert Client().get("/api/v1/me", **bearer(secret)).status_code == 401

    def test_a_staff_token_needs_a_second_factor(self, db):
        from allauth.mfa.models import Authenticator

        editor = make_user("editor-no-totp@test.example", "editor", "member", totp=False)
        with pytest.raises(PermissionDenied):
            create_token(editor, "script")
        assert not ApiToken.objects.filter(user=editor).exists()
        with_totp = make_user("editor2@test.example", "editor", "member")
        _token, secret = create_token(with_totp, "script")
        assert Client().get("/api/v1/me", **bearer(secret)).status_code == 200
        # Its authenticator removed, the staff token opens nothing until a new one is set up.
        Authenticator.objects.filter(user=with_totp).delete()
        response = Client().get("/api/v1/me", **bearer(secret))
        assert response.status_code == 401
        assert "two-factor" in response.json()["detail"]

    def test_the_page_refuses_a_staff_token_without_a_second_factor(self, db):
        editor = make_user("editor-no-totp@test.example", "editor", "member", totp=False)
        client = Client()
        client.force_login(editor)
        # The page itself sends such a user to set up the authenticator first.
        response = client.post(
            "/en/members/tokens/", {"name": "x", "expires_in": "", "scope": "read"}
        )
        assert response.status_code == 302 and "totp" in response["Location"]
        assert not ApiToken.objects.exists()


class TestScopes:
    def test_a_read_only_token_reads_and_changes_nothing(self, member):
        from civhub.knowledge.models import Practice

        _token, secret = create_token(member.user, "reader", scope="read")
        assert Client().get("/api/v1/me", **bearer(secret)).status_code == 200
        assert Client().get("/api/v1/practices", **bearer(secret)).status_code == 200
        response = Client().post(
            "/api/v1/practices",
            {"title": "Open recruitment"},
            content_type="application/json",
            **bearer(secret),
        )
        assert response.status_code == 403
        assert "read-only" in response.json()["detail"]
        assert not Practice.objects.exists()

    def test_a_read_write_token_writes(self, member):
        _token, secret = create_token(member.user, "writer", scope="read_write")
        response = Client().post(
            "/api/v1/practices",
            {"title": "Open recruitment"},
            content_type="application/json",
            **bearer(secret),
        )
        assert response.status_code == 201

    def test_an_unknown_scope_is_refused_with_the_field_named(self, member):
        with pytest.raises(ValidationError) as error:
            create_token(member.user, "x", scope="admin")
        assert "scope" in error.value.message_dict

    def test_the_page_makes_read_only_tokens_unless_asked(self, member):
        response = member.get("/en/members/tokens/")
        assert response.context["form"]["scope"].value() == "read"
        member.post("/en/members/tokens/", {"name": "r", "expires_in": "", "scope": "read"})
        token = ApiToken.objects.get(user=member.user)
        assert token.scope == "read" and token.roles == member.user.role_fingerprint
        assert "Read only" in member.get("/en/members/tokens/").content.decode()


class TestTokensPage:
    URL = "/en/members/tokens/"

    def test_login_is_required(self, visitor):
        response = visitor.get(self.URL)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    @pytest.mark.parametrize("lang", ["en", "ru", "kk"])
    def test_the_page_has_one_heading_and_labels(self, member, lang):
        response = member.get(f"/{lang}/members/tokens/")
        assert response.status_code == 200
        page = response.content.decode()
        assert page.count("<h1") == 1
        assert 'for="id_name"' in page and 'for="id_expires_in"' in page

    def test_the_profile_links_to_it(self, member):
        assert self.URL in member.get("/en/members/profile/").content.decode()

    def test_make_a_token_see_the_secret_once_then_revoke_it(self, member):
        response = member.post(self.URL, {"name": "reporting", "expires_in": "30", "scope": "read"})
        assert response.status_code == 200
        assert response["Cache-Control"].startswith("max-age=0")
        token = ApiToken.objects.get(user=member.user)
        secret = response.context["secret"]
        assert secret in response.content.decode()
        assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert token.expires_at.date() == (timezone.now() + datetime.timedelta(30)).date()
        listing = member.get(self.URL).content.decode()
        assert secret not in listing and token.prefix in listing and "reporting" in listing

        response = member.post(f"/en/members/tokens/{token.pk}/revoke/")
        assert response.status_code == 302
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert Client().get("/api/v1/me", **bearer(secret)).status_code == 401

    def test_a_token_without_a_name_is_refused_with_the_field_named(self, member):
        response = member.post(self.URL, {"name": "", "expires_in": ""})
        assert response.status_code == 400
        assert "name" in response.context["form"].errors
        assert not ApiToken.objects.exists()

    def test_never_expiring_tokens(self, member):
        member.post(self.URL, {"name": "forever", "expires_in": "", "scope": "read_write"})
        assert ApiToken.objects.get().expires_at is None

    def test_nobody_revokes_another_users_token_here(self, member, editor):
        token, _secret = create_token(editor.user, "editor's")
        assert member.post(f"/en/members/tokens/{token.pk}/revoke/").status_code == 404
        assert editor.user.api_tokens.get().revoked_at is None
        assert "editor&#x27;s" not in member.get(self.URL).content.decode()

    def test_revoke_is_post_only(self, member):
        token, _secret = create_token(member.user, "script")
        assert member.get(f"/en/members/tokens/{token.pk}/revoke/").status_code == 405


class TestAdmin:
    def test_tokens_are_shown_not_made_or_edited(self, admin, member):
        token, secret = create_token(member.user, "script")
        assert admin.get("/en/admin/accounts/apitoken/").status_code == 200
        assert admin.get("/en/admin/accounts/apitoken/add/").status_code == 403
        page = admin.get(f"/en/admin/accounts/apitoken/{token.pk}/change/").content.decode()
        assert token.prefix in page and secret not in page
        assert 'name="name"' not in page  # read-only

    def test_the_admin_revokes_through_the_service(self, admin, member):
        token, _secret = create_token(member.user, "script")
        response = admin.post(
            "/en/admin/accounts/apitoken/",
            {"action": "revoke", "_selected_action": [token.pk]},
        )
        assert response.status_code == 302
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert AuditEntry.objects.filter(action="api_token.revoked", actor=admin.user).exists()
