"""The search page: the form, facets as links, results, states, errors and who finds what.

Most tests search by words alone (mode=lexical), so the counts are exact whatever the semantic
half would add; the records get no vectors unless a test makes them.
"""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civhub.search import indexing
from civhub.search.models import LoggedQuery
from civhub.search.tests.factories import practice
from civhub.search.tests.samples import NASTY_QUERIES, appraisal_records

pytestmark = pytest.mark.django_db
PAGE = "/en/search/"


@pytest.fixture
def records():
    return appraisal_records()


def search(client, **params):
    return client.get(PAGE, {"mode": "lexical", **params})


def titles(response) -> list[str]:
    results = response.context["results"]
    return [r.title for r in results.results] if results else []


def facet(response, name: str) -> dict[str, int]:
    for group in response.context["facet_groups"]:
        if group.name == name:
            return {link.label: link.count for link in group.links}
    return {}


def facet_link(response, name: str, label: str):
    group = next(g for g in response.context["facet_groups"] if g.name == name)
    return next(link for link in group.links if link.label == label)


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(html.unescape(url)).query)


def alert(response) -> str:
    match = re.search(r'role="alert"><p>(.*?)</p>', response.content.decode(), re.S)
    return match.group(1) if match else ""


# -- the empty page and the header ----------------------------------------------------------


def test_an_empty_query_says_what_can_be_searched_with_examples(visitor):
    response = visitor.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "What you can search" in html
    for label in ("Good practices", "Laws", "Country profiles", "Organizations", "Experts"):
        assert f"<li>{label}</li>" in html
    assert '<a href="?q=merit-based%20recruitment">merit-based recruitment</a>' in html
    assert 'role="alert"' not in html
    assert not LoggedQuery.objects.exists()


