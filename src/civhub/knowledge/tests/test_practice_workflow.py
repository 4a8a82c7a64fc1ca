"""Who may move a practice from which state to which: every transition, state and role."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from civhub.core.models import AuditEntry
from civhub.directory.models import Topic
from civhub.knowledge.choices import PRACTICE_TRANSITIONS, PracticeState
from civhub.knowledge.models import Endorsement, Practice
from civhub.knowledge.services import practices as services
from civhub.testing import make_user

pytestmark = pytest.mark.django_db
PERSONAS = ["author", "member", "focal_point", "evaluator", "editor", "steering", "admin"]


@pytest.fixture
def author(db):
    return make_user("author@test.example", "member")


@pytest.fixture
def users(author, role_users):
    return {"author": author, **role_users}


def complete_practice(author, kazakhstan, state=PracticeState.DRAFT) -> Practice:
    practice = Practice.objects.create(
        title="E-recruitment portal",
        summary="One portal for all vacancies.",
        challenge="Opaque hiring.",
        solution="Competitive online tests.",
        created_by=author,
        state=state,
    )
    practice.countries.add(kazakhstan)
    practice.topics.add(Topic.objects.get(slug="recruitment-selection"))
    return practice


def expected_allowed(transition, state, persona) -> bool:
    if state not in transition.sources:
        return False
    if transition.actor == "editor":
        return persona in {"editor", "admin"}
    return persona in {"author", "editor", "admin"}


@pytest.mark.parametrize("name", list(PRACTICE_TRANSITIONS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_transition_in_every_state_by_every_role(name, persona, users, author, kazakhstan):
    transition = PRACTICE_TRANSITIONS[name]
    for state in PracticeState.values:
        practice = complete_practice(author, kazakhstan, state)
        actor = users[persona]
        allowed = expected_allowed(transition, state, persona)
        assert practice.can_transition(actor, name) is allowed, (name, state, persona)
        audits_before = AuditEntry.objects.count()
        if allowed:
            moved = services.transition(actor, practice, name, message="Please add results.")
            assert moved.state == transition.target
            assert AuditEntry.objects.count() == audits_before + 1
        else:
            with pytest.raises(PermissionDenied):
                services.transition(actor, practice, name, message="x")
            practice.refresh_from_db()
            assert practice.state == state  # nothing changed
            assert AuditEntry.objects.count() == audits_before
        practice.delete()


def test_visitors_move_nothing(author, kazakhstan):
    from django.contrib.auth.models import AnonymousUser

    practice = complete_practice(author, kazakhstan, PracticeState.SUBMITTED)
    for name in PRACTICE_TRANSITIONS:
        assert not practice.can_transition(AnonymousUser(), name)


def test_an_incomplete_draft_cannot_be_submitted(author):
    practice = Practice.objects.create(title="Half-written", created_by=author)
    with pytest.raises(ValidationError) as error:
        services.transition(author, practice, "submit")
    message = error.value.message_dict["state"][0]
    assert "summary" in message and "challenge" in message and "topics" in message
    practice.refresh_from_db()
    assert practice.state == PracticeState.DRAFT


def test_asking_for_changes_needs_a_message_the_author_then_sees(author, editor, kazakhstan):
    practice = complete_practice(author, kazakhstan, PracticeState.SUBMITTED)
    with pytest.raises(ValidationError):
        services.transition(editor.user, practice, "request_changes", message="  ")
    practice.refresh_from_db()
    assert practice.state == PracticeState.SUBMITTED
    services.transition(
        editor.user, practice, "request_changes", message="Add the results, please."
    )
    practice.refresh_from_db()
    assert practice.state == PracticeState.DRAFT
    assert practice.changes_requested == "Add the results, please."


def test_the_author_is_told_by_email_after_the_commit(
    author, editor, kazakhstan, django_capture_on_commit_callbacks
):
    practice = complete_practice(author, kazakhstan, PracticeState.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(editor.user, practice, "publish")
    assert [m.to for m in mail.outbox] == [[author.email]]
    practice.refresh_from_db()
    assert practice.published_at is not None


def test_an_unknown_action_is_refused(author, editor, kazakhstan):
    practice = complete_practice(author, kazakhstan, PracticeState.SUBMITTED)
    with pytest.raises(ValidationError):
        services.transition(editor.user, practice, "delete_everything")


class TestEndorsement:
    def test_the_focal_point_of_a_country_involved_endorses_once(
        self, author, focal_point, kazakhstan
    ):
        practice = complete_practice(author, kazakhstan, PracticeState.SUBMITTED)
        services.endorse(focal_point.user, practice, kazakhstan, "We run this.")
        assert Endorsement.objects.get().endorsed_by == focal_point.user
        with pytest.raises(ValidationError):
            services.endorse(focal_point.user, practice, kazakhstan)
        assert Endorsement.objects.count() == 1

    def test_not_while_a_draft(self, author, focal_point, kazakhstan):
        practice = complete_practice(author, kazakhstan, PracticeState.DRAFT)
        with pytest.raises(PermissionDenied):
            services.endorse(focal_point.user, practice, kazakhstan)

    def test_not_for_a_country_not_involved(self, author, focal_point, kazakhstan, georgia):
        practice = complete_practice(author, kazakhstan, PracticeState.SUBMITTED)
        practice.countries.set([georgia])
        with pytest.raises(PermissionDenied):
            services.endorse(focal_point.user, practice, kazakhstan)
        assert not Endorsement.objects.exists()

    @pytest.mark.parametrize("persona", ["member", "evaluator", "editor", "steering"])
    def test_other_roles_do_not_endorse(self, persona, users, author, kazakhstan):
        practice = complete_practice(author, kazakhstan, PracticeState.SUBMITTED)
        with pytest.raises(PermissionDenied):
            services.endorse(users[persona], practice, kazakhstan)


class TestVisibility:
    @pytest.mark.parametrize("state", PracticeState.values)
    def test_who_sees_what(self, state, users, author, kazakhstan):
        practice = complete_practice(author, kazakhstan, state)
        for persona, user in users.items():
            sees = (
                state == PracticeState.PUBLISHED
                or persona in {"author", "editor", "admin"}
                or (persona == "focal_point" and state != PracticeState.DRAFT)
            )
            assert practice.can_view(user) is sees, (state, persona)
        from django.contrib.auth.models import AnonymousUser

        assert practice.can_view(AnonymousUser()) is (state == PracticeState.PUBLISHED)
