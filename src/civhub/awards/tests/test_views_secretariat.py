"""The secretariat's pages: managing a call's submissions, assigning evaluators (and
overriding them), the consolidated scores, decisions with their prizes, the publication of
the results, certificates, good practices, replications, and the call's audit log (editors,
and the steering committee for the consolidation and the decision)."""

import datetime

import pytest
from django.urls import reverse

from civhub.awards.choices import AssignmentStatus, PrizeKind, SubmissionState
from civhub.awards.models import Assignment, Certificate, Decision, Prize, Score, StageNote
from civhub.awards.services import decisions
from civhub.awards.tests.conftest import assign, make_call, make_evaluators, make_submission
from civhub.core.models import AuditEntry
from civhub.core.services import audit
from civhub.directory.models import Country
from civhub.testing import make_user

S = SubmissionState


@pytest.fixture
def applicant(db):
    return make_user("applicant@test.example", "member")


@pytest.mark.parametrize(
    "persona", ["member", "evaluator", "steering", "focal_point"], indirect=True
)
def test_only_editors_manage(persona, call):
    assert persona.get(reverse("awards:manage", args=[call.slug])).status_code == 403
    assert persona.post(reverse("awards:assign", args=[call.slug])).status_code == 403


def test_visitor_is_sent_to_log_in(visitor, call):
    response = visitor.get(reverse("awards:manage", args=[call.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_editor_sees_every_submission_and_its_steps(editor, call, applicant):
    make_submission(call, applicant, S.SUBMITTED, title="Fresh one")
    make_submission(call, applicant, S.SCREENING, title="In screening")
    body = editor.get(reverse("awards:manage", args=[call.slug])).content.decode()
    assert "Fresh one" in body and "In screening" in body
    assert ">Screen</button>" in body
    # a step that needs a message has its labelled textarea
    assert "Ask for more information: reason, question or minutes" in body
    # the applicant's own steps are not offered
    assert ">Withdraw</button>" not in body


def test_editor_takes_a_step_and_one_needing_a_message(editor, call, applicant):
    submission = make_submission(call, applicant, S.SUBMITTED)
    url = reverse("awards:transition", args=[submission.pk, "start_screening"])
    response = editor.post(url, follow=True)
    assert "is now “In screening”" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == S.SCREENING
    url = reverse("awards:transition", args=[submission.pk, "request_information"])
    response = editor.post(url, {"message": ""}, follow=True)
    assert "Write the reason, the question or the minutes." in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == S.SCREENING and not StageNote.objects.exists()
    editor.post(url, {"message": "Which regions?"})
    submission.refresh_from_db()
    assert submission.state == S.INFO_REQUESTED
    assert submission.notes.get().text == "Which regions?"


def test_next_must_be_on_this_site(editor, call, applicant):
    submission = make_submission(call, applicant, S.SUBMITTED)
    url = reverse("awards:transition", args=[submission.pk, "start_screening"])
    response = editor.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("awards:manage", args=[call.slug])


def test_assign_evaluators_shows_the_services_message(editor, call, applicant):
    submission = make_submission(call, applicant, S.ELIGIBLE, title="Needs three")
    make_evaluators(1, prefix="only")
    response = editor.post(reverse("awards:assign", args=[call.slug]), follow=True)
    body = response.content.decode()
    assert "can&#x27;t get enough eligible evaluators" in body or "can't get enough" in body
    assert "Needs three" in body
    submission.refresh_from_db()
    assert submission.state == S.ELIGIBLE and not submission.assignments.exists()


def test_assign_evaluators_sends_to_scoring(editor, call, applicant):
    submission = make_submission(call, applicant, S.ELIGIBLE)
    make_evaluators(4, prefix="pool")
    response = editor.post(reverse("awards:assign", args=[call.slug]), follow=True)
    assert "Evaluators assigned to 1 submissions." in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == S.SCORING and submission.assignments.count() == 3


@pytest.fixture
def scored(call, applicant):
    evaluators = make_evaluators(3, prefix="cons")
    rows = []
    for title, values in (("Strong", [9, 9, 9]), ("Contested", [1, 10, 2]), ("Weak", [3, 2, 3])):
        submission = make_submission(call, applicant, S.CONSOLIDATION, title=title)
        for evaluator, value in zip(evaluators, values, strict=True):
            (a,) = assign(submission, [evaluator], AssignmentStatus.COMPLETED)
            for criterion in call.criteria.all():
                Score.objects.create(assignment=a, criterion=criterion, value=value)
        rows.append(submission)
    return rows, evaluators


@pytest.mark.parametrize("persona", ["editor", "steering"], indirect=True)
def test_consolidation_for_editors_and_steering(persona, call, scored):
    _rows, evaluators = scored
    body = persona.get(reverse("awards:consolidation", args=[call.slug])).content.decode()
    assert "Kendall" in body and "ICC" in body
    assert body.index("Strong") < body.index("Weak")
    # disagreement is said in words, not only by colour
    assert body.count("Evaluators disagree: discuss") == 1
    for evaluator in evaluators:
        assert evaluator.email not in body


def test_the_manage_page_links_the_exports(editor, call):
    body = editor.get(reverse("awards:manage", args=[call.slug])).content.decode()
    assert reverse("awards:scores_csv", args=[call.slug]) in body
    assert reverse("awards:results_report", args=[call.slug]) in body
    assert reverse("awards:audit_log", args=[call.slug]) in body


def test_the_committee_goes_from_consolidation_to_the_decision(steering, call, scored):
    rows, _evaluators = scored
    strong = rows[0]
    strong.state = S.DECISION
    strong.save()
    body = steering.get(reverse("awards:consolidation", args=[call.slug])).content.decode()
    decide = reverse("awards:decide", args=[strong.pk])
    assert body.count('href="/en/awards/submissions/') == 1 and decide in body
    assert reverse("awards:results_report", args=[call.slug]) in body
    assert steering.get(decide).status_code == 200


@pytest.mark.parametrize("persona", ["visitor", "member", "evaluator"], indirect=True)
def test_consolidation_is_closed_to_others(persona, call, scored):
    response = persona.get(reverse("awards:consolidation", args=[call.slug]))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "login" in response["Location"]


def test_consolidation_without_scores(steering, call):
    body = steering.get(reverse("awards:consolidation", args=[call.slug])).content.decode()
    assert "No submitted scores yet." in body


REFUSED = ["member", "evaluator", "focal_point"]


def refused(response, persona) -> bool:
    """A visitor is sent to log in; a logged-in persona without the right gets 403."""
    if persona.role == "visitor":
        return response.status_code == 302 and "login" in response["Location"]
    return response.status_code == 403


def actions(**filters) -> list[str]:
    return list(AuditEntry.objects.filter(**filters).values_list("action", flat=True))


# Decisions, with their prize
@pytest.fixture
def mention(call):
    return Prize.objects.create(
        call=call, kind=PrizeKind.HONOURABLE_MENTION, title_en="Honourable mention", order=5
    )


@pytest.mark.parametrize("persona", ["editor", "steering"], indirect=True)
def test_editor_and_steering_record_a_decision_with_its_prize(persona, call, applicant, client):
    submission = make_submission(call, applicant, S.DECISION, title="Portal")
    url = reverse("awards:decide", args=[submission.pk])
    body = persona.get(url).content.decode()
    assert body.count("<h1>") == 1 and "First prize (Prize; given 0 of 1)" in body
    assert 'for="id_minutes"' in body and ">Record the decision</button>" in body
    prize = call.prizes.get()
    response = persona.post(
        url, {"outcome": S.AWARDED, "prize": prize.pk, "minutes": "Unanimous."}, follow=True
    )
    back = "manage" if persona.role == "editor" else "consolidation"
    assert response.redirect_chain[0][0].startswith(reverse(f"awards:{back}", args=[call.slug]))
    assert "Decision recorded: “Portal”, Awarded (First prize)." in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == S.AWARDED
    assert submission.decision.prize == prize and submission.decision.minutes == "Unanimous."
    assert submission.decision.decided_by == persona.user
    assert actions(object_id=str(submission.pk)) == ["submission.award"]
    # the applicant still reads "awaiting the decision", and not the minutes
    client.force_login(applicant)
    body = client.get(reverse("awards:my_submission", args=[submission.pk])).content.decode()
    assert "Awaiting the decision" in body and "Unanimous." not in body


def test_the_generic_step_sends_a_decision_to_its_page(steering, call, applicant):
    submission = make_submission(call, applicant, S.DECISION)
    url = reverse("awards:transition", args=[submission.pk, "award"])
    response = steering.post(url, {"message": "Unanimous."})
    assert response["Location"] == reverse("awards:decide", args=[submission.pk])
    submission.refresh_from_db()
    assert submission.state == S.DECISION and not Decision.objects.exists()


@pytest.mark.parametrize("persona", ["visitor", *REFUSED], indirect=True)
def test_others_may_not_decide(persona, call, applicant):
    submission = make_submission(call, applicant, S.DECISION)
    url = reverse("awards:decide", args=[submission.pk])
    assert refused(persona.get(url), persona)
    data = {"outcome": S.AWARDED, "prize": call.prizes.get().pk, "minutes": "x"}
    assert refused(persona.post(url, data), persona)
    submission.refresh_from_db()
    assert submission.state == S.DECISION and not Decision.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"outcome": "awarded", "minutes": " "}, "minutes", "Write the minutes of the decision."),
        ({"outcome": "awarded", "minutes": "x"}, "prize", "Choose the prize awarded."),
        ({"outcome": "awarded", "minutes": "x", "prize": "OTHER"}, "prize", "this call&#x27;s"),
        ({"outcome": "awarded", "minutes": "x", "prize": "MENTION"}, "prize", "not an honourable"),
        ({"outcome": "honourable_mention", "minutes": "x", "prize": "PRIZE"}, "prize", "gets no"),
        ({"outcome": "not_selected", "minutes": "x", "prize": "PRIZE"}, "prize", "gets no prize"),
        ({"outcome": "published", "minutes": "x"}, "outcome", "Select a valid choice"),
    ],
)
def test_a_bad_decision_is_refused_on_its_field(
    editor, call, applicant, mention, data, field, error
):
    other = make_call(slug="other-call")
    prizes = {
        "OTHER": other.prizes.get(),
        "MENTION": mention,
        "PRIZE": call.prizes.get(kind="prize"),
    }
    if "prize" in data:
        data = {**data, "prize": prizes[data["prize"]].pk}
    submission = make_submission(call, applicant, S.DECISION)
    response = editor.post(reverse("awards:decide", args=[submission.pk]), data)
    assert response.status_code == 422
    body = response.content.decode()
    errors = body[body.index(f'id="id_{field}_error"') :]
    assert error in errors[: errors.index("</div>")]
    submission.refresh_from_db()
    assert submission.state == S.DECISION and not Decision.objects.exists()
    assert not StageNote.objects.exists() and not AuditEntry.objects.exists()


