"""The Innovative Solutions Scheme in a real browser: an applicant saves a draft, comes back
to it and submits it; an evaluator saves, then submits its scores and only then sees the
others'; the consolidation flags the submission the evaluators disagree on; the call, the
submission form, the scoring, consolidation and winner pages pass the accessibility check at
1280 and 320 px."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civhub.awards.choices import AssignmentStatus, SubmissionState
from civhub.awards.demo import DEMO_DOMAIN
from civhub.awards.models import Assignment, Score, Submission
from civhub.awards.services import scoring
from civhub.awards.tests.conftest import (
    assign,
    full_scores,
    make_call,
    make_evaluators,
    make_submission,
)
from civhub.testing import make_user
from tests.browser.test_journeys import current_totp_code, log_in

S = SubmissionState


def fill_in_the_rest(page) -> None:
    """Everything the submission form still needs after its title and summary."""
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

    fill_in_the_rest(page)
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_text("Submitted. We have e-mailed you a confirmation.")).to_be_visible()
    expect(page.locator(".status-banner")).to_contain_text("Submitted")
    assert Submission.objects.get().state == "submitted"


@pytest.mark.browser
def test_submit_an_incomplete_form_then_complete_it_makes_one_submission(
    page, live_server, transactional_db, assert_accessible
):
    """ "Submit" on a first draft with only its title saves it and opens the draft's own page
    with what is missing; completing it there submits that draft, never a second one, and the
    call's "Apply" then says the call accepts one submission from each applicant."""
    call = make_call(slug="browser-call")
    applicant = make_user("applicant@example.org", "member")
    log_in(page, applicant.email)
    page.goto(call.get_absolute_url())
    page.get_by_role("link", name="Apply").click()
    page.locator("#id_title").fill("Merit-based selection portal")
    page.get_by_role("button", name="Submit", exact=True).click()

    draft = Submission.objects.get()
    expect(page).to_have_url(re.compile(rf"/en/awards/my/{draft.pk}/\?check=missing#missing$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your draft: Merit-based selection portal"
    )
    expect(page.locator("#missing")).to_contain_text("the solution")
    expect(page.get_by_text("Your draft is saved, but not submitted yet.")).to_be_visible()
    check_page(page, assert_accessible, "the new draft's page listing what is missing")

    page.locator("#id_summary").fill("All vacancies and tests in one portal.")
    fill_in_the_rest(page)
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_text("Submitted. We have e-mailed you a confirmation.")).to_be_visible()
    expect(page.locator(".status-banner")).to_contain_text("Submitted")
    assert list(Submission.objects.values_list("pk", "state")) == [(draft.pk, "submitted")]

    # a second application to the same call is turned away with the reason
    page.goto(call.get_absolute_url())
    page.get_by_role("link", name="Apply").click()
    expect(page).to_have_url(re.compile(r"/en/awards/my/$"))
    expect(page.get_by_text("it accepts only one from each applicant")).to_be_visible()
    assert Submission.objects.count() == 1


