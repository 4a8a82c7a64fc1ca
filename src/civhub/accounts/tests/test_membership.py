"""A registered account becomes a member when its country's focal point or the secretariat
approves its request; only members see contact details."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from civhub.accounts import services
from civhub.accounts.models import MembershipRequest
from civhub.core.models import AuditEntry
from civhub.directory.models import Country, Membership, Person
from civhub.testing import make_user

pytestmark = pytest.mark.django_db
PROFILE = "/en/members/profile/"
REQUESTS = "/en/members/membership/requests/"


@pytest.fixture
def registered(db):
    """A registered user without roles, who reads e-mails in Russian."""
    user = make_user("registered@example.org")
    user.language = "ru"
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def in_hub(db):
    kazakhstan, georgia = Country.objects.get(code="KZ"), Country.objects.get(code="GE")
    for country in (kazakhstan, georgia):
        Membership.objects.get_or_create(country=country, defaults={"joined_on": "2013-03-01"})
    return kazakhstan, georgia


def ask(client, country="KZ", organization="Agency for Civil Service Affairs", **extra):
    pk = Country.objects.get(code=country).pk
    data = {"country": pk, "organization": organization, "position": "", "note": "", **extra}
    return client.post("/en/members/membership/request/", data)


def test_a_registered_user_sees_no_contact_details(registered, member):
    Person.objects.create(
        slug="expert", name="An Expert", on_roster=True, email="x@example.org", contact_consent=True
    )
    assert b"x@example.org" not in registered.get("/en/people/expert/").content
    assert b"x@example.org" in member.get("/en/people/expert/").content


def test_asking_tells_the_focal_point_in_their_language(
    registered, focal_point, in_hub, django_capture_on_commit_callbacks
):
    focal_point.user.language = "kk"
    focal_point.user.save(update_fields=["language"])
    page = registered.get(PROFILE).content.decode()
    assert 'action="/en/members/membership/request/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(registered).status_code == 302
    request = MembershipRequest.objects.get()
    assert request.state == "pending" and request.country.code == "KZ"
    (message,) = mail.outbox
    assert message.to == [focal_point.user.email]
    assert "мүше" in message.subject.lower()  # Kazakh: "member"
    assert "Agency for Civil Service Affairs" in message.body
    assert AuditEntry.objects.filter(action="membership.requested").exists()
    # The profile now says it waits, and offers no second request.
    page = registered.get(PROFILE).content.decode()
    assert 'action="/en/members/membership/request/"' not in page
    assert ask(registered).status_code == 400
    assert MembershipRequest.objects.count() == 1


def test_without_a_focal_point_the_secretariat_is_told(
    registered, editor, in_hub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(registered, country="GE")
    assert [m.to for m in mail.outbox] == [[editor.user.email]]


def test_bad_requests_name_the_field_and_save_nothing(registered, in_hub):
    response = ask(registered, organization="   ")
    assert response.status_code == 400
    assert "organization" in response.context["membership_form"].errors
    response = registered.post(
        "/en/members/membership/request/", {"country": "999999", "organization": "X"}
    )
    assert response.status_code == 400
    assert "country" in response.context["membership_form"].errors
    assert not MembershipRequest.objects.exists()


def test_members_do_not_ask_again(member, in_hub):
    with pytest.raises(ValidationError):
        services.request_membership(member.user, in_hub[0], "Agency")


def test_the_focal_point_approves_and_the_user_becomes_a_member(
    registered, focal_point, in_hub, django_capture_on_commit_callbacks
):
    request = services.request_membership(registered.user, in_hub[0], "Agency")
    mail.outbox.clear()
    page = focal_point.get(REQUESTS)
    assert page.status_code == 200 and b"registered@example.org" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = focal_point.post(
            f"/en/members/membership/requests/{request.pk}/decide/", {"decision": "approve"}
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == "approved" and request.decided_by == focal_point.user
    registered.user.forget_roles()
    assert registered.user.is_member
    (message,) = mail.outbox
    assert message.to == ["registered@example.org"]
    assert "участник" in message.subject.lower() or "член" in message.subject.lower()
    assert AuditEntry.objects.filter(action="membership.approved").exists()
    # Deciding twice is refused.
    with pytest.raises(ValidationError):
        services.decide_membership(focal_point.user, request, approve=False, reason="x")


def test_declining_needs_a_reason_and_tells_it(
    registered, editor, in_hub, django_capture_on_commit_callbacks
):
    request = services.request_membership(registered.user, in_hub[1], "Institute")
    mail.outbox.clear()
    with pytest.raises(ValidationError) as error:
        services.decide_membership(editor.user, request, approve=False, reason=" ")
    assert "reason" in error.value.message_dict
    request.refresh_from_db()
    assert request.state == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(
            f"/en/members/membership/requests/{request.pk}/decide/",
            {"decision": "decline", "reason": "We could not confirm the employer."},
        )
    request.refresh_from_db()
    assert request.state == "declined"
    assert "We could not confirm the employer." in mail.outbox[0].body
    registered.user.forget_roles()
    assert not registered.user.is_member
    # The user may ask again after a decline.
    assert ask(registered, country="GE").status_code == 302


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("the user", False),
        ("member", False),
        ("evaluator", False),
        ("steering", False),
        ("focal point of another country", False),
        ("focal_point", True),
        ("editor", True),
        ("admin", True),
    ],
)
def test_who_decides(request, registered, in_hub, who, allowed):
    membership_request = services.request_membership(registered.user, in_hub[0], "Agency")
    if who == "the user":
        actor = registered.user
    elif who == "focal point of another country":
        actor = make_user("fp.ge@test.example", "focal_point", "member", country="GE")
    else:
        actor = request.getfixturevalue(who).user
    assert membership_request.can_decide(actor) is allowed
    if allowed:
        services.decide_membership(actor, membership_request, approve=True)
        assert MembershipRequest.objects.get().state == "approved"
    else:
        with pytest.raises(PermissionDenied):
            services.decide_membership(actor, membership_request, approve=True)
        assert MembershipRequest.objects.get().state == "pending"


def test_the_requests_page_shows_each_decider_only_their_own(registered, focal_point, in_hub):
    services.request_membership(registered.user, in_hub[1], "Georgian agency")
    page = focal_point.get(REQUESTS).content.decode()
    assert "Georgian agency" not in page
    assert "No request is waiting for a decision." in page
    other = make_user("someone@example.org")
    client = Client()
    client.force_login(other)
    assert client.get(REQUESTS).status_code == 403


def test_a_focal_point_cannot_decide_another_countrys_request_by_post(
    registered, focal_point, in_hub
):
    membership_request = services.request_membership(registered.user, in_hub[1], "Agency")
    response = focal_point.post(
        f"/en/members/membership/requests/{membership_request.pk}/decide/",
        {"decision": "approve"},
    )
    assert response.status_code == 403
    assert MembershipRequest.objects.get().state == "pending"


def test_one_pending_request_per_user_in_the_database(registered, in_hub):
    from django.db import IntegrityError, transaction

    services.request_membership(registered.user, in_hub[0], "Agency")
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipRequest.objects.create(user=registered.user, country=in_hub[1], organization="B")
