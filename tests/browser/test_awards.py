"""The Innovative Solutions Scheme in a real browser: an applicant saves a draft, comes back
to it and submits it; the call page and the submission form pass the accessibility check."""

import pytest
from playwright.sync_api import expect

from civhub.awards.models import Submission
from civhub.awards.tests.conftest import make_call
from civhub.core.testing import make_user
from tests.browser.test_journeys import log_in


@pytest.mark.browser
def test_apply_save_come_back_and_submit(page, live_server, transactional_db, assert_accessible):
    call = make_call(slug="browser-call")
    make_user("applicant@example.org", "member")

    page.goto(call.get_absolute_url())
    assert_accessible(page, "call page")
    log_in(page, "applicant@example.org")
    page.goto(call.get_absolute_url())
    page.get_by_role("link", name="Apply").click()
    assert_accessible(page, "submission form")

    # a partial draft is saved
    page.locator("#id_title").fill("Merit-based selection portal")
    page.locator("#id_summary").fill("All vacancies and tests in one portal.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved as a draft.")).to_be_visible()

    # the applicant comes back to it from "My submissions"
    page.get_by_role("navigation", name="Your account").get_by_role(
        "link", name="My submissions"
    ).click()
    page.get_by_role("link", name="Merit-based selection portal").click()
    expect(page.locator("#id_summary")).to_have_value("All vacancies and tests in one portal.")

    # submitting too early lists what is missing
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator("#missing")).to_contain_text("the solution")

    page.locator("#id_category").select_option(index=1)
    page.locator("#id_applicant_kind").select_option("public_body")
    page.locator("#id_organization_name").fill("Civil Service Agency")
    page.locator("#id_country").select_option(label="Georgia")
    for field, text in [
        ("problem", "Opaque hiring."),
        ("solution", "Competitive online tests."),
        ("results", "Twice as many applicants."),
        ("evidence", "Agency statistics."),
        ("novelty", "First in the region."),
        ("replication", "Open-source code and a manual."),
        ("costs", "Two developers for a year."),
    ]:
        page.locator(f"#id_{field}").fill(text)
    page.locator("#id_running_since").fill("2016-01-01")
    page.locator("input[name=topics]").first.check()
    page.locator("#id_declares_accurate").check()
    page.locator("#id_agrees_to_publication").check()
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_text("Submitted. We have e-mailed you a confirmation.")).to_be_visible()
    expect(page.locator(".status-banner")).to_contain_text("Submitted")
    assert Submission.objects.get().state == "submitted"


@pytest.mark.browser
@pytest.mark.parametrize("path", ["awards/", "awards/2018/"], ids=["calls", "call-with-results"])
def test_public_pages_are_accessible_at_320px(page, demo_data, assert_accessible, path):
    from tests.browser.test_accessibility import NARROW, OVERFLOWING

    url = f"/en/{path}"
    response = page.goto(url)
    assert response is not None and response.ok
    assert page.locator("h1").count() == 1
    assert_accessible(page, f"{url} (1280 px wide)")
    page.set_viewport_size(NARROW)
    overflowing = page.evaluate(OVERFLOWING)
    assert not overflowing, f"{url} scrolls sideways at 320 px:\n" + "\n".join(overflowing[:5])
    assert_accessible(page, f"{url} (320 px wide)")
