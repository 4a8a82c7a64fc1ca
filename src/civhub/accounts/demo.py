"""One demo account per role, e-mail already verified. Staff roles set up TOTP at first login.

The member, focal point and evaluator share the published password `DEMO_PASSWORD`. The staff
accounts (editor, steering committee member, administrator) can publish, decide awards and
manage users, so each gets a password generated when it is made: printed once by `civhub demo`
and written to `settings.DEMO_ACCOUNTS_FILE` (`VAR_DIR/demo-accounts.txt`), which only the file's owner can read.
"""

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction

from civhub.accounts.choices import STAFF_ROLES, Role
from civhub.accounts.models import RoleAssignment, User
from civhub.accounts.services import sync_staff_flags
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
# Every account the demo makes (these six, and the award scheme's applicants and
# evaluators) is at this domain, which no real person has (.example is reserved, RFC 2606).
DEMO_DOMAIN = "demo.civhub.example"


def accounts_file() -> Path:
    return Path(settings.DEMO_ACCOUNTS_FILE)


def _write_accounts_file(lines: list[str]) -> None:
    """Write the accounts and passwords readable by the owner only (0600), whatever the umask."""
    path = accounts_file()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def load(log: Callable[[str], object] = print) -> None:
    rows: list[tuple[str, str, str | None]] = []  # e-mail, role, password if new
    for email, name, role, country_code in ACCOUNTS:
        user, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
        password = None
        if created:
            password = secrets.token_urlsafe(12) if role in STAFF_ROLES else DEMO_PASSWORD
            user.set_password(password)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        country = Country.objects.get(code=country_code) if country_code else None
        RoleAssignment.objects.get_or_create(user=user, role=Role.MEMBER, country=None)
        RoleAssignment.objects.get_or_create(user=user, role=role, country=country)
        sync_staff_flags(user)
        rows.append((email, str(Role(role).label), password))
    _registered_user_asking(log)
    new = [row for row in rows if row[2] is not None]
    if new:
        lines = [f"{email}\t{label}\t{password}" for email, label, password in new]
        # The file is written once the accounts are committed, so it never names a password
        # that a rolled-back load did not keep.
        transaction.on_commit(lambda: _write_accounts_file(lines))
        log("  demo accounts (e-mail, role, password; shown once):")
        for line in lines:
            log("    " + line.replace("\t", "  "))
        log(f"  the passwords are also in {accounts_file()} (readable by you only)")
    else:
        describe(log)


def _registered_user_asking(log: Callable[[str], object]) -> None:
    """An invented registered user whose membership request waits for the focal point of
    Kazakhstan, so that the approval can be tried."""
    from civhub.accounts.models import MembershipRequest

    email = f"registered@{DEMO_DOMAIN}"
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": "Demo Registered User", "language": "ru"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if not user.membership_requests.exists():
        MembershipRequest.objects.create(
            user=user,
            country=Country.objects.get(code="KZ"),
            organization="Demo district akimat (invented)",
            position="Chief specialist, human resources",
            note="Invented for the demonstration.",
        )
    log(f"  a registered user asking for membership: {email} (password: {DEMO_PASSWORD})")


def describe(log: Callable[[str], object] = print) -> None:
    """The demo accounts by role, and where their passwords are (`make run` prints this)."""
    log("  demo accounts (one per role):")
    for email, _name, role, _country in ACCOUNTS:
        log(f"    {email}  {Role(role).label}")
    log(
        f"  password of the member, focal point and evaluator: {DEMO_PASSWORD}; "
        f"the staff accounts' generated passwords: {accounts_file()}"
    )


def data_not_from_the_demo() -> list[str]:
    """What in this database the demo did not make: accounts other than its own, or records
    in a database the demo never loaded. `civhub demo` and `python -m benchmarks corpus`
    refuse to write into such a database unless told to."""
    from civhub.core.models import AuditEntry
    from civhub.directory.models import Membership

    reasons = []
    others = User.objects.exclude(email__iendswith=f"@{DEMO_DOMAIN}").count()
    if others:
        reasons.append(f"{others:,} user account(s) that are not demo accounts")
    loaded = AuditEntry.objects.filter(action="demo.loaded").exists()
    if not loaded and Membership.objects.exists():
        reasons.append("member countries and records that the demo did not load")
    return reasons