@pytest.mark.browser
def test_call_timeline_marks_the_current_stage(page, live_server, transactional_db):
    call = make_call(slug="browser-call")
    page.goto(call.get_absolute_url())
    timeline = page.get_by_role("list").filter(has_text="Eligibility screening")
    expect(timeline.get_by_role("listitem")).to_have_count(5)
    current = timeline.locator('[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Submissions")
    expect(current).to_contain_text("current stage")


@pytest.mark.browser
@pytest.mark.parametrize("path", ["awards/", "awards/2018/"], ids=["calls", "call-with-results"])
def test_public_pages_are_accessible_at_320px(page, demo_data_committed, assert_accessible, path):
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


# --- Evaluation and consolidation ----------------------------------------------------------

DESKTOP = {"width": 1280, "height": 720}
#: a call whose submission period is over, as it is while its submissions are scored
CLOSED = {
    "opens_at": timezone.now() - datetime.timedelta(days=60),
    "closes_at": timezone.now() - datetime.timedelta(days=10),
}


def log_in_with_code(page, user) -> None:
    """Log in a staff user (editor, steering committee): password, then the TOTP code."""
    log_in(page, user.email)
    expect(page).to_have_url(re.compile(r"/en/accounts/2fa/authenticate/$"))
    form = page.locator("main form")
    form.locator("#id_code").fill(current_totp_code(user))
    form.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/en/$"))


def check_page(page, assert_accessible, where: str) -> None:
    """The page now shown: one <h1>, no axe violation at 1280 px, and at 320 px no sideways
    scroll (WCAG 1.4.10) and no violation either. The window is wide again afterwards."""
    from tests.browser.test_accessibility import NARROW, OVERFLOWING

    page.set_viewport_size(DESKTOP)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_accessible(page, f"{where} (1280 px wide)")
    page.set_viewport_size(NARROW)
    overflowing = page.evaluate(OVERFLOWING)
    assert not overflowing, f"{where} scrolls sideways at 320 px:\n" + "\n".join(overflowing[:5])
    assert_accessible(page, f"{where} (320 px wide)")
    page.set_viewport_size(DESKTOP)


def open_page(page, url: str, assert_accessible, where: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, (
        f"{where} ({url}): HTTP {response and response.status}"
    )
    check_page(page, assert_accessible, where)


@pytest.fixture
def scoring_round(transactional_db):
    """A blind call with one submission being scored by three evaluators, one of whom has
    already submitted scores of 3 commented "THEIRS"."""
    call = make_call(slug="scoring-call", **CLOSED)
    applicant = make_user("applicant@example.org", "member")
    submission = make_submission(
        call, applicant, S.SCORING, organization_name="Hidden Agency", title="Blind portal"
    )
    evaluators = make_evaluators(3, prefix="ev")
    mine, theirs, _third = assign(submission, evaluators)
    scoring.record_scores(evaluators[1], theirs, full_scores(call, 3, "THEIRS"))
    return call, submission, mine, evaluators


@pytest.mark.browser
def test_evaluator_saves_then_submits_scores_and_then_sees_the_others(
    page, live_server, scoring_round, assert_accessible
):
    call, submission, mine, evaluators = scoring_round
    log_in(page, evaluators[0].email)
    expect(page).to_have_url(re.compile(r"/en/$"))
    page.goto("/en/awards/evaluate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("To evaluate")
    check_page(page, assert_accessible, "assignments page")
    page.get_by_role("link", name="Blind portal").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Score: Blind portal")
    # blind: neither the applicant nor the other evaluator's scores are shown yet
    expect(page.get_by_text("Not shown: this call is scored blind.")).to_be_visible()
    expect(page.get_by_text("Hidden Agency")).to_have_count(0)
    expect(page.get_by_text("THEIRS")).to_have_count(0)
    expect(
        page.get_by_text("You see the other evaluators' scores once you have submitted yours.")
    ).to_be_visible()
    check_page(page, assert_accessible, "scoring page")

    # a score off the scale is refused, named by its criterion, and nothing is written
    page.get_by_label("Innovation", exact=True).fill("11")
    page.get_by_role("button", name="Save", exact=True).click()
    innovation = page.get_by_label("Innovation", exact=True)
    expect(innovation).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_innovation_error")).to_have_text(
        "Innovation: give a score from 0 to 10."
    )
    assert not Score.objects.filter(assignment=mine).exists()
    check_page(page, assert_accessible, "scoring page with an error")

    # part of the scores are saved as a draft
    innovation.fill("8")
    page.get_by_label("Comment on “Innovation”").fill("A new way to hire.")
    page.get_by_label("Results", exact=True).fill("6")
    page.get_by_label("Comment on “Results”").fill("Good figures, one source.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(
        page.get_by_text("Your scores are saved; submit them when you are done.")
    ).to_be_visible()
    expect(page.get_by_label("Innovation", exact=True)).to_have_value("8")
    expect(page.get_by_label("Comment on “Results”")).to_have_value("Good figures, one source.")
    expect(page.get_by_text("THEIRS")).to_have_count(0)
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.ASSIGNED
    assert mine.scores.count() == 2

    # submitting with a criterion left empty names it
    page.get_by_role("button", name="Submit scores").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Score every criterion before submitting: Replicability."
    )
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.ASSIGNED

    page.get_by_label("Replicability", exact=True).fill("9")
    page.get_by_label("Comment on “Replicability”").fill("The manual is open.")
    page.get_by_role("button", name="Submit scores").click()
    expect(page.get_by_text("Your scores are submitted. Thank you.")).to_be_visible()
    expect(page.locator(".status-banner")).to_contain_text("Scores submitted")
    # no form any more: the scores are listed, and the other evaluator's are shown, unnamed
    expect(page.get_by_role("button", name="Submit scores")).to_have_count(0)
    expect(page.get_by_role("listitem").filter(has_text="Innovation: 8")).to_contain_text(
        "A new way to hire."
    )
    others = page.get_by_role("table", name="The other evaluators' scores, without their names")
    expect(others.get_by_role("row").filter(has_text="THEIRS")).to_have_count(3)
    expect(others).not_to_contain_text(evaluators[1].email)
    expect(others).not_to_contain_text(str(evaluators[1].person.name))
    expect(page.get_by_text("Hidden Agency")).to_have_count(0)
    check_page(page, assert_accessible, "scoring page once the scores are submitted")

    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.COMPLETED
    assert {
        (s.criterion.slug, s.value, s.comment) for s in mine.scores.select_related("criterion")
    } == {
        ("innovation", 8, "A new way to hire."),
        ("results", 6, "Good figures, one source."),
        ("replicability", 9, "The manual is open."),
    }
    submission.refresh_from_db()
    assert submission.state == S.SCORING  # the third evaluator is not done yet


@pytest.mark.browser
def test_another_evaluator_cannot_open_my_scoring_page(page, live_server, scoring_round):
    _call, _submission, mine, evaluators = scoring_round
    log_in(page, evaluators[2].email)
    expect(page).to_have_url(re.compile(r"/en/$"))
    response = page.goto(f"/en/awards/evaluate/{mine.pk}/")
    assert response is not None and response.status == 404


@pytest.fixture
def consolidated(transactional_db):
    """A call whose two submissions three evaluators have scored: they agree on one
    (weighted totals 70, 72.5, 75) and disagree strongly on the other (100, 10, 60)."""
    call = make_call(slug="consolidation-call", disagreement_threshold=Decimal("25"), **CLOSED)
    applicant = make_user("applicant@example.org", "member")
    evaluators = make_evaluators(3, prefix="ev")
    values = {
        "Contested portal": [(10, 10, 10), (1, 1, 1), (6, 6, 6)],
        "Agreed portal": [(7, 7, 7), (7, 8, 7), (8, 7, 7)],
    }
    criteria = list(call.criteria.order_by("order"))
    for title, rows in values.items():
        submission = make_submission(call, applicant, S.SCORING, title=title)
        for evaluator, row, assignment in zip(
            evaluators, rows, assign(submission, evaluators), strict=True
        ):
            scores = {c: (v, "") for c, v in zip(criteria, row, strict=True)}
            scoring.record_scores(evaluator, assignment, scores)
        submission.refresh_from_db()
        assert submission.state == S.CONSOLIDATION
    return call, evaluators


@pytest.mark.browser
def test_consolidation_flags_the_submission_the_evaluators_disagree_on(
    page, live_server, consolidated, assert_accessible
):
    call, _evaluators = consolidated
    steering = make_user("steering@example.org", "steering", "member")
    log_in_with_code(page, steering)
    page.goto(call.get_absolute_url())
    page.get_by_role("link", name="Consolidated scores").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Consolidated scores of the 2026 call"
    )
    expect(page.get_by_text("25 percentage points")).to_be_visible()

    table = page.get_by_role("table", name="Submissions by rank")
    contested = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Contested portal")
    )
    agreed = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Agreed portal")
    )
    # the flag is said in words in its own column, not only shown by a colour
    expect(contested.get_by_role("cell").nth(6)).to_have_text("Evaluators disagree: discuss")
    expect(contested.get_by_role("cell").nth(4)).to_have_text("90.0")  # the spread
    expect(agreed.get_by_role("cell").nth(6)).to_have_text("No")
    expect(agreed.get_by_role("cell").nth(4)).to_have_text("5.0")
    expect(table.get_by_text("Evaluators disagree: discuss")).to_have_count(1)
    check_page(page, assert_accessible, "consolidation page")


