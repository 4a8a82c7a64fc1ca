"""A phone's first screen shows the page, not the navigation and the filters: both fold into
<details> below 48rem and are a plain row where there is room, with or without JavaScript.
The practice submission form, in sections, is checked with axe at 1280, 390 and 320 px."""

import re

import pytest
from playwright.sync_api import expect

from civhub.testing import make_user
from tests.browser.test_accessibility import OVERFLOWING
from tests.browser.test_journeys import log_in

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
LANGUAGES = ["en", "ru", "kk"]


def first_result_bottom(page) -> float:
    box = page.locator("ol.cards > li.card h2").first.bounding_box()
    assert box is not None, "no result shown"
    return box["y"] + box["height"]


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_on_a_phone_the_first_results_are_on_the_first_screen(
    new_page, demo_data_committed, assert_accessible, lang, javascript
):
    page = new_page(viewport=PHONE, java_script_enabled=javascript)
    page.goto(f"/{lang}/practices/")
    main_nav = page.locator(".main-nav")
    expect(main_nav).to_be_hidden()
    expect(page.locator(".filters")).to_be_hidden()
    assert first_result_bottom(page) <= PHONE["height"], (
        "the first result is below the first screen"
    )
    if javascript:
        assert not page.evaluate(OVERFLOWING), "the folded page scrolls sideways"
        assert_accessible(page, f"/{lang}/practices/ at 390 px, folded")

    # A tap opens the menu and the filters; nothing needs JavaScript for it.
    page.locator(".site-menu > summary").click()
    expect(main_nav.get_by_role("link").nth(1)).to_be_visible()
    page.locator(".filter-panel > summary").click()
    expect(page.locator(".filters button[type=submit]")).to_be_visible()
    if javascript:
        assert_accessible(page, f"/{lang}/practices/ at 390 px, opened")


@pytest.mark.browser
def test_on_a_wide_screen_the_menu_and_filters_are_always_shown(new_page, demo_data_committed):
    page = new_page(viewport=DESKTOP)
    page.goto("/en/practices/")
    expect(page.locator(".site-menu > summary")).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Laws")
    ).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Your account").get_by_role("link", name="Log in")
    ).to_be_visible()
    expect(page.locator(".filter-panel > summary")).to_be_hidden()
    expect(page.get_by_label("Country", exact=True)).to_be_visible()
    # The menu is one row of links, not a column: the first two links sit side by side.
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    first, second = links.nth(0).bounding_box(), links.nth(1).bounding_box()
    assert first and second and first["y"] == second["y"] and second["x"] > first["x"]

    # Filtering still works through the panel.
    page.get_by_label("Country", exact=True).select_option(label="Kazakhstan")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/en/practices/\?.*country=KZ"))
    expect(page.locator(".filter-panel > summary")).to_contain_text("in use: 1")


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_submission_form_is_accessible_and_keeps_what_was_typed(
    new_page, transactional_db, assert_accessible, lang
):
    make_user("writer@example.org", "member")
    page = new_page(viewport=DESKTOP)
    log_in(page, "writer@example.org")
    page.goto(f"/{lang}/practices/submit/")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_accessible(page, f"/{lang}/practices/submit/ (1280 px)")

    # An SDG target is ticked under its goal; the title is left out: the page comes back with
    # the error on top and beside the field, the goal still open and the target still ticked.
    page.locator(".choice-group > summary").nth(15).click()
    page.locator(".choice-group[open] input[type=checkbox]").first.check()
    page.locator(".practice-form button[type=submit]").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(page.locator(".choice-group[open] input:checked")).to_have_count(1)
    summary.get_by_role("link").first.click()
    expect(page.locator(f"#id_title_{lang}")).to_be_in_viewport()
    assert_accessible(page, f"/{lang}/practices/submit/ with errors (1280 px)")

    page.locator(".form-fold > summary").first.click()
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 844})
        assert not page.evaluate(OVERFLOWING), f"the form scrolls sideways at {width} px"
        assert_accessible(page, f"/{lang}/practices/submit/ with errors ({width} px)")