def test_an_honourable_mention_with_or_without_its_prize(editor, call, applicant, mention):
    one = make_submission(call, applicant, S.DECISION, title="One")
    two = make_submission(call, applicant, S.DECISION, title="Two")
    data = {"outcome": S.HONOURABLE_MENTION, "minutes": "Good.", "prize": mention.pk}
    editor.post(reverse("awards:decide", args=[one.pk]), data)
    editor.post(reverse("awards:decide", args=[two.pk]), {**data, "prize": ""})
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.state == two.state == S.HONOURABLE_MENTION
    assert one.decision.prize == mention and two.decision.prize is None


def test_a_call_without_prizes_cannot_award(editor, call, applicant):
    call.prizes.all().delete()
    submission = make_submission(call, applicant, S.DECISION)
    response = editor.post(
        reverse("awards:decide", args=[submission.pk]), {"outcome": S.AWARDED, "minutes": "x"}
    )
    assert response.status_code == 422
    assert "This call has no prize to award" in response.content.decode()


@pytest.mark.parametrize("persona", ["editor", "steering"], indirect=True)
def test_no_decision_page_before_the_decision(persona, call, applicant):
    submission = make_submission(call, applicant, S.SCORING, title="Still scored")
    response = persona.get(reverse("awards:decide", args=[submission.pk]), follow=True)
    assert "“Still scored” is not awaiting a decision" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == S.SCORING


