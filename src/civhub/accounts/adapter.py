from types import SimpleNamespace
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site

from civhub.core.mail import hub_subject, site_name


class AccountAdapter(DefaultAccountAdapter):
    """Send verification and reset mail in the language of the page the user was on, named
    for the hub rather than for the host the request came to ("Hello from 127.0.0.1:8100")."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        from allauth.core import context as allauth_context
        from django.utils import translation

        language = translation.get_language()
        with translation.override(language):
            request = allauth_context.request
            # allauth's templates read current_site.name and .domain; without the sites
            # framework both would be the request's host.
            site = SimpleNamespace(name=site_name(), domain=get_current_site(request).domain)
            return super().send_mail(template_prefix, email, {**context, "current_site": site})

    def format_email_subject(self, subject: str) -> str:
        return hub_subject(str(subject))
