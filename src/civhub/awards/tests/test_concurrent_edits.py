"""No lost updates in the scheme: every service saves only what it changes on the locked row,
and a stale edit (a form opened on an older version, or a step asked for from a state the
record has left) is refused whole, with what was typed kept on the page. These are the
interleavings of the races, made one after the other; test_concurrency.py runs the races
themselves in parallel connections. Both run on SQLite and PostgreSQL."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from civhub.awards.choices import AssignmentStatus, SubmissionState
from civhub.awards.models import Assignment, Call, Decision, Score, Submission
from civhub.awards.services import assignment as assignment_services
from civhub.awards.services import decisions, scoring
from civhub.awards.services import submissions as services
from civhub.awards.services.records import save_record
from civhub.awards.tests.conftest import assign, full_scores, make_evaluators, make_submission
from civhub.core.models import AuditEntry
from civhub.core.services import Conflict
from civhub.testing import make_user

S = SubmissionState
pytestmark = pytest.mark.django_db
STALE = "changed this record since you opened it"


@pytest.fixture
def applicant(db):
    return make_user("applicant@test.example", "member")


def opened(record):
    """The record as a page opened before the change the test makes next."""
    return type(record).objects.get(pk=record.pk)


def actions(submission) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(submission.pk), action__startswith="submission.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


class TestDrafts:
    def test_an_edit_read_before_the_submission_does_not_undo_it(self, call, applicant):
        draft = make_submission(call, applicant)
        tab = opened(draft)
        services.submit(applicant, draft)
        tab.summary = "Changed after all."
        with pytest.raises(Conflict, match="can no longer be changed"):
            services.save_draft(applicant, tab, changed=["summary"])
        draft.refresh_from_db()
        assert draft.state == S.SUBMITTED and draft.summary == "All vacancies on one portal."
        assert actions(draft) == ["submission.submit"]

    def test_an_edit_read_before_a_withdrawal_does_not_undo_it(self, call, applicant):
        draft = make_submission(call, applicant)
        tab = opened(draft)
        services.withdraw(applicant, draft)
        tab.title = "Renamed"
        with pytest.raises(Conflict):
            services.save_draft(applicant, tab, version=1, changed=["title"])
        draft.refresh_from_db()
        assert draft.state == S.WITHDRAWN and draft.title == "One-stop recruitment portal"

    def test_edits_of_different_fields_from_one_reading_both_hold(self, call, applicant):
        draft = make_submission(call, applicant)
        first, second = opened(draft), opened(draft)
        first.title, second.summary = "A new title", "A new summary"
        services.save_draft(applicant, first, changed=["title"])
        services.save_draft(applicant, second, changed=["summary"])
        draft.refresh_from_db()
        assert (draft.title, draft.summary) == ("A new title", "A new summary")
        assert draft.version == 3
        fields = [
            e.data["fields"]
            for e in AuditEntry.objects.filter(action="submission.updated").order_by("pk")
        ]
        assert fields == [["title"], ["summary"]]

    def test_an_edit_of_an_older_version_is_refused(self, call, applicant):
        draft = make_submission(call, applicant)
        first, second = opened(draft), opened(draft)
        first.title, second.title = "First", "Second"
        services.save_draft(applicant, first, version=1, changed=["title"])
        with pytest.raises(Conflict, match=STALE):
            services.save_draft(applicant, second, version=1, changed=["title"])
        draft.refresh_from_db()
        assert draft.title == "First" and draft.version == 2

    def test_saving_what_is_there_writes_nothing(self, call, applicant):
        draft = make_submission(call, applicant)
        services.save_draft(applicant, opened(draft), version=1, changed=[])
        draft.refresh_from_db()
        assert draft.version == 1 and "submission.updated" not in actions(draft)

    def test_a_change_of_topics_alone_is_a_new_version(self, call, applicant):
        from civhub.directory.models import Topic

        draft = make_submission(call, applicant)
        topics = list(Topic.objects.order_by("order")[:2])
        services.save_draft(applicant, opened(draft), topics=topics, changed=["topics"])
        draft.refresh_from_db()
        assert draft.version == 2 and set(draft.topics.all()) == set(topics)

    def test_the_page_refuses_a_stale_draft_and_keeps_what_was_typed(self, member, call):
        draft = make_submission(call, member.user)
        tab = opened(draft)
        tab.title = "Another tab's title"
        services.save_draft(member.user, tab, changed=["title"])
        url = reverse("awards:my_submission", args=[draft.pk])
        response = member.post(
            url,
            {
                "title": "One-stop recruitment portal",
                "summary": "What I typed",
                "language": "en",
                "version": "1",
                "save": "",
            },
        )
        assert response.status_code == 409
        page = response.content.decode()
        assert "What I typed" in page and STALE in page
        assert 'name="version" value="1"' in page  # still refused until reopened
        draft.refresh_from_db()
        assert draft.title == "Another tab's title"
        assert draft.summary == "All vacancies on one portal."
        # reopened, the form carries the new version and saves
        assert 'name="version" value="2"' in member.get(url).content.decode()

    def test_the_page_of_a_draft_submitted_meanwhile_keeps_what_was_typed(self, member, call):
        draft = make_submission(call, member.user)
        services.submit(member.user, opened(draft))
        response = member.post(
            reverse("awards:my_submission", args=[draft.pk]),
            {
                "title": "Renamed",
                "summary": "Typed in the other tab",
                "language": "en",
                "version": "1",
                "save": "",
            },
        )
        assert response.status_code == 409
        page = response.content.decode()
        assert "Typed in the other tab" in page and "can no longer be changed" in page
        draft.refresh_from_db()
        assert draft.state == S.SUBMITTED and draft.title == "One-stop recruitment portal"


class TestTransitions:
    def test_a_step_read_before_another_is_refused_as_a_conflict(self, call, applicant, editor):
        submission = make_submission(call, applicant, S.SCREENING)
        page = opened(submission)
        services.mark_ineligible(editor.user, submission, "Not a public body.")
        with pytest.raises(Conflict, match="it is “Not eligible” now"):
            services.mark_eligible(editor.user, page)
        submission.refresh_from_db()
        assert submission.state == S.INELIGIBLE and submission.version == 2
        assert actions(submission) == ["submission.mark_ineligible"]

    def test_a_step_never_possible_is_still_forbidden(self, call, applicant, editor):
        submission = make_submission(call, applicant, S.SUBMITTED)
        with pytest.raises(PermissionDenied):
            services.mark_eligible(editor.user, submission)

    def test_a_withdrawal_read_before_scoring_starts_is_refused(self, call, applicant, editor):
        submission = make_submission(call, applicant, S.ELIGIBLE)
        page = opened(submission)
        assign(submission, make_evaluators(3))
        services.transition(editor.user, submission, "start_scoring")
        with pytest.raises(Conflict, match="Being scored"):
            services.withdraw(applicant, page)
        submission.refresh_from_db()
        assert submission.state == S.SCORING
        assert Assignment.objects.filter(status=AssignmentStatus.ASSIGNED).count() == 3

    def test_the_manage_page_says_so_and_keeps_the_question_typed(self, editor, call, applicant):
        submission = make_submission(call, applicant, S.SCREENING)
        services.mark_eligible(editor.user, opened(submission))
        response = editor.post(
            reverse("awards:transition", args=[submission.pk, "request_information"]),
            {"message": "Which regions use it?", "state": S.SCREENING},
            follow=True,
        )
        page = response.content.decode()
        assert "since you opened it: it is “Eligible” now" in page
        assert "What you wrote, not sent: Which regions use it?" in page
        submission.refresh_from_db()
        assert submission.state == S.ELIGIBLE and not submission.notes.exists()

    def test_the_applicants_withdrawal_after_a_decision_is_refused(self, member, call, editor):
        submission = make_submission(call, member.user, S.SCREENING)
        services.mark_ineligible(editor.user, opened(submission), "Too recent.")
        response = member.post(
            reverse("awards:transition", args=[submission.pk, "withdraw"]),
            {"state": S.SCREENING},
            follow=True,
        )
        assert "it is “Not eligible” now, so “Withdraw” was not done" in response.content.decode()
        submission.refresh_from_db()
        assert submission.state == S.INELIGIBLE


@pytest.fixture
def scored(call, applicant, evaluator):
    """A submission being scored by the evaluator persona and two more."""
    from civhub.directory.models import Country, Person

    Person.objects.create(
        name="Persona evaluator", country=Country.objects.get(code="KZ"), user=evaluator.user
    )
    submission = make_submission(call, applicant, S.SCORING)
    mine, *others = assign(submission, [evaluator.user, *make_evaluators(3)[:2]])
    return submission, mine, others


def score_data(call, value, **extra) -> dict:
    data = {c.slug: str(value) for c in call.criteria.all()}
    data.update({f"{c.slug}__comment": f"typed {value}" for c in call.criteria.all()})
    data.update(extra)
    return data


class TestScoring:
    def test_scores_saved_from_an_older_page_are_refused(self, call, evaluator, scored):
        _submission, mine, _others = scored
        first, second = opened(mine), opened(mine)
        scoring.record_scores(evaluator.user, first, full_scores(call, 5), final=False, version=1)
        with pytest.raises(Conflict, match=STALE):
            scoring.record_scores(
                evaluator.user, second, full_scores(call, 9), final=False, version=1
            )
        assert set(Score.objects.filter(assignment=mine).values_list("value", flat=True)) == {5}
        mine.refresh_from_db()
        assert mine.version == 2 and mine.status == AssignmentStatus.ASSIGNED

    def test_scores_read_before_the_scoring_closed_are_refused(self, call, editor, scored):
        submission, mine, others = scored
        page = Assignment.objects.select_related("submission").get(pk=mine.pk)
        scoring.record_scores(others[0].evaluator, others[0], full_scores(call, 6))
        services.close_scoring(editor.user, submission)
        with pytest.raises(Conflict, match="Scores being consolidated"):
            scoring.record_scores(mine.evaluator, page, full_scores(call, 9))
        assert not Score.objects.filter(assignment=mine).exists()
        submission.refresh_from_db()
        assert submission.state == S.CONSOLIDATION

    def test_the_scoring_page_keeps_what_was_typed_when_scoring_closed(
        self, call, editor, evaluator, scored
    ):
        submission, mine, others = scored
        url = reverse("awards:score", args=[mine.pk])
        assert 'name="version" value="1"' in evaluator.get(url).content.decode()
        scoring.record_scores(others[0].evaluator, others[0], full_scores(call, 6))
        services.close_scoring(editor.user, submission)
        response = evaluator.post(url, score_data(call, 8, version="1", submit=""))
        assert response.status_code == 409
        page = response.content.decode()
        assert "Your scores were not saved" in page and "typed 8" in page
        assert not Score.objects.filter(assignment=mine).exists()

    def test_the_scoring_page_refuses_an_older_version(self, call, evaluator, scored):
        _submission, mine, _others = scored
        url = reverse("awards:score", args=[mine.pk])
        assert evaluator.post(url, score_data(call, 4, version="1", save="")).status_code == 302
        response = evaluator.post(url, score_data(call, 9, version="1", save=""))
        assert response.status_code == 409
        page = response.content.decode()
        assert STALE in page and "typed 9" in page
        assert set(Score.objects.filter(assignment=mine).values_list("value", flat=True)) == {4}
        # reopened, it saves
        assert 'name="version" value="2"' in evaluator.get(url).content.decode()
        assert evaluator.post(url, score_data(call, 9, version="2", save="")).status_code == 302

    def test_a_posted_score_without_the_right_to_score_is_still_forbidden(self, call, scored):
        from django.test import Client

        _submission, mine, _others = scored
        stranger = make_user("stranger-evaluator@test.example", "evaluator")
        client = Client()
        client.force_login(stranger)
        response = client.post(reverse("awards:score", args=[mine.pk]), score_data(call, 5))
        assert response.status_code == 404

    def test_declining_after_being_taken_off_is_a_conflict(self, call, editor, evaluator, scored):
        submission, mine, _others = scored
        page = Assignment.objects.select_related("submission").get(pk=mine.pk)
        assignment_services.override_assignment(
            editor.user, submission, reason="Workload.", remove=evaluator.user
        )
        with pytest.raises(Conflict, match="Removed by the secretariat"):
            assignment_services.decline(evaluator.user, page, "Busy.")
        mine.refresh_from_db()
        assert mine.status == AssignmentStatus.REMOVED and mine.status_reason == "Workload."
        assert mine.version == 2


class TestDecisions:
    def test_a_second_decision_from_an_older_page_is_refused(self, call, applicant, steering):
        submission = make_submission(call, applicant, S.DECISION)
        page = opened(submission)
        decisions.record_decision(steering.user, submission, S.NOT_SELECTED, "Not this year.")
        with pytest.raises(Conflict):
            decisions.record_decision(
                steering.user, page, S.AWARDED, "Unanimous.", prize=call.prizes.get()
            )
        assert Decision.objects.get().outcome == S.NOT_SELECTED

    def test_the_decision_page_keeps_the_minutes_typed(self, call, applicant, steering, editor):
        submission = make_submission(call, applicant, S.DECISION)
        url = reverse("awards:decide", args=[submission.pk])
        assert steering.get(url).status_code == 200
        decisions.record_decision(editor.user, opened(submission), S.NOT_SELECTED, "Panel.")
        response = steering.post(
            url, {"outcome": S.AWARDED, "prize": call.prizes.get().pk, "minutes": "My minutes."}
        )
        assert response.status_code == 409
        page = response.content.decode()
        assert "My minutes." in page and "“Not selected” now" in page
        assert Decision.objects.get().minutes == "Panel."

    def test_publishing_as_a_practice_is_a_new_version(self, call, applicant, editor):
        winner = make_submission(call, applicant, S.PUBLISHED)
        Decision.objects.create(
            submission=winner, outcome=S.AWARDED, prize=call.prizes.get(), minutes="Yes."
        )
        call.results_published_on = call.opens_at.date()
        call.save(update_fields=["results_published_on"])
        decisions.publish_as_practice(editor.user, winner)
        winner.refresh_from_db()
        assert winner.practice_id and winner.version == 2


class TestCallEdits:
    """Calls are edited in the admin, through services.records.save_record."""

    def test_an_edit_opened_before_the_results_were_published_is_refused(
        self, call, applicant, editor
    ):
        page = opened(call)
        decisions.publish_results(editor.user, call)
        page.title_en = "Renamed"
        with pytest.raises(Conflict, match=STALE):
            save_record(editor.user, page, ["title_en"], version=1)
        call.refresh_from_db()
        assert call.results_published_on is not None and call.title_en == "Test call"

    def test_an_edit_without_a_version_saves_only_its_fields(self, call, editor):
        page = opened(call)
        decisions.publish_results(editor.user, call)
        page.title_en = "Renamed"
        save_record(editor.user, page, ["title_en"])
        call.refresh_from_db()
        assert call.title_en == "Renamed" and call.results_published_on is not None
        assert call.version == 3
        assert AuditEntry.objects.filter(action="call.edited").get().data["fields"] == ["title_en"]

    def test_only_those_who_may_change_calls_edit_them(self, call, member):
        page = opened(call)
        page.title_en = "Mine now"
        with pytest.raises(PermissionDenied):
            save_record(member.user, page, ["title_en"])

    def test_the_admin_refuses_a_stale_form_and_keeps_what_was_typed(self, admin, call, editor):
        url = reverse("admin:awards_call_change", args=[call.pk])
        data = _admin_payload(admin, url)
        assert data["opened_version"] == "1"
        decisions.publish_results(editor.user, call)
        data["title_en"] = "Typed in the admin"
        response = admin.post(url, data)
        assert response.status_code == 200
        page = response.content.decode()
        assert STALE in page and "Typed in the admin" in page
        call.refresh_from_db()
        assert call.title_en == "Test call" and call.results_published_on is not None
        # reopened, the same change is saved, and the results' date with it stays
        data = _admin_payload(admin, url)
        data["title_en"] = "Typed in the admin"
        assert admin.post(url, data).status_code == 302
        call.refresh_from_db()
        assert call.title_en == "Typed in the admin" and call.results_published_on is not None


def _admin_payload(client, url) -> dict:
    """What the admin's change form posts when saved unchanged: its fields and inlines as
    the page shows them."""
    from django import forms

    context = client.get(url).context
    data: dict = {}

    def add(prefix, form):
        for name, field in form.fields.items():
            value = form[name].value()
            key = f"{prefix}{name}"
            if isinstance(field, forms.MultiValueField):  # a date and a time
                for n, part in enumerate(field.widget.decompress(value)):
                    data[f"{key}_{n}"] = "" if part is None else str(part)
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)

    add("", context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        add(f"{formset.prefix}-", formset.management_form)
        for n, form in enumerate(formset.forms):
            add(f"{formset.prefix}-{n}-", form)
    return data


def test_call_model_and_assignment_carry_versions(call, applicant):
    submission = make_submission(call, applicant)
    assert (call.version, submission.version) == (1, 1)
    assert Call._meta.get_field("version").editable is False
    assert Submission._meta.get_field("version").editable is False