# Publishing the results
@pytest.mark.parametrize("persona", ["visitor", "steering", *REFUSED], indirect=True)
def test_only_editors_publish_results(persona, call, applicant):
    make_submission(call, applicant, S.AWARDED)
    assert refused(persona.post(reverse("awards:publish_results", args=[call.slug])), persona)
    call.refresh_from_db()
    assert call.results_published_on is None and not AuditEntry.objects.exists()


def test_results_wait_for_every_decision(editor, call, applicant):
    winner = make_submission(call, applicant, S.AWARDED, title="Winner")
    make_submission(call, applicant, S.SCORING, title="Still scoring")
    make_submission(call, applicant, S.DECISION, title="Still debated")
    url = reverse("awards:publish_results", args=[call.slug])
    response = editor.post(url, {"on": ""}, follow=True)
    body = response.content.decode()
    assert "The results are not published. Still undecided: Still scoring; Still debated." in body
    call.refresh_from_db()
    winner.refresh_from_db()
    assert call.results_published_on is None and winner.state == S.AWARDED
    assert not AuditEntry.objects.exists()


def test_editor_publishes_the_results(editor, call, applicant):
    winner = make_submission(call, applicant, S.AWARDED, title="Winner")
    make_submission(call, applicant, S.NOT_SELECTED, title="Not this time")
    url = reverse("awards:publish_results", args=[call.slug])
    response = editor.post(url, {"on": "2026-01-15"}, follow=True)
    assert "The results are published on Jan. 15, 2026." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("awards:manage", args=[call.slug])
    call.refresh_from_db()
    winner.refresh_from_db()
    assert call.results_published_on == datetime.date(2026, 1, 15)
    assert winner.state == S.PUBLISHED
    assert set(actions()) == {"call.results_published", "submission.publish"}