def test_every_page_has_a_labelled_search_box_in_its_header(visitor):
    html = visitor.get("/ru/about/").content.decode()
    form = re.search(r'<form class="site-search"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None
    assert 'action="/ru/search/" method="get" role="search"' in form.group(0)
    assert '<label class="visually-hidden" for="site-search-q">' in form.group(1)
    assert 'id="site-search-q" name="q"' in form.group(1)


# -- facets -----------------------------------------------------------------------------


def test_facets_count_the_records_found(visitor, records):
    response = search(visitor, q="appraisal")
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(
        r.title for r in (records["kz_ratings"], records["kz_interviews"], records["ge_commission"])
    )
    assert facet(response, "country") == {"Kazakhstan": 2, "Georgia": 1}
    assert facet(response, "region") == {"Central Asia": 2, "South Caucasus": 1}
    assert facet(response, "type") == {"good practices": 3}
    assert facet(response, "year") == {"2020": 1, "2019": 2}
    assert facet(response, "language") == {"English": 3}
    assert facet(response, "topic") == {"Performance appraisal": 1}
    html = response.content.decode()
    assert '<h3 id="facet-country">Country</h3>' in html
    assert re.search(r'<span class="facet-label">Kazakhstan</span> <span class="facet-count"', html)


def test_a_facet_link_adds_its_filter_and_keeps_the_rest(visitor, records):
    first = search(visitor, q="appraisal", page="1")
    link = facet_link(first, "country", "Georgia")
    assert not link.selected
    query = parse_qs(urlsplit(link.url).query)
    assert query == {"q": ["appraisal"], "mode": ["lexical"], "country": ["GE"]}

    narrowed = visitor.get(PAGE + link.url)
    assert titles(narrowed) == ["Appraisal appeals commission"]
    assert facet(narrowed, "country") == {"Georgia": 1}
    selected = facet_link(narrowed, "country", "Georgia")
    assert selected.selected
    # Followed again, the link takes the filter off.
    assert parse_qs(urlsplit(selected.url).query) == {"q": ["appraisal"], "mode": ["lexical"]}
    html = narrowed.content.decode()
    assert 'class="facet-selected" aria-current="true"' in html
    # A new query typed into the form keeps the filter.
    assert '<input type="hidden" name="country" value="GE">' in html


def test_the_year_facet_narrows_to_one_year(visitor, records):
    link = facet_link(search(visitor, q="appraisal"), "year", "2020")
    assert parse_qs(urlsplit(link.url).query)["year_from"] == ["2020"]
    narrowed = visitor.get(PAGE + link.url)
    assert titles(narrowed) == ["Appraisal interviews for managers"]
    assert facet_link(narrowed, "year", "2020").selected


def test_repeated_parameters_mean_any_of(visitor, records):
    both = visitor.get(PAGE + "?q=appraisal&mode=lexical&country=KZ&country=GE")
    assert len(titles(both)) == 3
    only_kz = visitor.get(PAGE + "?q=appraisal&mode=lexical&country=kz")
    assert sorted(titles(only_kz)) == [
        "Appraisal interviews for managers",
        "Performance appraisal of civil servants",
    ]


def test_other_filters_narrow_the_results(visitor, records):
    assert titles(search(visitor, q="appraisal", topic="performance-appraisal")) == [
        "Performance appraisal of civil servants"
    ]
    assert len(titles(search(visitor, q="appraisal", year_from="2019", year_to="2019"))) == 2
    assert len(titles(search(visitor, q="appraisal", region="central-asia"))) == 2
    assert titles(search(visitor, q="appraisal", lang="ru")) == []


def test_the_filters_in_use_can_be_removed_one_by_one_or_all(visitor, records):
    response = visitor.get(PAGE + "?q=appraisal&mode=lexical&country=KZ&year_from=2019&page=2")
    html = response.content.decode()
    active = {f.label: f.remove_url for f in response.context["active_filters"]}
    assert set(active) == {"Kazakhstan", "From 2019"}
    assert parse_qs(urlsplit(active["Kazakhstan"]).query) == {
        "q": ["appraisal"],
        "mode": ["lexical"],
        "year_from": ["2019"],
    }
    clear = response.context["clear_url"]
    assert parse_qs(urlsplit(clear).query) == {"q": ["appraisal"], "mode": ["lexical"]}
    assert '<a href="?q=appraisal&amp;mode=lexical">Clear filters</a>' in html


# -- results ------------------------------------------------------------------------------


def test_a_result_shows_its_type_title_link_snippet_and_year(visitor, records):
    html = search(visitor, q="indicators").content.decode()
    slug = records["kz_ratings"].slug
    assert (
        f'<h3 lang="en"><a href="/en/practices/{slug}/">Performance appraisal of civil servants'
        in html
    )
    assert '<span class="result-type">Good practice</span> · 2019' in html
    assert '<p class="snippet" lang="en">Annual appraisal against key <mark>indicators</mark>' in (
        html
    )
    assert "1 result for “indicators”" in html
    assert "lang-note" not in html  # in the reader's language


def test_a_result_in_another_language_says_so(visitor, records):
    html = visitor.get("/ru/search/", {"q": "indicators", "mode": "lexical"}).content.decode()
    slug = records["kz_ratings"].slug
    assert f'<h3 lang="en"><a href="/ru/practices/{slug}/">' in html
    assert '<p class="snippet" lang="en">' in html
    assert re.search(r'<span class="lang-note">[^<]+</span>', html)


def test_the_snippet_escapes_what_the_record_says(visitor):
    practice("Appraisal <script>alert(1)</script>", "Scores <b>bold</b> appraisal & more.")
    html = search(visitor, q="appraisal").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_results_come_twenty_to_a_page(visitor):
    for n in range(23):
        practice(f"Appraisal scheme {n:02d}", "Appraisal of staff.")
    first = search(visitor, q="appraisal")
    assert len(titles(first)) == 20
    assert first.context["page_obj"].paginator.num_pages == 2
    next_link = re.search(r'<a href="([^"]+)" rel="next">', first.content.decode())
    assert query_of(next_link.group(1)) == {"q": ["appraisal"], "mode": ["lexical"], "page": ["2"]}
    second = search(visitor, q="appraisal", page="2")
    assert len(titles(second)) == 3
    assert set(titles(first)).isdisjoint(titles(second))
    # Past the end: the last page, not an empty one.
    assert titles(search(visitor, q="appraisal", page="9")) == titles(second)
    assert titles(search(visitor, q="appraisal", page="9" * 25)) == titles(second)


def test_nothing_found_suggests_what_to_do(visitor, records):
    html = search(visitor, q="zebra").content.decode()
    assert "Nothing found for “zebra”" in html
    assert "Try other or fewer words" in html
    assert "search without any filter" not in html
    filtered = search(visitor, q="appraisal", country="AZ").content.decode()
    assert "Nothing found for “appraisal”" in filtered
    clear = re.search(r'<a href="([^"]+)">search without any filter</a>', filtered)
    assert query_of(clear.group(1)) == {"q": ["appraisal"], "mode": ["lexical"]}


# -- who finds what ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["visitor", "member", "focal_point"], indirect=True)
def test_a_draft_is_never_found_by_those_who_may_not_review_it(persona, records):
    response = search(persona, q="appraisal")
    assert "Appraisal by algorithm" not in titles(response)
    assert facet(response, "country") == {"Kazakhstan": 2, "Georgia": 1}


def test_an_editor_finds_drafts(editor, records):
    response = search(editor, q="appraisal")
    assert "Appraisal by algorithm" in titles(response)
    assert facet(response, "country") == {"Kazakhstan": 3, "Georgia": 1}


# -- queries the page cannot search, and filters naming nothing ------------------------------


@pytest.mark.parametrize("mode", ["hybrid", "lexical"])
@pytest.mark.parametrize("q", NASTY_QUERIES.values(), ids=NASTY_QUERIES.keys())
def test_no_query_breaks_the_page(visitor, records, q, mode):
    response = visitor.get(PAGE, {"q": q, "mode": mode})
    assert response.status_code == 200
    page = response.content.decode()
    said = ("What you can search", "Nothing found for")
    assert titles(response) or alert(response) or any(text in page for text in said)


@pytest.mark.parametrize("q", NASTY_QUERIES.values(), ids=NASTY_QUERIES.keys())
def test_no_query_breaks_the_semantic_half(visitor, records, q):
    indexing.embed_documents()
    response = visitor.get(PAGE, {"q": q, "mode": "semantic"})
    assert response.status_code == 200
    assert "Appraisal by algorithm" not in titles(response)


def test_a_query_too_long_or_without_words_gets_a_clear_message(visitor, records):
    assert alert(visitor.get(PAGE, {"q": "appraisal " * 1000})) == (
        "The query is too long: at most 500 characters."
    )
    assert alert(visitor.get(PAGE, {"q": "?!.,;"})) == "Type at least one word to search for."
    assert not LoggedQuery.objects.exists()


def test_sql_and_search_syntax_are_searched_as_words(visitor, records):
    assert search(visitor, q="'; DROP TABLE practices; --").status_code == 200
    # No record has every word: the records with some of them come instead.
    assert len(titles(search(visitor, q='appraisal OR title:* AND "'))) == 3
    assert titles(search(visitor, q="NEAR(appeals commission)")) == ["Appraisal appeals commission"]
    assert titles(search(visitor, q='"appeals commission')) == ["Appraisal appeals commission"]


@pytest.mark.parametrize(
    "params, named",
    [
        ({"country": "XX"}, "Unknown country: XX."),
        ({"country": ["KZ", "QQ"]}, "Unknown country: QQ."),
        ({"type": "poem"}, "Unknown type: poem."),
        ({"topic": "astrology"}, "Unknown topic: astrology."),
        ({"region": "atlantis"}, "Unknown region: atlantis."),
        ({"sdg": "99.9"}, "Unknown SDG target: 99.9."),
        ({"lang": "fr"}, "Unknown language: fr."),
        ({"year_from": "soon"}, "year_from: Enter a whole number."),
        ({"mode": "magic"}, "mode: Select a valid choice."),
        ({"year_from": "99999999999999999999"}, "year_from: Ensure this value is less"),
    ],
)
def test_a_filter_naming_nothing_is_a_400_that_names_it(visitor, records, params, named):
    response = visitor.get(PAGE, {"q": "appraisal", **params})
    assert response.status_code == 400
    assert alert(response).startswith(named)
    assert titles(response) == []


# -- the query log ----------------------------------------------------------------------------


def test_a_search_is_logged_once_without_who_asked(member, records):
    search(member, q="  Appraisal   Interviews ")
    search(member, q="appraisal interviews", page="2")  # a further page is the same search
    logged = LoggedQuery.objects.get()
    assert (logged.text, logged.normalized, logged.results) == (
        "Appraisal   Interviews",
        "appraisal interviews",
        1,
    )
    assert logged.interface_language == "en"
    fields = {f.name for f in LoggedQuery._meta.get_fields()}
    assert fields == {"id", "text", "normalized", "interface_language", "results", "searched_on"}


def test_the_queries_the_page_makes_do_not_grow_with_its_results(visitor, records):
    for n in range(15):
        practice(f"Appraisal scheme {n:02d}", "Appraisal of staff.", countries=("KZ", "GE"))
    search(Client(), q="staff")  # the first search after a change reloads the vectors
    counts = []
    for q, found in (("indicators", 1), ("appraisal", 18)):
        with CaptureQueriesContext(connection) as queries:
            response = search(Client(), q=q)
        assert len(titles(response)) == found
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 20
