"""No lost answers in country profiles: answers to different questions of one profile are all
kept; an answer from a page opened before another answer came (or before the one it shows was
revised or reviewed) is refused, with what was typed kept; a review never approves a value its
editor has not seen, and a revision never undoes a review."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from civhub.core.models import AuditEntry
from civhub.core.services import Conflict
from civhub.directory.models import Country
from civhub.knowledge.choices import ReviewStatus
from civhub.knowledge.models import ProfileAnswer, ProfileQuestion
from civhub.knowledge.services import profiles as services
from civhub.testing import make_user, run_in_threads

AS_OF = datetime.date(2024, 1, 1)
TEXT_QUESTIONS = ["recruitment-stages", "model-type", "size-civil-servants", "model-ranks"]
VALUES = {
    "recruitment-stages": "Test, interview",
    "model-type": "career",
    "size-civil-servants": "88400",
    "model-ranks": True,
}


def question(slug: str) -> ProfileQuestion:
    return ProfileQuestion.objects.select_related("section").get(slug=slug)


def kz() -> Country:
    return Country.objects.get(code="KZ")


def answer(user, slug="recruitment-stages", value=None, as_of=AS_OF, **kwargs) -> ProfileAnswer:
    return services.submit_answer(
        user,
        kz(),
        question(slug),
        value=VALUES[slug] if value is None else value,
        as_of=as_of,
        source="Law on Civil Service",
        **kwargs,
    )


def opened(slug="recruitment-stages"):
    """What the answer page of `slug` is opened on now."""
    return services.opened_on(services.latest_answer(kz(), question(slug)))


def page(slug="recruitment-stages"):
    return f"/en/profiles/kz/answer/{slug}/"


@pytest.mark.django_db
class TestStaleReads:
    """The interleavings of the races, made one after the other (both databases)."""

    def test_answers_to_different_questions_opened_together_are_both_kept(
        self, focal_point, editor
    ):
        first, second = opened("recruitment-stages"), opened("model-type")
        answer(focal_point.user, "recruitment-stages", opened=first)
        answer(editor.user, "model-type", opened=second)
        assert ProfileAnswer.objects.filter(country=kz()).count() == 2

    def test_an_answer_from_a_page_opened_before_another_answer_is_refused(
        self, focal_point, editor
    ):
        seen = opened()
        answer(editor.user, value="Written test", opened=seen)
        with pytest.raises(Conflict):
            answer(
                focal_point.user, value="Interview", as_of=datetime.date(2024, 2, 1), opened=seen
            )
        assert list(ProfileAnswer.objects.values_list("value_text", flat=True)) == ["Written test"]

    def test_a_revision_from_a_stale_page_is_refused(self, focal_point):
        pending = answer(focal_point.user, value="First", opened=None)
        seen = opened()
        answer(focal_point.user, value="Second", opened=seen)  # another tab, same person
        with pytest.raises(Conflict):
            answer(focal_point.user, value="Third", opened=seen)
        pending.refresh_from_db()
        assert (pending.value_text, pending.version) == ("Second", 2)

    def test_a_revision_read_before_the_review_does_not_undo_it(self, focal_point, editor):
        pending = answer(focal_point.user, value="First", opened=None)
        seen = opened()
        services.review_answer(editor.user, pending, True, version=1)
        with pytest.raises(Conflict):
            answer(focal_point.user, value="Revised", opened=seen)
        pending.refresh_from_db()
        assert (pending.status, pending.value_text) == (ReviewStatus.APPROVED, "First")

    def test_a_review_of_a_value_revised_since_it_was_read_is_refused(self, focal_point, editor):
        pending = answer(focal_point.user, value="First", opened=None)
        answer(focal_point.user, value="Revised", opened=opened())
        with pytest.raises(Conflict):
            services.review_answer(editor.user, pending, True, version=1)
        pending.refresh_from_db()
        assert (pending.status, pending.value_text) == (ReviewStatus.PENDING, "Revised")
        services.review_answer(editor.user, pending, True, version=2)
        pending.refresh_from_db()
        assert (pending.status, pending.version) == (ReviewStatus.APPROVED, 3)

    def test_a_second_review_is_refused(self, focal_point, editor):
        pending = answer(focal_point.user, opened=None)
        services.review_answer(editor.user, pending, True)
        with pytest.raises(ValidationError):
            services.review_answer(editor.user, pending, False, "No.")
        assert AuditEntry.objects.filter(action__startswith="profile_answer.a").count() == 1

    def test_the_page_carries_what_it_was_opened_on(self, focal_point):
        assert 'name="opened" value=""' in focal_point.get(page()).content.decode()
        pending = answer(focal_point.user, opened=None)
        html = focal_point.get(page()).content.decode()
        assert f'name="opened" value="{pending.pk}"' in html
        assert 'name="version" value="1"' in html

    def test_the_page_refuses_a_stale_answer_and_keeps_what_was_typed(self, focal_point, editor):
        data = {
            "value": "What I typed",
            "as_of": "2024-03-01",
            "source": "My source",
            "opened": "",
            "version": "",
        }
        answer(editor.user, value="Someone else's", opened=None)
        response = focal_point.post(page(), data)
        assert response.status_code == 409
        html = response.content.decode()
        assert "What I typed" in html and "changed this record" in html
        assert 'name="opened" value=""' in html  # still refused until reopened
        assert list(ProfileAnswer.objects.values_list("value_text", flat=True)) == [
            "Someone else's"
        ]
        data["opened"], data["version"] = str(ProfileAnswer.objects.get().pk), "1"
        assert focal_point.post(page(), data).status_code == 302
        assert ProfileAnswer.objects.count() == 2

    def test_the_review_page_refuses_a_value_revised_since_it_was_read(self, focal_point, editor):
        pending = answer(focal_point.user, value="First", opened=None)
        answer(focal_point.user, value="Revised", opened=opened())
        response = editor.post(
            "/en/profiles/review/",
            {"answer": pending.pk, "version": "1", "decision": "approve", "note": "Fine"},
        )
        assert response.status_code == 409
        html = response.content.decode()
        assert "changed this record" in html and "Fine" in html
        assert 'name="version" value="2"' in html  # the page shows the revision to review
        pending.refresh_from_db()
        assert pending.status == ReviewStatus.PENDING


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("parallel_connections")
class TestRaces:
    """The races themselves, each service call in its own thread and connection. SQLite's
    test database lives in one process's memory, so real parallel writers need PostgreSQL."""

    @pytest.fixture
    def people(self):
        return (
            make_user("kz-focal@test.example", "focal_point", "member", country="KZ"),
            make_user("profile-editor@test.example", "editor", "member"),
        )

    def test_a_revision_racing_a_review_never_undoes_it(self, people):
        focal, editor = people
        for attempt in range(8):
            day = AS_OF + datetime.timedelta(days=attempt)
            pending = answer(focal, value="First", as_of=day, opened=opened())
            seen = opened()
            revision, review = run_in_threads(
                lambda day=day, seen=seen: answer(focal, value="Revised", as_of=day, opened=seen),
                lambda p=pending: services.review_answer(editor, p, True, version=1),
            )
            pending.refresh_from_db()
            kinds = (revision[0], review[0])
            assert sorted(kinds) == ["error", "ok"], (attempt, revision, review)
            error = revision[1] if revision[0] == "error" else review[1]
            assert isinstance(error, Conflict), error
            if review[0] == "ok":
                assert (pending.status, pending.value_text) == (ReviewStatus.APPROVED, "First")
            else:
                assert (pending.status, pending.value_text) == (ReviewStatus.PENDING, "Revised")

    def test_two_reviews_at_once_one_is_taken(self, people):
        focal, editor = people
        other = make_user("profile-editor-2@test.example", "editor", "member")
        pending = answer(focal, opened=None)
        outcomes = run_in_threads(
            lambda: services.review_answer(editor, pending, True, version=1),
            lambda: services.review_answer(other, pending, False, "Wrong source.", version=1),
        )
        assert sorted(kind for kind, _result in outcomes) == ["error", "ok"], outcomes
        pending.refresh_from_db()
        approved = outcomes[0][0] == "ok"
        assert pending.status == (ReviewStatus.APPROVED if approved else ReviewStatus.REJECTED)
        assert pending.version == 2

    def test_reviews_of_answers_to_different_questions_of_one_profile_all_hold(self, people):
        focal, editor = people
        pending = [answer(focal, slug, opened=None) for slug in TEXT_QUESTIONS]
        outcomes = run_in_threads(
            *(lambda a=a: services.review_answer(editor, a, True, version=1).pk for a in pending)
        )
        assert [kind for kind, _result in outcomes] == ["ok"] * len(pending), outcomes
        assert ProfileAnswer.objects.filter(status=ReviewStatus.APPROVED).count() == len(pending)

    def test_answers_to_different_questions_of_one_profile_are_all_kept(self, people):
        focal, editor = people
        pages = {slug: opened(slug) for slug in TEXT_QUESTIONS}
        outcomes = run_in_threads(
            *(
                lambda slug=slug, n=n: answer((focal, editor)[n % 2], slug, opened=pages[slug]).pk
                for n, slug in enumerate(TEXT_QUESTIONS)
            )
        )
        assert [kind for kind, _result in outcomes] == ["ok"] * len(TEXT_QUESTIONS), outcomes
        answered = ProfileAnswer.objects.filter(country=kz()).values_list(
            "question__slug", flat=True
        )
        assert sorted(answered) == sorted(TEXT_QUESTIONS)

    def test_n_answers_from_one_page_one_is_kept_the_others_refused(self, people):
        focal, editor = people
        seen = opened()
        outcomes = run_in_threads(
            *(
                lambda n=n: answer(
                    (focal, editor)[n % 2],
                    value=f"Answer {n}",
                    as_of=AS_OF + datetime.timedelta(days=n % 2),
                    opened=seen,
                )
                for n in range(6)
            )
        )
        kinds = sorted(kind for kind, _result in outcomes)
        assert kinds == ["error"] * 5 + ["ok"], outcomes
        assert all(isinstance(r, Conflict) for kind, r in outcomes if kind == "error")
        assert ProfileAnswer.objects.count() == 1

    def test_n_answers_without_a_page_are_each_kept_or_revise_in_turn(self, people):
        focal, _editor = people
        outcomes = run_in_threads(
            *(
                lambda n=n: (
                    answer(focal, value=f"Answer {n}", as_of=AS_OF + datetime.timedelta(days=n)).pk
                )
                for n in range(6)
            )
        )
        assert [kind for kind, _result in outcomes] == ["ok"] * 6, outcomes
        assert ProfileAnswer.objects.filter(status=ReviewStatus.PENDING).count() == 6
