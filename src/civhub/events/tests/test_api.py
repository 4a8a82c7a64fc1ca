"""Events and sessions in the API: the page's filters and the page's visibility."""

import datetime

import pytest

from civhub.events.choices import EventState
from civhub.events.models import Session
from civhub.events.tests.conftest import make_event
from civhub.testing import bearer

pytestmark = pytest.mark.django_db


def slugs(response):
    assert response.status_code == 200, response.content
    return sorted(item["slug"] for item in response.json()["items"])


def test_list_filters_like_the_page_and_hides_drafts(client, editor):
    make_event("workshop")
    make_event("webinar", kind="webinar")
    make_event("draft", state=EventState.DRAFT)
    assert slugs(client.get("/api/v1/events")) == ["webinar", "workshop"]
    assert slugs(client.get("/api/v1/events?kind=webinar")) == ["webinar"]
    assert "draft" in slugs(client.get("/api/v1/events", **bearer(editor.user)))
    assert client.get("/api/v1/events/draft").status_code == 404


def test_unknown_filter_value_is_a_400_naming_it(client):
    response = client.get("/api/v1/events?kind=party")
    assert response.status_code == 400
    assert "kind" in response.content.decode()


def test_event_and_its_sessions_in_the_events_zone(client):
    event = make_event(online_link="https://meet.example/secret")
    Session.objects.create(
        event=event,
        title_en="Opening",
        starts_at=event.starts_at,
        ends_at=event.starts_at + datetime.timedelta(hours=1),
    )
    data = client.get(f"/api/v1/events/{event.slug}").json()
    assert data["uid"] == str(event.uid) and data["starts_at"].endswith("+05:00")
    assert "meet.example" not in str(data)
    sessions = client.get(f"/api/v1/events/{event.slug}/sessions?lang=ru").json()
    assert [s["title"] for s in sessions] == ["Opening"]


def test_csv_twin_of_the_list(client):
    make_event("workshop")
    response = client.get("/api/v1/events.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "workshop" in response.content.decode()


def test_api_and_page_give_the_same_events(client):
    make_event("workshop")
    make_event("webinar", kind="webinar")
    page = client.get("/en/events/?kind=webinar").content.decode()
    api = slugs(client.get("/api/v1/events?kind=webinar"))
    assert api == ["webinar"] and "/events/webinar/" in page and "/events/workshop/" not in page


def test_list_query_count_is_bounded(client, django_assert_max_num_queries):
    for n in range(10):
        make_event(f"event-{n}", capacity=5)
    with django_assert_max_num_queries(25):
        assert client.get("/api/v1/events").status_code == 200
