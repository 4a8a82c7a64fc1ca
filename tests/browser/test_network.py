"""Laws, the knowledge-transfer network and a country's transfers, through axe-core in a real
browser, wide and at 320 px (WCAG 1.4.10: no sideways scrolling)."""

import pytest

PAGES = ["transfers/", "laws/", "laws/kz-law-civil-service-2015/", "countries/az/"]


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_pages_pass_the_accessibility_checker(
    page, demo_data_committed, assert_accessible, language, path
):
    url = f"/{language}/{path}"
    response = page.goto(url)
    assert response is not None and response.ok, url
    assert page.locator("h1").count() == 1
    assert_accessible(page, f"{url} (1280 px wide)")
    page.set_viewport_size({"width": 320, "height": 640})
    assert_accessible(page, f"{url} (320 px wide)")
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, url
