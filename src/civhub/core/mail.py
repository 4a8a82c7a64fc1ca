"""E-mail that names the hub: the name from CIVHUB_SITE_NAME, else the hub's name in the
reader's language, in the subject and the sign-off of every message the hub sends."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

INTERFACE_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def site_name() -> str:
    """The hub's name, in the active language unless the setting fixes one."""
    return settings.CIVHUB_SITE_NAME or _("Regional Hub of Civil Service")


def hub_subject(subject: str) -> str:
    return f"[{site_name()}] {subject}"


def sign_off() -> str:
    return _("— %(site_name)s") % {"site_name": site_name()}


def language_of(user: Any) -> str:
    """The recipient's language: the one they chose for e-mails (`User.language`, set at
    sign-up), else the first interface language of their directory record, else the site's
    default."""
    chosen = getattr(user, "language", "") if user else ""
    if chosen in INTERFACE_LANGUAGES:
        return chosen
    person = getattr(user, "person", None) if user else None
    for code in getattr(person, "languages", None) or []:
        if code in INTERFACE_LANGUAGES:
            return code
    return settings.LANGUAGE_CODE


def mail_user(
    user: Any, build: Callable[[], tuple[str, str]], *, fail_silently: bool = True
) -> bool:
    """Send `user` the message `build()` returns as (subject, body), built in their language
    and named for the hub. Call it after the commit (transaction.on_commit)."""
    if user is None or not user.email:
        return False
    with translation.override(language_of(user)):
        subject, body = build()
        subject, body = hub_subject(subject), f"{body.rstrip()}\n\n{sign_off()}\n"
    send_mail(subject, body, None, [user.email], fail_silently=fail_silently)
    return True
