"""What a person does on the site, in a real browser: language, registration, roles.

Each page the journeys pass through is also checked with axe-core.
"""

import re

import pytest
from playwright.sync_api import expect

from civhub.testing import PASSWORD, make_user

NEW_PASSWORD = "Quiet-harbour-lantern-47"
CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+")
HOME = re.compile(r"/en/$")


def current_totp_code(user) -> str:
    """The code an authenticator app shows now for the user's TOTP secret."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    # On a loaded machine a code read in a window's last seconds may reach the server in the
    # next one: wait for the next window instead, as a person would for a fresh code.
    import time

    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/en/accounts/login/")
    form = page.locator("main form")
    form.locator("#id_login").fill(email)
    form.locator("#id_password").fill(password)
    form.get_by_role("button", name="Sign In").click()


def account_menu(page):
    return page.get_by_role("navigation", name="Your account")


@pytest.mark.browser
def test_home_page_and_language_switcher_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Regional Hub of Civil Service")

    page.locator("select#language-select").select_option("ru")
    page.locator("form:has(select#language-select)").get_by_role("button").click()

    expect(page).to_have_url(re.compile(r"/ru/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator("select#language-select")).to_have_value("ru")


@pytest.mark.browser
def test_register_verify_email_and_log_in(page, mailoutbox, assert_accessible):
    email = "new.member@example.org"
    page.goto("/en/accounts/signup/")
    assert_accessible(page)
    form = page.locator("main form")
    form.locator("#id_email").fill(email)
    form.locator("#id_password1").fill(NEW_PASSWORD)
    form.locator("#id_password2").fill(NEW_PASSWORD)
    form.get_by_role("button", name="Sign Up").click()

    expect(page).to_have_url(re.compile(r"/en/accounts/confirm-email/$"))
    assert_accessible(page)
    assert len(mailoutbox) == 1, [m.subject for m in mailoutbox]
    message = mailoutbox[0]
    assert message.to == [email]
    link = CONFIRMATION_LINK.search(message.body)
    assert link, message.body

    # The mail is read later, in a new browser session: nobody is logged in there.
    page.context.clear_cookies()
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Email Address")
    assert_accessible(page)
    page.locator("main form").get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/en/accounts/login/"))

    log_in(page, email, NEW_PASSWORD)
    expect(page).to_have_url(HOME)
    menu = account_menu(page)
    expect(menu.get_by_role("link", name=email)).to_have_attribute("href", "/en/members/profile/")
    expect(menu.get_by_role("link", name="Log out")).to_be_visible()
    expect(menu.get_by_role("link", name="Roles")).to_have_count(0)
    expect(menu.get_by_role("link", name="Add a person")).to_have_count(0)


@pytest.mark.browser
def test_registration_errors_stand_with_their_field(page, assert_accessible):
    page.goto("/en/accounts/signup/")
    form = page.locator("main form")
    form.locator("#id_email").fill("weak@example.org")
    form.locator("#id_password1").fill("1234567")  # too short, too common, all digits
    form.locator("#id_password2").fill("1234567")
    form.get_by_role("button", name="Sign Up").click()

    expect(page).to_have_url(re.compile(r"/en/accounts/signup/$"))
    password = page.locator("#id_password1")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_attribute("aria-describedby", re.compile(r"\bid_password1_error\b"))
    errors = page.locator(".field:has(#id_password1) #id_password1_error")
    expect(errors).to_contain_text("too short")
    assert errors.locator("p").count() > 1
    expect(page.locator("#id_email")).not_to_have_attribute("aria-invalid", "true")
    assert_accessible(page)


@pytest.mark.browser
def test_focal_point_sees_its_menu(page, assert_accessible):
    make_user("fp@example.org", "focal_point", "member", country="KZ")
    log_in(page, "fp@example.org")

    expect(page).to_have_url(HOME)
    menu = account_menu(page)
    expect(menu.get_by_role("link", name="Add a person")).to_be_visible()
    expect(menu.get_by_role("link", name="Add an organization")).to_be_visible()
    expect(menu.get_by_role("link", name="Log out")).to_be_visible()
    expect(menu.get_by_role("link", name="Roles")).to_have_count(0)
    expect(menu.get_by_role("link", name="Administration")).to_have_count(0)

    menu.get_by_role("link", name="Add a person").click()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_accessible(page)


@pytest.mark.browser
def test_editor_logs_in_with_an_authenticator_code(page, assert_accessible):
    editor = make_user("editor@example.org", "editor", "member")
    log_in(page, "editor@example.org")

    expect(page).to_have_url(re.compile(r"/en/accounts/2fa/authenticate/$"))
    assert_accessible(page)
    form = page.locator("main form")
    form.locator("#id_code").fill(current_totp_code(editor))
    form.get_by_role("button", name="Sign In").click()

    expect(page).to_have_url(HOME)
    menu = account_menu(page)
    expect(menu.get_by_role("link", name="Roles")).to_be_visible()
    expect(menu.get_by_role("link", name="Administration")).to_be_visible()
    expect(menu.get_by_role("link", name="Log out")).to_be_visible()


@pytest.mark.browser
def test_editor_without_authenticator_is_sent_to_set_one_up(page, assert_accessible):
    make_user("new.editor@example.org", "editor", totp=False)
    log_in(page, "new.editor@example.org")

    # allauth asks for the password once more before any change of authenticators (it
    # counts re-authentications only, not the login itself), then goes on to the set-up.
    activate = re.compile(r"/en/accounts/2fa/totp/activate/$")
    reauthenticate = re.compile(
        r"/en/accounts/reauthenticate/\?next=%2Fen%2Faccounts%2F2fa%2Ftotp%2Factivate%2F$"
    )
    expect(page).to_have_url(re.compile(f"{activate.pattern}|{reauthenticate.pattern}"))
    if reauthenticate.search(page.url):
        assert_accessible(page)
        form = page.locator("main form")
        form.locator("#id_password").fill(PASSWORD)
        form.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(activate)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator("main form #id_code")).to_be_visible()
    assert_accessible(page)
