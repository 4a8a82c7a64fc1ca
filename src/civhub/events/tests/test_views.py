"""The events' pages: in three languages, by who asks, with clear errors."""

import json
import re

import pytest

from civhub.directory.models import Topic
from civhub.events.choices import EventState, RegistrationStatus
from civhub.events.models import Registration
from civhub.events.services import registrations as services
from civhub.events.tests.conftest import make_event, new_user

pytestmark = pytest.mark.django_db
R = RegistrationStatus
ALL = ["visitor", "member", "focal_point", "evaluator", "editor", "steering", "admin"]


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_list_month_and_detail_in_each_language(client, language):
    event = make_event(capacity=3, online_link="https://meet.example/secret")
    for url in [
        f"/{language}/events/",
        f"/{language}/events/month/",
        event.get_absolute_url().replace("/en/", f"/{language}/"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.count(b"<h1") == 1, url
    page = client.get(f"/{language}/events/{event.slug}/").content.decode()
    assert {"en": "Test workshop", "ru": "Тестовый семинар", "kk": "Сынақ семинары"}[
        language
    ] in page
    assert "meet.example" not in page


def test_empty_list_says_so(client):
    assert b'class="empty"' in client.get("/en/events/").content


def test_json_ld_is_a_schema_org_event(client):
    event = make_event()
    page = client.get(f"/en/events/{event.slug}/").content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert data["@type"] == "Event" and data["name"] == "Test workshop"
    assert data["startDate"].endswith("+05:00")


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_who_sees_a_draft(persona):
    draft = make_event("draft", state=EventState.DRAFT)
    expected = 200 if persona.role in ("editor", "admin") else 404
    assert persona.get(f"/en/events/{draft.slug}/").status_code == expected


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_who_may_see_the_registrations(persona):
    event = make_event()
    response = persona.get(f"/en/events/{event.slug}/registrations/")
    if persona.role == "visitor":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if persona.role in ("editor", "admin") else 403)


def test_filters_and_unknown_value(client):
    topic = Topic.objects.first()
    tagged = make_event("tagged")
    tagged.topics.add(topic)
    make_event("webinar", kind="webinar")
    page = client.get(f"/en/events/?topic={topic.slug}").content.decode()
    assert "/events/tagged/" in page and "/events/webinar/" not in page
    page = client.get("/en/events/?kind=webinar&when=upcoming").content.decode()
    assert "/events/webinar/" in page and "/events/tagged/" not in page
    response = client.get("/en/events/?kind=party")
    assert response.status_code == 200 and b'class="error' in response.content


def test_register_withdraw_and_the_freed_place(member):
    event = make_event(capacity=1)
    other = new_user()
    services.register(other, event)
    response = member.post(
        f"/en/events/{event.slug}/register/", {"country": "KZ", "consent_public": "on"}
    )
    assert response.status_code == 302
    mine = Registration.objects.get(event=event, user=member.user)
    assert (mine.status, mine.waiting_position, mine.country.code) == (R.WAITING, 1, "KZ")
    assert "number 1" in member.get(event.get_absolute_url()).content.decode()
    services.withdraw(other, Registration.objects.get(event=event, user=other))
    assert member.post(f"/en/events/{event.slug}/accept/").status_code == 302
    mine.refresh_from_db()
    assert mine.status == R.CONFIRMED
    assert member.post(f"/en/events/{event.slug}/withdraw/").status_code == 302
    mine.refresh_from_db()
    assert mine.status == R.WITHDRAWN


def test_registering_twice_is_a_400_with_the_message(member):
    event = make_event()
    member.post(f"/en/events/{event.slug}/register/", {})
    response = member.post(f"/en/events/{event.slug}/register/", {})
    assert response.status_code == 400
    assert b"already registered" in response.content
    assert Registration.objects.count() == 1


def test_unknown_country_names_the_field(member):
    event = make_event()
    response = member.post(f"/en/events/{event.slug}/register/", {"country": "XX"})
    assert response.status_code == 400
    assert b"id_country_error" in response.content
    assert not Registration.objects.exists()


def test_online_link_only_for_the_confirmed(member):
    event = make_event(online_link="https://meet.example/secret")
    assert b"meet.example" not in member.get(event.get_absolute_url()).content
    services.register(member.user, event)
    assert b"meet.example" in member.get(event.get_absolute_url()).content


def test_visitor_is_sent_to_log_in(visitor):
    event = make_event()
    response = visitor.post(f"/en/events/{event.slug}/register/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_organizer_pages_manage_the_waiting_list(editor):
    event = make_event(capacity=1)
    users = [new_user() for _ in range(3)]
    regs = [services.register(u, event) for u in users]
    page = editor.get(f"/en/events/{event.slug}/registrations/")
    assert page.status_code == 200 and page.content.count(b"<h1") == 1
    response = editor.post(
        f"/en/events/{event.slug}/registrations/{regs[2].pk}/move/", {"position": "1"}
    )
    assert response.status_code == 302
    assert Registration.objects.get(pk=regs[2].pk).waiting_position == 1
    response = editor.post(
        f"/en/events/{event.slug}/registrations/{regs[2].pk}/move/", {"position": "9"}
    )
    assert response.status_code == 400
    response = editor.post(f"/en/events/{event.slug}/registrations/{regs[1].pk}/promote/")
    assert response.status_code == 302
    assert Registration.objects.get(pk=regs[1].pk).status == R.CONFIRMED


def test_organizer_changes_the_state_from_the_page(editor, member):
    event = make_event()
    url = f"/en/events/{event.slug}/state/close_registration/"
    assert member.post(url).status_code == 403
    assert editor.post(url).status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.REGISTRATION_CLOSED


def test_my_registrations(member):
    event = make_event()
    services.register(member.user, event)
    page = member.get("/en/events/my/")
    assert page.status_code == 200 and b"Test workshop" in page.content


def test_list_query_count_is_bounded(client, django_assert_max_num_queries):
    topic = Topic.objects.first()
    for n in range(15):
        make_event(f"event-{n}").topics.add(topic)
    with django_assert_max_num_queries(12):
        assert client.get("/en/events/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/en/events/?when=upcoming").status_code == 200


def test_organizer_page_gives_each_rows_fields_their_own_ids(editor):
    event = make_event(capacity=1)
    for _ in range(3):
        services.register(new_user(), event)
    page = editor.get(f"/en/events/{event.slug}/registrations/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_month_view_links_only_towards_more_events(client):
    import datetime

    from civhub.events.tests.conftest import NOW

    assert b'rel="prev"' not in client.get("/en/events/month/").content
    make_event("later", starts_at=NOW + datetime.timedelta(days=70))
    page = client.get("/en/events/month/").content
    assert b'rel="next"' in page and b'rel="prev"' not in page
    later = NOW + datetime.timedelta(days=70)
    page = client.get(f"/en/events/month/{later.year}/{later.month}/").content.decode()
    assert "/events/later/" in page and 'rel="next"' not in page and 'rel="prev"' not in page
