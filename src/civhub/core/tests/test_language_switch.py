"""The language switcher lands on the same page in the chosen language, whatever language
the page was in and whatever the browser (Accept-Language) or the cookie says."""

import itertools

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

CODES = ["en", "ru", "kk"]
PAGE_PAIRS = [(a, b) for a, b in itertools.product(CODES, CODES) if a != b]


@pytest.mark.parametrize(("page_language", "chosen"), PAGE_PAIRS)
@pytest.mark.parametrize("browser_language", CODES)
@pytest.mark.parametrize("by", ["accept-language", "cookie"])
def test_every_pair_lands_on_the_same_page_in_the_chosen_language(
    client, page_language, chosen, browser_language, by
):
    headers = {}
    if by == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = browser_language
    else:
        headers["HTTP_ACCEPT_LANGUAGE"] = browser_language
    response = client.post(
        "/i18n/setlang/",
        {"language": chosen, "next": f"/{page_language}/practices/?topic=x&page=2"},
        **headers,
    )
    assert response.status_code == 302
    assert response["Location"] == f"/{chosen}/practices/?topic=x&page=2"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == chosen


def test_the_referer_serves_when_next_is_missing(client):
    response = client.post(
        "/i18n/setlang/",
        {"language": "kk"},
        HTTP_ACCEPT_LANGUAGE="en",
        HTTP_REFERER="http://testserver/ru/laws/",
    )
    assert response.status_code == 302
    assert response["Location"] == "http://testserver/kk/laws/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/ru/practices/", "//evil.example/ru/", "/ru/no-such-page/"]
)
def test_a_foreign_or_unknown_next_never_leaves_the_site_nor_fails(client, next_url):
    response = client.post("/i18n/setlang/", {"language": "kk", "next": next_url})
    assert response.status_code == 302
    assert not response["Location"].startswith(("http", "//"))


def test_an_unknown_language_changes_nothing(client):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/ru/practices/"})
    assert response.status_code == 302 and response["Location"] == "/ru/practices/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.parametrize("page_language", CODES)
def test_the_switcher_names_each_language_in_that_language(client, page_language):
    html = client.get(f"/{page_language}/about/").content.decode()
    for code, name in [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")]:
        assert f'<option value="{code}" lang="{code}"' in html
        assert f">{name}</option>" in html
