from allauth.account.signals import user_signed_up
from django.dispatch import receiver

from civhub.accounts.choices import InterfaceLanguage


@receiver(user_signed_up)
def remember_the_language_of_sign_up(sender, request, user, **kwargs):
    # A new account is a registered user, not yet a member: membership is asked for on the
    # account page and confirmed by the country's focal point or the secretariat
    # (services.request_membership). Its e-mails come in the language it signed up in.
    from django.utils import translation

    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    if language in InterfaceLanguage.values and not user.language:
        user.language = language
        user.save(update_fields=["language"])


def refresh_editors_group(sender=None, using="default", **kwargs):
    from civhub.accounts.services import editors_group

    editors_group()