def test_results_without_a_date_are_published_today(editor, call, applicant):
    from django.utils import timezone

    editor.post(reverse("awards:publish_results", args=[call.slug]))
    call.refresh_from_db()
    assert call.results_published_on == timezone.localdate()


def test_a_bad_publication_date_is_named(editor, call):
    url = reverse("awards:publish_results", args=[call.slug])
    body = editor.post(url, {"on": "15/45/2026"}, follow=True).content.decode()
    assert "Results published on: Enter a valid date." in body
    call.refresh_from_db()
    assert call.results_published_on is None


# Certificates, good practices and replications of published winners
@pytest.fixture
def winner(call, applicant, editor, steering):
    submission = make_submission(call, applicant, S.DECISION, title="Winner")
    decisions.record_decision(
        steering.user, submission, S.AWARDED, "Unanimous.", prize=call.prizes.get()
    )
    decisions.publish_results(editor.user, call)
    submission.refresh_from_db()
    AuditEntry.objects.all().delete()
    return submission


@pytest.mark.parametrize("persona", ["visitor", "steering", *REFUSED], indirect=True)
@pytest.mark.parametrize("name", ["certificate", "publish_practice"])
def test_only_editors_certify_and_publish_practices(persona, name, winner):
    assert refused(persona.post(reverse(f"awards:{name}", args=[winner.pk])), persona)
    winner.refresh_from_db()
    assert not Certificate.objects.exists() and winner.practice is None
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("name", ["certificate", "publish_practice"])
def test_certify_and_publish_practice_are_post_only(editor, name, winner):
    assert editor.get(reverse(f"awards:{name}", args=[winner.pk])).status_code == 405


