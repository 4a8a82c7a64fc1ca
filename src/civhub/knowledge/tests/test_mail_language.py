"""The knowledge records' e-mails name the hub and are in the recipient's language, whatever
the language of whoever made the change."""

import pytest
from django.core import mail

from civhub.directory.models import Person
from civhub.knowledge.choices import PracticeState
from civhub.knowledge.services import practices as services
from civhub.knowledge.tests.test_practice_workflow import complete_practice
from civhub.testing import make_user

pytestmark = pytest.mark.django_db


def test_practice_mail_is_in_the_authors_language_and_names_the_hub(
    editor, kazakhstan, django_capture_on_commit_callbacks
):
    author = make_user("ru.author@example.org", "member")
    Person.objects.create(name="Автор", user=author, languages=["ru", "en"])
    practice = complete_practice(author, kazakhstan, PracticeState.SUBMITTED)
    # The editor works in English; the author reads Russian.
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(editor.user, practice, "publish")
    (message,) = mail.outbox
    assert message.subject.startswith("[Региональный хаб в сфере государственной службы] ")
    assert "Ваша практика" in message.subject and "Опубликовано" in message.subject
    assert message.body.rstrip().endswith("Региональный хаб в сфере государственной службы")


def test_practice_mail_without_a_language_is_in_english(
    editor, kazakhstan, django_capture_on_commit_callbacks
):
    author = make_user("plain.author@example.org", "member")
    practice = complete_practice(author, kazakhstan, PracticeState.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(editor.user, practice, "publish")
    (message,) = mail.outbox
    assert message.subject.startswith("[Regional Hub of Civil Service] Your practice")


def test_profile_review_mail_is_in_the_focal_points_language(
    editor, focal_point, kazakhstan, django_capture_on_commit_callbacks
):
    import datetime

    from civhub.directory.models import Membership
    from civhub.knowledge.models import ProfileQuestion
    from civhub.knowledge.services import profiles

    Membership.objects.create(country=kazakhstan, joined_on=datetime.date(2013, 3, 1))
    Person.objects.create(name="Фокус", user=focal_point.user, languages=["kk"])
    answer = profiles.submit_answer(
        focal_point.user,
        kazakhstan,
        ProfileQuestion.objects.get(slug="model-ranks"),
        value=True,
        as_of=datetime.date(2024, 1, 1),
        source="Law",
    )
    with django_capture_on_commit_callbacks(execute=True):
        profiles.review_answer(editor.user, answer, True)
    (message,) = mail.outbox
    assert message.subject.startswith("[Мемлекеттік қызмет саласындағы өңірлік хаб] ")
    assert "Kazakhstan" not in message.subject
