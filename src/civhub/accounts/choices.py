from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    FOCAL_POINT = "focal_point", _("Country focal point")
    EVALUATOR = "evaluator", _("Evaluator")
    EDITOR = "editor", _("Secretariat editor")
    STEERING = "steering", _("Steering committee member")
    ADMIN = "admin", _("Administrator")


# Roles that must log in with a second factor (TOTP) before they may do anything else.
STAFF_ROLES = frozenset({Role.EDITOR, Role.STEERING, Role.ADMIN})
# Roles an editor may grant; administrators may grant every role.
ROLES_EDITORS_GRANT = frozenset({Role.MEMBER, Role.FOCAL_POINT, Role.EVALUATOR})


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class MembershipRequestState(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class InterfaceLanguage(models.TextChoices):
    EN = "en", _("English")
    RU = "ru", _("Russian")
    KK = "kk", _("Kazakh")