@pytest.mark.browser
def test_evaluators_and_visitors_do_not_see_the_consolidation(page, live_server, consolidated):
    call, evaluators = consolidated
    url = f"/en/awards/{call.slug}/consolidation/"
    response = page.goto(url)
    assert response is not None and response.ok
    expect(page).to_have_url(re.compile(r"/en/accounts/login/\?next="))

    log_in(page, evaluators[0].email)
    expect(page).to_have_url(re.compile(r"/en/$"))
    response = page.goto(url)
    assert response is not None and response.status == 403
    expect(page.get_by_text("Evaluators disagree: discuss")).to_have_count(0)
    page.goto(call.get_absolute_url())
    expect(page.get_by_role("link", name="Consolidated scores")).to_have_count(0)


# --- The scheme's pages with the demo data, for each kind of reader ---------------------------


def demo_pages(persona: str) -> list[tuple[str, str]]:
    """(what, URL) of the pages the persona reads, found in the demo data."""
    if persona == "visitor":
        winner = Submission.objects.public().filter(call__slug="2018").order_by("pk").first()
        assert winner is not None, "the demo's 2018 call has a published winner"
        return [
            ("open call", "/en/awards/2026-demo/"),
            ("call with results", "/en/awards/2018/"),
            ("winner page", f"/en/awards/2018/winners/{winner.pk}/"),
        ]
    if persona == "member":
        return [
            ("open call, as a member", "/en/awards/2026-demo/"),
            ("submission form", "/en/awards/2026-demo/apply/"),
        ]
    if persona == "evaluator":
        assignment = (
            Assignment.objects.filter(
                evaluator__email=f"evaluator@{DEMO_DOMAIN}", status=AssignmentStatus.ASSIGNED
            )
            .order_by("pk")
            .first()
        )
        assert assignment is not None, "the demo evaluator has a submission to score"
        return [
            ("assignments page", "/en/awards/evaluate/"),
            ("scoring page", f"/en/awards/evaluate/{assignment.pk}/"),
        ]
    return [
        ("call being scored, as an editor", "/en/awards/2025-demo/"),
        ("consolidation of a call being decided", "/en/awards/2025-demo/consolidation/"),
        ("consolidation of a call with results", "/en/awards/2018/consolidation/"),
    ]


@pytest.mark.browser
@pytest.mark.parametrize("persona", ["visitor", "member", "evaluator", "editor"])
def test_scheme_pages_are_accessible_at_1280_and_320px(
    page, live_server, demo_data_committed, assert_accessible, persona
):
    from civhub.accounts.demo import DEMO_PASSWORD

    if persona in ("member", "evaluator"):
        log_in(page, f"{persona}@{DEMO_DOMAIN}", DEMO_PASSWORD)
        expect(page).to_have_url(re.compile(r"/en/$"))
    elif persona == "editor":
        log_in_with_code(page, make_user("secretariat@example.org", "editor", "member"))
    for where, url in demo_pages(persona):
        open_page(page, url, assert_accessible, where)


@pytest.mark.browser
def test_submission_form_with_what_is_missing_is_accessible(
    page, live_server, demo_data_committed, assert_accessible
):
    from civhub.accounts.demo import DEMO_PASSWORD

    log_in(page, f"member@{DEMO_DOMAIN}", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/en/$"))
    page.goto("/en/awards/2026-demo/apply/")
    page.locator("#id_title").fill("Half-written idea")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator("#missing")).to_contain_text("the solution")
    check_page(page, assert_accessible, "submission form listing what is missing")
