import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from civhub.accounts.choices import Role
from civhub.accounts.models import RoleAssignment, User
from civhub.accounts.services import grant_role, revoke_role
from civhub.core.models import AuditEntry
from civhub.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(db):
    return make_user("newcomer@example.org", "member")


class TestGrantingRoles:
    def test_an_editor_grants_a_focal_point_for_one_country(self, editor, newcomer, kazakhstan):
        assignment = grant_role(editor.user, newcomer, Role.FOCAL_POINT, kazakhstan)
        assert assignment.granted_by == editor.user
        newcomer.forget_roles()
        assert newcomer.is_focal_point_for(kazakhstan)
        entry = AuditEntry.objects.get(action="role.granted")
        assert entry.actor == editor.user and entry.data == {"role": "focal_point", "country": "KZ"}

    @pytest.mark.parametrize("role", [Role.EDITOR, Role.STEERING, Role.ADMIN])
    def test_an_editor_cannot_grant_staff_roles(self, editor, newcomer, role):
        with pytest.raises(PermissionDenied):
            grant_role(editor.user, newcomer, role)
        assert not RoleAssignment.objects.filter(user=newcomer, role=role).exists()

    @pytest.mark.parametrize(
        "persona", ["member", "focal_point", "evaluator", "steering"], indirect=True
    )
    def test_only_editors_and_administrators_grant(self, persona, newcomer):
        with pytest.raises(PermissionDenied):
            grant_role(persona.user, newcomer, Role.EVALUATOR)

    def test_an_administrator_grants_an_editor_who_then_reaches_the_admin(self, admin, newcomer):
        grant_role(admin.user, newcomer, Role.EDITOR)
        newcomer.refresh_from_db()
        assert newcomer.is_staff and not newcomer.is_superuser
        assert newcomer.groups.filter(name="Secretariat editors").exists()
        assert newcomer.has_perm("directory.change_country")

    def test_a_focal_point_needs_a_country_and_others_none(self, admin, newcomer, kazakhstan):
        with pytest.raises(ValidationError) as error:
            grant_role(admin.user, newcomer, Role.FOCAL_POINT)
        assert "country" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            grant_role(admin.user, newcomer, Role.EVALUATOR, kazakhstan)
        assert "country" in error.value.message_dict
        assert list(newcomer.role_assignments.values_list("role", flat=True)) == ["member"]

    def test_the_database_refuses_a_focal_point_without_country(self, newcomer):
        with pytest.raises(IntegrityError), transaction.atomic():
            RoleAssignment.objects.create(user=newcomer, role=Role.FOCAL_POINT)

    def test_a_role_is_granted_once(self, admin, newcomer):
        grant_role(admin.user, newcomer, Role.EVALUATOR)
        with pytest.raises(ValidationError):
            grant_role(admin.user, newcomer, Role.EVALUATOR)
        assert newcomer.role_assignments.filter(role=Role.EVALUATOR).count() == 1


class TestRevokingRoles:
    def test_revoking_editor_removes_admin_access(self, admin, newcomer):
        assignment = grant_role(admin.user, newcomer, Role.EDITOR)
        revoke_role(admin.user, assignment)
        newcomer.refresh_from_db()
        assert not newcomer.is_staff
        assert not newcomer.groups.exists()
        assert AuditEntry.objects.filter(action="role.revoked").count() == 1

    def test_an_administrator_cannot_revoke_its_own_administrator_role(self, admin):
        own = admin.user.role_assignments.get(role=Role.ADMIN)
        with pytest.raises(ValidationError):
            revoke_role(admin.user, own)
        assert RoleAssignment.objects.filter(pk=own.pk).exists()

    def test_an_editor_cannot_revoke_an_administrator(self, editor, admin):
        with pytest.raises(PermissionDenied):
            revoke_role(editor.user, admin.user.role_assignments.get(role=Role.ADMIN))


class TestRolesPage:
    @pytest.mark.parametrize(
        "persona", ["visitor", "member", "focal_point", "evaluator", "steering"], indirect=True
    )
    def test_closed_to_everyone_but_editors(self, persona):
        response = persona.get("/en/members/roles/")
        assert response.status_code == (302 if persona.role == "visitor" else 403)

    def test_an_editor_grants_through_the_page(self, editor, newcomer, kazakhstan):
        response = editor.post(
            "/en/members/roles/grant/",
            {"email": "NEWCOMER@example.org", "role": "focal_point", "country": "KZ"},
        )
        assert response.status_code == 302
        assert newcomer.role_assignments.filter(role="focal_point", country=kazakhstan).exists()

    def test_the_page_offers_an_editor_only_the_roles_it_may_grant(self, editor):
        choices = dict(editor.get("/en/members/roles/").context["form"].fields["role"].choices)
        assert set(choices) == {"member", "focal_point", "evaluator"}

    def test_an_unknown_email_is_named(self, editor):
        response = editor.post(
            "/en/members/roles/grant/", {"email": "ghost@example.org", "role": "member"}
        )
        assert response.status_code == 400
        assert "No account has this e-mail address." in response.content.decode()

    def test_a_focal_point_without_country_is_refused_on_the_page(self, editor, newcomer):
        response = editor.post(
            "/en/members/roles/grant/", {"email": newcomer.email, "role": "focal_point"}
        )
        assert response.status_code == 400
        assert "A country focal point needs a country." in response.content.decode()
        assert not newcomer.role_assignments.filter(role="focal_point").exists()

    def test_revoke_through_the_page(self, editor, newcomer):
        assignment = newcomer.role_assignments.get(role="member")
        assert editor.post(f"/en/members/roles/{assignment.pk}/revoke/").status_code == 302
        assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
        assert editor.get(f"/en/members/roles/{assignment.pk}/revoke/").status_code == 405


def test_createsuperuser_is_an_administrator(db):
    user = User.objects.create_superuser("root@example.org", "x" * 12)
    assert user.has_role(Role.ADMIN) and user.is_site_admin and user.needs_two_factor


class TestRolesInTheAdmin:
    def test_granting_in_the_admin_is_audited_and_sets_staff(self, admin, newcomer):
        response = admin.post(
            "/en/admin/accounts/roleassignment/add/",
            {"user": newcomer.pk, "role": "editor", "country": ""},
        )
        assert response.status_code == 302
        newcomer.refresh_from_db()
        assert newcomer.is_staff
        assert AuditEntry.objects.filter(action="role.granted", object_id=str(newcomer.pk)).exists()

    def test_a_focal_point_without_country_is_a_form_error_in_the_admin(self, admin, newcomer):
        response = admin.post(
            "/en/admin/accounts/roleassignment/add/",
            {"user": newcomer.pk, "role": "focal_point", "country": ""},
        )
        assert response.status_code == 200
        assert not newcomer.role_assignments.filter(role="focal_point").exists()

    def test_deleting_in_the_admin_revokes(self, admin, newcomer):
        assignment = grant_role(admin.user, newcomer, Role.EDITOR)
        response = admin.post(
            f"/en/admin/accounts/roleassignment/{assignment.pk}/delete/", {"post": "yes"}
        )
        assert response.status_code == 302
        newcomer.refresh_from_db()
        assert not newcomer.is_staff
        assert AuditEntry.objects.filter(action="role.revoked").exists()


def test_the_admin_login_goes_through_allauth(client):
    response = client.get("/en/admin/login/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
