"""Search in a real browser: a Russian query finds English practices, a facet narrows them,
the result opens; the page is accessible with results, empty, and 320 px wide."""

import re

import pytest
from playwright.sync_api import expect

from civhub.search.tests.factories import practice
from tests.browser.test_accessibility import NARROW, OVERFLOWING

QUERY_RU = "оценка эффективности государственных служащих"
APPRAISAL_KZ = "Performance appraisal of civil servants"
APPRAISAL_GE = "Appraisal of civil servants' performance in ministries"


@pytest.fixture
def practices(transactional_db):
    """English-only practices; saving them makes their vectors (the live server's database
    commits, so the after-commit indexing runs)."""
    practice(
        APPRAISAL_KZ,
        "Each civil servant's performance is evaluated every year against key indicators; "
        "the ratings decide bonuses and promotion.",
        countries=("KZ",),
    )
    practice(
        APPRAISAL_GE,
        "Managers assess how well public servants perform and agree goals for the next year.",
        countries=("GE",),
    )
    for title, body, country in (
        ("Irrigation water councils", "Farmers share river water through councils.", "AZ"),
        ("Open budget portal", "Spending is published as open data.", "AM"),
        ("Tourism marketing abroad", "Campaigns attract visitors to the mountains.", "MD"),
        ("Public library network", "Village libraries lend books and laptops.", "AZ"),
    ):
        practice(title, body, countries=(country,))


def result_titles(page) -> list[str]:
    return page.locator(".search-results h3 a").all_inner_texts()


@pytest.mark.browser
def test_a_russian_query_finds_english_practices(page, practices, assert_accessible):
    page.goto("/ru/search/")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page, "/ru/search/ (empty)")

    page.locator("#search-q").fill(QUERY_RU)
    page.locator("form.search-form button[type=submit]").click()
    expect(page.locator(".search-results")).to_be_visible()
    assert set(result_titles(page)[:2]) == {APPRAISAL_KZ, APPRAISAL_GE}
    # English records on the Russian site are marked as such, for people and screen readers.
    first = page.locator(".search-result").first
    expect(first.locator("h3")).to_have_attribute("lang", "en")
    expect(first.locator(".lang-note")).to_be_visible()
    assert_accessible(page, "/ru/search/ with results")

    page.locator(".search-facets").get_by_role("link", name=re.compile(r"^Казахстан")).click()
    expect(page).to_have_url(re.compile(r"[?&]country=KZ(&|$)"))
    assert result_titles(page) == [APPRAISAL_KZ]
    expect(page.locator(".search-active")).to_contain_text("Казахстан")

    page.get_by_role("link", name=APPRAISAL_KZ).click()
    expect(page).to_have_url(re.compile(r"/ru/practices/performance-appraisal-of-civil-servants/$"))
    expect(page.locator("h1")).to_have_text(APPRAISAL_KZ)


@pytest.mark.browser
def test_the_header_box_searches_without_javascript_even_at_320px(new_page, practices):
    page = new_page(java_script_enabled=False, viewport=NARROW)
    page.goto("/en/about/")
    assert not page.evaluate(OVERFLOWING), "the header's search box widens the page"
    box = page.get_by_role("searchbox", name="Search the hub")
    box.fill("appraisal")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/search/\?q=appraisal$"))
    assert APPRAISAL_KZ in result_titles(page)
    overflowing = page.evaluate(OVERFLOWING)
    assert not overflowing, "the search page scrolls sideways at 320 px:\n" + "\n".join(
        overflowing[:5]
    )


@pytest.mark.browser
def test_a_bad_filter_is_announced(page, practices, assert_accessible):
    response = page.goto("/en/search/?q=appraisal&country=XX")
    assert response is not None and response.status == 400
    expect(page.get_by_role("alert")).to_have_text("Unknown country: XX.")
    assert_accessible(page, "search page with a bad filter")
