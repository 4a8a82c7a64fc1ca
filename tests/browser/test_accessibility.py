"""axe-core on the public pages and a member's own pages, in every interface language,
with the demo data loaded, at 1280, 390 and 320 CSS pixels wide (WCAG 1.4.10 Reflow): no
violation and no sideways scroll at any width."""

import pytest

from civhub.testing import make_user

LANGUAGES = ["en", "ru", "kk"]
PAGES = {
    "home": "",
    "countries": "countries/",
    "country": "countries/kz/",
    "governance": "governance/",
    "organizations": "organizations/",
    "experts": "experts/",
    "about": "about/",
    "login": "accounts/login/",
    "sign-up": "accounts/signup/",
    # The pages issue #13 changed: a record and its goals, a search, a profile, a call, a person.
    "practice": "practices/demo-performance-appraisal-kazakhstan/",
    "search": "search/?q=civil+service",
    "profile": "profiles/kz/",
    "award-call": "awards/2015/",
    "person": "people/rashad-demo-aliyev/",
}
# A member's own pages (the practice submission form: test_narrow_screens.py).
SIGNED_IN_PAGES = {"account": "members/profile/"}
WIDTHS = [1280, 390, 320]
NARROW = {"width": 320, "height": 640}

# Elements whose right edge passes the window's, outside any region that scrolls on its own.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => el.closest('.table-scroll') !== null;
  return [...document.body.querySelectorAll('*')]
    .filter((el) => !scrolls(el) && el.getBoundingClientRect().right > width + 1)
    .map((el) => el.outerHTML.slice(0, 120));
}"""


def check_at_every_width(page, url: str, language: str, assert_accessible) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1, f"{url} must have exactly one <h1>"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        overflowing = page.evaluate(OVERFLOWING)
        assert not overflowing, f"{url} scrolls sideways at {width} px; too wide:\n" + "\n".join(
            overflowing[:5]
        )
        assert_accessible(page, f"{url} ({width} px wide)")


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
@pytest.mark.parametrize("language", LANGUAGES)
def test_page_is_accessible(page, demo_data_committed, assert_accessible, language, path):
    check_at_every_width(page, f"/{language}/{path}", language, assert_accessible)


@pytest.mark.browser
@pytest.mark.parametrize("path", SIGNED_IN_PAGES.values(), ids=SIGNED_IN_PAGES.keys())
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_members_page_is_accessible(
    new_page, demo_data_committed, assert_accessible, language, path
):
    from tests.browser.test_journeys import log_in

    make_user("reader@example.org", "member")
    page = new_page()
    log_in(page, "reader@example.org")
    check_at_every_width(page, f"/{language}/{path}", language, assert_accessible)
