"""The editors' page of what readers search for (the query log, which names nobody)."""

import datetime
import re

import pytest
from django.utils import timezone

from civhub.search.models import LoggedQuery

pytestmark = pytest.mark.django_db
PAGE = "/en/search/queries/"


def log(text: str, results: int, days_ago: int = 0, times: int = 1) -> None:
    for _ in range(times):
        logged = LoggedQuery.objects.create(
            text=text,
            normalized=text.lower(),
            interface_language="en",
            results=results,
        )
        if days_ago:  # searched_on is set on creation
            day = timezone.localdate() - datetime.timedelta(days=days_ago)
            LoggedQuery.objects.filter(pk=logged.pk).update(searched_on=day)


def rows(html: str, heading_id: str) -> list[list[str]]:
    section = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    assert section is not None, heading_id
    body = re.search(r"<tbody>(.*?)</tbody>", section.group(1), re.S)
    if body is None:
        return []
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    ]


@pytest.fixture
def logged():
    log("Performance appraisal", results=4, times=3)
    log("Performance appraisal", results=2, days_ago=2)
    log("remote work", results=2, times=2)
    log("zebra crossings", results=0, times=2, days_ago=1)
    log("quantum budgeting", results=0)
    log("old question", results=0, days_ago=40)


@pytest.mark.parametrize(
    "persona", ["member", "focal_point", "evaluator", "steering"], indirect=True
)
def test_only_editors_see_the_page(persona, logged):
    assert persona.get(PAGE).status_code == 403


def test_a_visitor_is_sent_to_log_in(visitor):
    response = visitor.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=/en/search/queries/")


def test_the_top_and_the_unanswered_queries_of_the_last_30_days(editor, logged):
    response = editor.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    today = timezone.localdate()
    day = lambda days_ago: f"{(today - datetime.timedelta(days=days_ago)).day} "  # noqa: E731
    top = rows(html, "top-heading")
    assert [row[:2] for row in top] == [
        ["performance appraisal", "4"],
        ["remote work", "2"],
        ["zebra crossings", "2"],
        ["quantum budgeting", "1"],
    ]
    assert top[0][2].startswith(day(0)) and top[0][3] == "3.5"  # (4 + 4 + 4 + 2) / 4
    assert top[2][2].startswith(day(1)) and top[2][3] == "0.0"
    unanswered = rows(html, "unanswered-heading")
    assert [row[:2] for row in unanswered] == [["zebra crossings", "2"], ["quantum budgeting", "1"]]
    assert "old question" not in html
    assert "9 searches on the search page since" in html
    assert "Who searched is not recorded" in html
    assert '<a href="/en/search/?q=zebra%20crossings">zebra crossings</a>' in html


def test_the_period_can_be_chosen(editor, logged):
    quarter = editor.get(PAGE, {"days": 90}).content.decode()
    assert ["old question", "1"] in [row[:2] for row in rows(quarter, "unanswered-heading")]
    assert '<a href="?days=90" aria-current="page">' in quarter
    # Anything but the offered periods is the default.
    assert (
        '<a href="?days=30" aria-current="page">'
        in editor.get(PAGE, {"days": "x"}).content.decode()
    )
    assert (
        '<a href="?days=30" aria-current="page">' in editor.get(PAGE, {"days": 3}).content.decode()
    )


def test_an_empty_log_says_so(editor):
    html = editor.get(PAGE).content.decode()
    assert "Nobody has searched in this period." in html
    assert "Every search of this period found something." in html


def test_searches_on_the_page_show_up_for_editors(visitor, editor):
    visitor.get("/en/search/", {"q": "Civil-service academies"})
    top = rows(editor.get(PAGE).content.decode(), "top-heading")
    assert [row[:2] for row in top] == [["civil service academies", "1"]]
    assert rows(editor.get(PAGE).content.decode(), "unanswered-heading")[0][0] == (
        "civil service academies"
    )


def test_the_page_is_linked_from_the_editors_menu_only(editor, member):
    link = '<a href="/en/search/queries/">What people search for</a>'
    assert link in editor.get("/en/").content.decode()
    assert link not in member.get("/en/").content.decode()