def test_editor_issues_a_certificate_once(editor, call, winner):
    url = reverse("awards:certificate", args=[winner.pk])
    response = editor.post(url, follow=True)
    certificate = Certificate.objects.get()
    body = response.content.decode()
    assert f"its verification code is {certificate.code}." in body
    assert f"verification code <code>{certificate.code}</code>" in body  # in its row
    assert actions() == ["submission.certificate_issued"]
    body = editor.post(url, follow=True).content.decode()
    assert "A certificate was already issued." in body
    assert Certificate.objects.count() == 1


def test_no_certificate_before_publication(editor, call, applicant):
    submission = make_submission(call, applicant, S.AWARDED)
    response = editor.post(reverse("awards:certificate", args=[submission.pk]), follow=True)
    assert "Only published winners get a certificate." in response.content.decode()
    assert not Certificate.objects.exists()


def test_editor_publishes_a_winner_as_a_good_practice(editor, call, winner):
    response = editor.post(reverse("awards:publish_practice", args=[winner.pk]), follow=True)
    winner.refresh_from_db()
    practice = winner.practice
    assert practice is not None
    body = response.content.decode()
    assert "“Winner” is now a good practice of the knowledge base." in body
    assert f'<a href="{practice.get_absolute_url()}">Open the good practice</a>' in body
    assert set(actions()) == {"practice.created", "submission.published_as_practice"}
    again = editor.post(reverse("awards:publish_practice", args=[winner.pk]), follow=True)
    assert "It is already a good practice." in again.content.decode()


@pytest.fixture
def practice_winner(editor, winner):
    decisions.publish_as_practice(editor.user, winner)
    winner.refresh_from_db()
    AuditEntry.objects.all().delete()
    return winner


def test_editor_records_a_replication(editor, practice_winner):
    from civhub.knowledge.models import KnowledgeTransfer

    url = reverse("awards:replication", args=[practice_winner.pk])
    body = editor.get(url).content.decode()
    assert body.count("<h1>") == 1 and 'for="id_target_country"' in body
    kazakhstan = Country.objects.get(code="KZ")
    data = {
        "target_country": kazakhstan.pk,
        "kind": "adaptation",
        "stage": "adapting",
        "started_on": "2024-03-01",
        "outcome": "Piloted in two ministries.",
        "evidence_urls": "https://example.org/report\n\nhttps://example.org/news",
    }
    response = editor.post(url, data, follow=True)
    assert "Replication in Kazakhstan recorded as a knowledge transfer." in (
        response.content.decode()
    )
    transfer = KnowledgeTransfer.objects.get()
    assert transfer.target_country == kazakhstan and transfer.kind == "adaptation"
    assert transfer.stage == "adapting" and transfer.started_on == datetime.date(2024, 3, 1)
    assert transfer.practice == practice_winner.practice
    assert transfer.evidence_urls == ["https://example.org/report", "https://example.org/news"]
    practice_winner.refresh_from_db()
    assert practice_winner.state == S.FOLLOW_UP
    assert {"transfer.created", "submission.replicated", "submission.follow_up"} <= set(actions())


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"target_country": "GE"}, "target_country", "does not transfer knowledge to itself"),
        ({"target_country": "KZ", "evidence_urls": "x\nnot a link"}, "evidence_urls", "Line 2:"),
        ({"target_country": ""}, "target_country", "This field is required."),
        ({"target_country": "KZ", "kind": "gift"}, "kind", "Select a valid choice"),
    ],
)
def test_a_bad_replication_is_refused_on_its_field(editor, practice_winner, data, field, error):
    from civhub.knowledge.models import KnowledgeTransfer

    codes = {c.code: c.pk for c in Country.objects.filter(code__in=["GE", "KZ"])}
    data = {"kind": "replication", "stage": "implemented", **data}
    data["target_country"] = codes.get(data["target_country"], "")
    response = editor.post(reverse("awards:replication", args=[practice_winner.pk]), data)
    assert response.status_code == 422
    body = response.content.decode()
    errors = body[body.index(f'id="id_{field}_error"') :]
    assert error in errors[: errors.index("</div>")]
    practice_winner.refresh_from_db()
    assert practice_winner.state == S.PUBLISHED and not KnowledgeTransfer.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_replication_needs_a_good_practice(editor, winner):
    response = editor.get(reverse("awards:replication", args=[winner.pk]), follow=True)
    assert "Publish it as a good practice first." in response.content.decode()


