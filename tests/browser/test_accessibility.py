"""axe-core on the public pages, in every interface language, with the demo data loaded,
on a desktop screen and on a 320 CSS pixel wide one (WCAG 1.4.10 Reflow)."""

import pytest

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
}
NARROW = {"width": 320, "height": 640}

# Elements whose right edge passes the window's, outside any region that scrolls on its own.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => el.closest('.table-scroll') !== null;
  return [...document.body.querySelectorAll('*')]
    .filter((el) => !scrolls(el) && el.getBoundingClientRect().right > width + 1)
    .map((el) => el.outerHTML.slice(0, 120));
}"""


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
@pytest.mark.parametrize("language", LANGUAGES)
def test_page_is_accessible(page, demo_data, assert_accessible, language, path):
    url = f"/{language}/{path}"
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1, f"{url} must have exactly one <h1>"

    assert_accessible(page, f"{url} (1280 px wide)")

    page.set_viewport_size(NARROW)
    overflowing = page.evaluate(OVERFLOWING)
    assert not overflowing, f"{url} scrolls sideways at 320 px; too wide:\n" + "\n".join(
        overflowing[:5]
    )
    assert_accessible(page, f"{url} (320 px wide)")
