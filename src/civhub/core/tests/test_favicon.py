import pytest

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    body = b"".join(response.streaming_content)
    # An ICO file starts with reserved 0, type 1 (icon), then the number of images.
    assert body[:4] == b"\x00\x00\x01\x00" and int.from_bytes(body[4:6], "little") >= 2


def test_favicon_refuses_a_post(client):
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_every_page_links_the_icons(client, language):
    html = client.get(f"/{language}/").content.decode()
    assert 'rel="icon" href="/favicon.ico"' in html
    assert 'href="/static/civhub/favicon.svg" type="image/svg+xml"' in html