@pytest.mark.parametrize("persona", ["visitor", "steering", *REFUSED], indirect=True)
def test_only_editors_record_replications(persona, practice_winner):
    from civhub.knowledge.models import KnowledgeTransfer

    url = reverse("awards:replication", args=[practice_winner.pk])
    assert refused(persona.get(url), persona)
    kazakhstan = Country.objects.get(code="KZ")
    data = {"target_country": kazakhstan.pk, "kind": "replication", "stage": "implemented"}
    assert refused(persona.post(url, data), persona)
    assert not KnowledgeTransfer.objects.exists() and not AuditEntry.objects.exists()


# Overriding a submission's evaluators
@pytest.fixture
def scoring_submission(call, applicant):
    submission = make_submission(call, applicant, S.SCORING, title="Being scored")
    first, second = make_evaluators(2, prefix="on")
    (done,) = assign(submission, [first], AssignmentStatus.COMPLETED)
    assign(submission, [second])
    return submission, first, second


def test_editor_sees_the_assignments(editor, scoring_submission):
    submission, first, second = scoring_submission
    Assignment.objects.filter(evaluator=second).update(override_reason="Knows the region.")
    body = editor.get(reverse("awards:evaluators", args=[submission.pk])).content.decode()
    assert body.count("<h1>") == 1
    assert "Evaluator on 0" not in body  # users, by their account name
    assert "on0 (Kazakhstan)" in body and "on1 (Kyrgyzstan)" in body
    assert "Scores submitted" in body and "Knows the region." in body
    assert 'for="id_add"' in body and 'for="id_reason"' in body


def test_editor_adds_an_evaluator_with_a_reason(editor, scoring_submission):
    submission, _first, _second = scoring_submission
    (extra,) = make_evaluators(1, prefix="extra", country_codes=["AM"])
    url = reverse("awards:evaluators", args=[submission.pk])
    data = {"add": extra.pk, "reason": "Speaks the language."}
    response = editor.post(url, data, follow=True)
    assert "extra0 is added to “Being scored”." in response.content.decode()
    added = Assignment.objects.get(evaluator=extra)
    assert added.status == AssignmentStatus.ASSIGNED and added.assigned_by == editor.user
    assert added.override_reason == "Speaks the language."
    assert actions() == ["assignment.override_added"]


def test_editor_replaces_an_evaluator(editor, scoring_submission):
    submission, _first, second = scoring_submission
    (extra,) = make_evaluators(1, prefix="extra", country_codes=["AM"])
    url = reverse("awards:evaluators", args=[submission.pk])
    data = {"add": extra.pk, "remove": second.pk, "reason": "Unreachable."}
    response = editor.post(url, data, follow=True)
    assert "on1 is replaced by extra0 on “Being scored”." in response.content.decode()
    removed = Assignment.objects.get(evaluator=second)
    assert removed.status == AssignmentStatus.REMOVED and removed.override_reason == "Unreachable."
    assert set(actions()) == {"assignment.override_removed", "assignment.override_added"}


