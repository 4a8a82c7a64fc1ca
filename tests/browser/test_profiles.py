"""Country civil-service profiles in a real browser: comparing three countries without
JavaScript (and downloading the CSV), a focal point answering a question, and axe-core on the
profile pages in every interface language, wide and 320 CSS pixels narrow."""

import re

import pytest
from playwright.sync_api import expect

from civhub.testing import PASSWORD, make_user
from tests.browser.test_accessibility import NARROW, OVERFLOWING

LANGUAGES = ["en", "ru", "kk"]
COMPARE_THREE = "profiles/compare/?countries=KZ&countries=GE&countries=AZ"
PAGES = {
    "profiles": "profiles/",
    "profile": "profiles/kz/",
    "compare-form": "profiles/compare/",
    "compare-three": COMPARE_THREE,
    "compare-refused": "profiles/compare/?countries=KZ",
}


@pytest.fixture
def profiles(demo_data_committed):
    from civhub.knowledge import demo_profiles

    demo_profiles.load(log=lambda line: None)


def check_page(page, assert_accessible, url: str) -> None:
    assert page.locator("h1").count() == 1, f"{url} must have exactly one <h1>"
    assert_accessible(page, f"{url} (1280 px wide)")
    page.set_viewport_size(NARROW)
    overflowing = page.evaluate(OVERFLOWING)
    assert not overflowing, f"{url} scrolls sideways at 320 px; too wide:\n" + "\n".join(
        overflowing[:5]
    )
    assert_accessible(page, f"{url} (320 px wide)")


@pytest.mark.browser
def test_compare_three_countries(new_page, profiles):
    page = new_page(java_script_enabled=False, accept_downloads=True)
    page.goto("/en/profiles/")
    page.get_by_role("link", name="Compare countries side by side").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare civil-service profiles")

    for name in ("Kazakhstan", "Georgia", "Azerbaijan"):
        page.get_by_role("checkbox", name=name, exact=True).check()
    page.get_by_role("button", name="Compare", exact=True).click()

    expect(page).to_have_url(re.compile(r"/en/profiles/compare/\?.*countries=KZ"))
    table = page.get_by_role("table")
    expect(table.locator("caption")).to_contain_text("Azerbaijan, Georgia, Kazakhstan")
    expect(table.locator("thead th")).to_have_text(
        ["Question", "Azerbaijan", "Georgia", "Kazakhstan", "Differences"]
    )
    questions = table.locator("tbody tr").filter(has=page.locator("td"))
    model = questions.filter(has_text="Civil-service model")
    expect(model).to_contain_text("Career-based")
    expect(model).to_contain_text("Mixed")
    expect(model.locator("td").last).to_have_text("Differs")
    ethics = questions.filter(has_text="Is there a code of ethics")
    expect(ethics.locator("td").last).to_have_text("Same")
    portal = questions.filter(has_text="Address of the national vacancy portal")
    expect(portal.locator("td").first).to_have_text("Not answered")

    # Only the differences, still without JavaScript.
    page.get_by_text("Change the countries").click()
    page.get_by_label("Show only the questions where the answers differ").check()
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(questions.filter(has_text="Is there a code of ethics")).to_have_count(0)
    expect(questions.filter(has_text="Civil-service model")).to_have_count(1)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the comparison as CSV").click()
    download = download_info.value
    assert download.suggested_filename == "civhub-profiles-AZ-GE-KZ.csv"
    with open(download.path(), encoding="utf-8") as downloaded:
        content = downloaded.read()
    assert content.startswith("\ufeffSection,Question,Question code,Azerbaijan,")


@pytest.mark.browser
def test_a_focal_point_answers_for_its_country(new_page, profiles, assert_accessible):
    make_user("fp.profiles@test.example", "focal_point", "member", country="KZ")
    page = new_page()
    page.goto("/en/accounts/login/")
    form = page.locator("main form")
    form.locator("#id_login").fill("fp.profiles@test.example")
    form.locator("#id_password").fill(PASSWORD)
    form.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Log out")

    page.goto("/en/profiles/kz/")
    # The link names its question (visually hidden text), so that every "Answer" differs.
    page.get_by_role(
        "link", name=re.compile(r"^Answer\W+Address of the national vacancy portal$")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Address of the national vacancy portal"
    )
    page.get_by_label("Answer").fill("www.gov.kz/vacancies")
    page.get_by_role("button", name="Save the answer").click()
    # No source: the error names the field and nothing is saved.
    expect(page.locator("#id_source_error")).to_be_visible()
    check_page(page, assert_accessible, "answer form with an error")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator("#id_source").fill("Agency for Civil Service Affairs")
    page.get_by_role("button", name="Save the answer").click()
    expect(page.get_by_role("status")).to_contain_text("An editor will review the answer")
    expect(page.locator("#q-hris-vacancy-portal")).to_contain_text("Awaiting review:")

    page.goto("/en/profiles/kz/answer/model-type/")
    check_page(page, assert_accessible, "/en/profiles/kz/answer/model-type/")


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
@pytest.mark.parametrize("language", LANGUAGES)
def test_profile_pages_are_accessible(page, profiles, assert_accessible, language, path):
    url = f"/{language}/{path}"
    response = page.goto(url)
    assert response is not None
    assert response.status == (400 if "refused" in url or path.endswith("=KZ") else 200)
    assert page.locator("html").get_attribute("lang") == language
    details = page.locator("details")
    for i in range(details.count()):  # the checker also sees what is folded away
        details.nth(i).evaluate("el => el.open = true")
    check_page(page, assert_accessible, url)
