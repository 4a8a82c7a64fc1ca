from typing import Any

from allauth.account.signals import user_logged_in, user_signed_up
from django.dispatch import receiver
from django.http import HttpRequest

from civhub.accounts.choices import InterfaceLanguage
from civhub.accounts.models import User


@receiver(user_signed_up)
def remember_the_language_of_sign_up(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    # A new account is a registered user, not yet a member: membership is asked for on the
    # account page and confirmed by the country's focal point or the secretariat
    # (services.request_membership). Its e-mails come in the language it signed up in.
    from django.utils import translation

    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    if language in InterfaceLanguage.values and not user.language:
        user.language = language
        user.save(update_fields=["language"])


@receiver(user_logged_in)
def count_the_login_as_recent_authentication(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    # allauth asks for the password again before TOTP set-up or recovery codes unless a step
    # is marked "reauthenticated"; a login's own steps are not, so staff sent straight from
    # the login to the TOTP set-up would type their password twice. The steps of this login
    # (password, code) count as recent for allauth's usual timeout, and no longer.
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    session = getattr(request, "session", None)
    if session is None:
        return
    records = session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if not isinstance(records, list) or not records:
        return
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {**record, "reauthenticated": True} if isinstance(record, dict) else record
        for record in records
    ]


def refresh_editors_group(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    from civhub.accounts.services import editors_group

    editors_group()
