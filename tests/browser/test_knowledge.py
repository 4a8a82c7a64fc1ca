"""The knowledge base in a real browser: a practice from submission to publication, and
accessibility of the knowledge pages (the comparison journey is in test_profiles.py)."""

import re

import pytest
from playwright.sync_api import expect

from civhub.testing import make_user
from tests.browser.test_journeys import current_totp_code, log_in

LANGUAGES = ["en", "ru", "kk"]


@pytest.mark.browser
def test_submit_endorse_publish_and_find_a_practice(new_page, transactional_db, assert_accessible):
    make_user("writer@example.org", "member")
    make_user("fp.kz@example.org", "focal_point", "member", country="KZ")
    editor = make_user("chief.editor@example.org", "editor", "member")

    # A member writes a draft and submits it.
    page = new_page()
    log_in(page, "writer@example.org")
    page.goto("/en/practices/submit/")
    assert_accessible(page, "practice submission form")
    page.get_by_label("Title (in English)").fill("Merit-based selection portal")
    page.get_by_label("Summary (in English)").fill(
        "All civil-service vacancies and tests in one portal."
    )
    page.get_by_label("Challenge (in English)").fill(
        "Vacancies were scattered and selection opaque."
    )
    page.get_by_label("Towards a solution (in English)").fill(
        "An online portal with competitive testing."
    )
    page.get_by_label("Countries involved", exact=True).select_option(label="Kazakhstan")
    page.get_by_label("Recruitment and selection").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merit-based selection portal")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".status-banner")).to_contain_text("Submitted")

    # Kazakhstan's focal point endorses it.
    focal = new_page()
    log_in(focal, "fp.kz@example.org")
    focal.goto(page.url)
    focal.get_by_role("button", name="Endorse for Kazakhstan").click()
    expect(focal.get_by_text("Endorsed by the focal point of Kazakhstan")).to_be_visible()

    # An editor (with the second factor) publishes it.
    chief = new_page()
    log_in(chief, "chief.editor@example.org")
    chief.locator("input[name=code]").fill(current_totp_code(editor))
    chief.locator("main form").get_by_role("button").first.click()
    chief.goto("/en/practices/review/")
    chief.get_by_role("link", name="Merit-based selection portal").click()
    chief.get_by_role("button", name="Publish").click()
    expect(chief.locator(".status-banner")).to_have_count(0)

    # A visitor finds it in the list, filtered by country.
    visitor = new_page()
    visitor.goto("/en/practices/?country=KZ")
    visitor.get_by_role("link", name="Merit-based selection portal").click()
    expect(visitor).to_have_url(re.compile(r"/en/practices/merit-based-selection-portal/$"))
    assert_accessible(visitor, "published practice page")


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "path",
    [
        "practices/",
        "practices/regional-hub-of-civil-service-in-astana/",
        "profiles/compare/?countries=KZ&countries=GE&countries=AZ",
        "transfers/",
        "laws/",
    ],
    ids=["practice-list", "practice", "comparison", "network", "laws"],
)
def test_knowledge_pages_are_accessible(page, demo_data_committed, assert_accessible, lang, path):
    response = page.goto(f"/{lang}/{path}")
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_accessible(page, f"/{lang}/{path}")
