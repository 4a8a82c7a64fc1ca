"""One demo account per role, e-mail already verified. Staff roles set up TOTP at first login."""

from allauth.account.models import EmailAddress

from civhub.accounts.choices import Role
from civhub.accounts.models import RoleAssignment, User
from civhub.accounts.services import _sync_staff_flags
from civhub.directory.models import Country

DEMO_PASSWORD = "civhub-demo-2026"
ACCOUNTS = [
    ("member@demo.civhub.example", "Demo Member", Role.MEMBER, None),
    ("focal.kz@demo.civhub.example", "Demo Focal Point (Kazakhstan)", Role.FOCAL_POINT, "KZ"),
    ("evaluator@demo.civhub.example", "Demo Evaluator", Role.EVALUATOR, None),
    ("editor@demo.civhub.example", "Demo Secretariat Editor", Role.EDITOR, None),
    ("steering@demo.civhub.example", "Demo Steering Committee Member", Role.STEERING, None),
    ("admin@demo.civhub.example", "Demo Administrator", Role.ADMIN, None),
]


def load(log=print) -> None:
    for email, name, role, country_code in ACCOUNTS:
        user, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        country = Country.objects.get(code=country_code) if country_code else None
        RoleAssignment.objects.get_or_create(user=user, role=Role.MEMBER, country=None)
        RoleAssignment.objects.get_or_create(user=user, role=role, country=country)
        _sync_staff_flags(user)
    log(f"  demo accounts: {len(ACCOUNTS)} (password: {DEMO_PASSWORD})")
