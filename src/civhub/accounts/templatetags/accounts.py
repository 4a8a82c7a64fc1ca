from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from civhub.accounts.middleware import ONWARD_SESSION_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def onward_url(context: Any) -> str:
    """Where to go after the two-factor set-up: the page the user was sent away from, else
    their profile. Only a path of this site is followed."""
    request = context.get("request")
    onward = request.session.get(ONWARD_SESSION_KEY) if request is not None else None
    if (
        isinstance(onward, str)
        and onward.startswith("/")
        and url_has_allowed_host_and_scheme(onward, allowed_hosts={request.get_host()})
    ):
        return onward
    return reverse("accounts:profile")
