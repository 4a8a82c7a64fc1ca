import json, re
import pytest
from axe_playwright_python.sync_playwright import Axe
from civhub.core.testing import make_user, PASSWORD
from tests.browser.test_journeys import log_in

AXE = Axe()
def scan(page, name):
    res = AXE.run(page, options={"resultTypes": ["violations", "incomplete"]}).response
    print(json.dumps([name, page.url, [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:4]) for v in res["violations"]],
                [(v["id"], len(v["nodes"])) for v in res["incomplete"]]]))
    page.screenshot(path=f"/tmp/shot-{name}.png", full_page=True)

@pytest.mark.browser
def test_debug(new_page, demo_data):
    make_user("e1@x.org", "editor", "member")
    make_user("e2@x.org", "editor", totp=False)
    page = new_page()
    log_in(page, "e1@x.org"); scan(page, "mfa-auth")
    page.locator("main form #id_code").fill("000000"); page.locator("main form").get_by_role("button", name="Sign In").click()
    scan(page, "mfa-auth-error")
    page = new_page()
    log_in(page, "e2@x.org"); scan(page, "reauth")
    page.locator("main form #id_password").fill(PASSWORD); page.locator("main form").get_by_role("button", name="Confirm").click()
    scan(page, "activate")
    page.locator("main form #id_code").fill("000000"); page.locator("main form button[type=submit]").click()
    scan(page, "activate-error")
    page = new_page()
    page.goto("/en/accounts/signup/"); page.locator("main form button[type=submit]").click()
    scan(page, "signup-empty")
    page.locator("#id_email").fill("a@b.org"); page.locator("#id_password1").fill("short"); page.locator("#id_password2").fill("other"); page.locator("main form button[type=submit]").click()
    scan(page, "signup-errors")
    page.goto("/en/accounts/login/"); page.locator("#id_login").fill("a@b.org"); page.locator("#id_password").fill("wrongwrongwrong"); page.locator("main form button[type=submit]").click()
    scan(page, "login-error")
    page = new_page(viewport={"width": 375, "height": 700})
    for p in ["", "countries/", "countries/kz/", "governance/", "experts/"]:
        page.goto(f"/kk/{p}"); scan(page, "mobile-" + (p.replace("/", "_") or "home"))