@pytest.mark.parametrize(
    ("case", "field", "error"),
    [
        ("no reason", "reason", "Give the reason for the override."),
        ("nobody", "add", "Say which evaluator to add or remove."),
        ("same country", "add", "may not score it: the evaluator is from the applicant&#x27;s"),
        ("already asked", "add", "already assigned this submission."),
        ("not an evaluator", "add", "Select a valid choice"),
        ("finished", "remove", "Select a valid choice"),
    ],
)
def test_a_bad_override_changes_nothing(editor, member, scoring_submission, case, field, error):
    submission, first, second = scoring_submission
    (georgian,) = make_evaluators(1, prefix="ge", country_codes=["GE"])
    data = {
        "no reason": {"add": georgian.pk, "remove": second.pk, "reason": "  "},
        "nobody": {"reason": "Because."},
        # a replacement refused as a whole: the one taken off stays on
        "same country": {"add": georgian.pk, "remove": second.pk, "reason": "Because."},
        "already asked": {"add": first.pk, "reason": "Because."},
        "not an evaluator": {"add": member.user.pk, "reason": "Because."},
        "finished": {"remove": first.pk, "reason": "Because."},
    }[case]
    before = list(Assignment.objects.order_by("pk").values_list("evaluator", "status"))
    response = editor.post(reverse("awards:evaluators", args=[submission.pk]), data)
    assert response.status_code == 422
    body = response.content.decode()
    errors = body[body.index(f'id="id_{field}_error"') :]
    assert error in errors[: errors.index("</div>")]
    assert list(Assignment.objects.order_by("pk").values_list("evaluator", "status")) == before
    assert not AuditEntry.objects.exists()


def test_evaluators_change_only_before_and_during_scoring(editor, call, applicant):
    submission = make_submission(call, applicant, S.CONSOLIDATION)
    (extra,) = make_evaluators(1, prefix="late")
    url = reverse("awards:evaluators", args=[submission.pk])
    assert "Evaluators change only before and during scoring." in editor.get(url).content.decode()
    response = editor.post(url, {"add": extra.pk, "reason": "Late."})
    assert response.status_code == 422
    assert not Assignment.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize("persona", ["visitor", "steering", *REFUSED], indirect=True)
def test_only_editors_override_evaluators(persona, scoring_submission):
    submission, _first, second = scoring_submission
    url = reverse("awards:evaluators", args=[submission.pk])
    assert refused(persona.get(url), persona)
    assert refused(persona.post(url, {"remove": second.pk, "reason": "x"}), persona)
    assert Assignment.objects.get(evaluator=second).status == AssignmentStatus.ASSIGNED
    assert not AuditEntry.objects.exists()


# The manage page and the call's audit log
def test_manage_page_offers_each_action_in_its_row(editor, call, applicant, winner):
    decided = make_submission(call, applicant, S.DECISION, title="To decide")
    body = editor.get(reverse("awards:manage", args=[call.slug])).content.decode()
    assert body.count("<h1>") == 1
    assert reverse("awards:audit_log", args=[call.slug]) in body
    assert reverse("awards:publish_results", args=[call.slug]) in body
    assert 'for="id_on"' in body
    assert reverse("awards:decide", args=[decided.pk]) in body
    assert reverse("awards:evaluators", args=[decided.pk]) in body
    # the decision is not a bare button without its prize
    assert reverse("awards:transition", args=[decided.pk, "award"]) not in body
    assert reverse("awards:certificate", args=[winner.pk]) in body
    assert reverse("awards:publish_practice", args=[winner.pk]) in body
    assert reverse("awards:replication", args=[winner.pk]) not in body
    assert "Decision: <strong>Awarded</strong> — First prize" in body
    decisions.publish_as_practice(editor.user, winner)
    decisions.issue_certificate(editor.user, winner)
    body = editor.get(reverse("awards:manage", args=[call.slug])).content.decode()
    assert reverse("awards:replication", args=[winner.pk]) in body
    assert reverse("awards:certificate", args=[winner.pk]) not in body
    assert reverse("awards:publish_practice", args=[winner.pk]) not in body


