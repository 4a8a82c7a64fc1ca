"""Every e-mail names the hub (not the host it was reached at), in the reader's language."""

import pytest
from django.core import mail

from civhub.testing import make_user

pytestmark = pytest.mark.django_db

SIGNUP = {"password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"}


def _sign_up(client, language, email):
    client.post(f"/{language}/accounts/signup/", {"email": email, **SIGNUP})
    return mail.outbox[-1]


@pytest.mark.parametrize(
    "language,name",
    [
        ("en", "Regional Hub of Civil Service"),
        ("ru", "Региональный хаб в сфере государственной службы"),
        ("kk", "Мемлекеттік қызмет саласындағы өңірлік хаб"),
    ],
)
def test_account_mail_names_the_hub_in_the_readers_language(client, language, name):
    message = _sign_up(client, language, f"{language}.reader@example.org")
    assert message.subject.startswith(f"[{name}] ")
    assert "testserver" not in message.subject
    first_line = message.body.splitlines()[0]
    assert name in first_line and "testserver" not in first_line
    # The link still points to the host the reader came from.
    assert f"http://testserver/{language}/accounts/confirm-email/" in message.body


def test_the_setting_names_the_hub(client, settings):
    settings.CIVHUB_SITE_NAME = "Astana Civil Service Hub"
    message = _sign_up(client, "ru", "named@example.org")
    assert message.subject.startswith("[Astana Civil Service Hub] ")
    assert "Astana Civil Service Hub" in message.body.splitlines()[0]


def test_password_reset_mail_names_the_hub(client):
    make_user("forgetful@example.org", "member")
    client.post("/en/accounts/password/reset/", {"email": "forgetful@example.org"})
    message = mail.outbox[-1]
    assert message.subject.startswith("[Regional Hub of Civil Service] ")
    assert "Hello from Regional Hub of Civil Service" in message.body