def test_manage_page_queries_are_bounded(editor, call, applicant, django_assert_max_num_queries):
    from civhub.directory.models import Organization

    organization = Organization.objects.first()
    evaluators = make_evaluators(3, prefix="many")
    states = [S.SUBMITTED, S.SCREENING, S.SCORING, S.DECISION, S.AWARDED, S.PUBLISHED]
    for i in range(30):
        state = states[i % len(states)]
        submission = make_submission(
            call, applicant, state, title=f"Submission {i}", organization=organization
        )
        assign(submission, evaluators)
        if state in (S.AWARDED, S.PUBLISHED):
            Decision.objects.create(
                submission=submission, outcome=S.AWARDED, prize=call.prizes.get(), minutes="x"
            )
        if state == S.PUBLISHED and i % 2:
            Certificate.objects.create(submission=submission)
    with django_assert_max_num_queries(10):
        response = editor.get(reverse("awards:manage", args=[call.slug]))
    assert response.status_code == 200 and "Submission 29" in response.content.decode()


@pytest.mark.parametrize("persona", ["visitor", "steering", *REFUSED], indirect=True)
@pytest.mark.parametrize("name", ["manage", "audit_log"])
def test_only_editors_see_the_manage_page_and_the_log(persona, name, call):
    assert refused(persona.get(reverse(f"awards:{name}", args=[call.slug])), persona)


def test_audit_log_shows_this_calls_entries_only(editor, call, applicant):
    submission = make_submission(call, applicant, S.DECISION, title="Ours")
    (evaluator,) = make_evaluators(1)
    (assignment,) = assign(submission, [evaluator])
    decision = Decision.objects.create(submission=submission, outcome=S.AWARDED, minutes="x")
    other_call = make_call(slug="other-call")
    other = make_submission(other_call, applicant, S.SUBMITTED, title="Theirs")
    audit(editor.user, "call.updated", call, summary="Call entry")
    audit(editor.user, "submission.note", submission, summary="Submission entry")
    audit(None, "assignment.touched", assignment, summary="Assignment entry")
    audit(editor.user, "decision.touched", decision, summary="Decision entry")
    audit(editor.user, "call.updated", other_call, summary="Other call entry")
    audit(editor.user, "submission.note", other, summary="Other submission entry")
    audit(editor.user, "site.setting", None, summary="Unrelated entry")
    body = editor.get(reverse("awards:audit_log", args=[call.slug])).content.decode()
    assert body.count("<h1>") == 1
    for mine in ("Call entry", "Submission entry", "Assignment entry", "Decision entry"):
        assert mine in body
    assert "Other" not in body and "Unrelated entry" not in body
    assert body.index("Decision entry") < body.index("Call entry")  # newest first
    assert "the system" in body and "<code>decision.touched</code>" in body


def test_audit_log_is_paginated_with_bounded_queries(
    editor, call, applicant, django_assert_max_num_queries
):
    submissions = [make_submission(call, applicant, S.SUBMITTED, title=f"S{i}") for i in range(4)]
    actors = [make_user(f"actor{i}@test.example", "editor", totp=False) for i in range(4)]
    for i in range(120):
        audit(actors[i % 4], "submission.note", submissions[i % 4], summary=f"Entry {i:03}")
    url = reverse("awards:audit_log", args=[call.slug])
    with django_assert_max_num_queries(10):
        first = editor.get(url).content.decode()
    assert first.count("Entry ") == 50 and "Entry 119" in first and "Entry 069" not in first
    assert "Page 1 of 3" in first and 'rel="next"' in first
    with django_assert_max_num_queries(10):
        last = editor.get(url, {"page": 3}).content.decode()
    assert last.count("Entry ") == 20 and "Entry 000" in last and "Entry 020" not in last
