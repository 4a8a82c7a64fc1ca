"""While documents wait for their vectors, /healthz counts them (and stays 200) and the search
page says that indexing is under way and how far it is, in the reader's language."""

import pytest
from django.test import Client

from civhub.search import indexing, views
from civhub.search.models import SearchDocument
from civhub.search.tests.factories import practice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _count_at_every_request(monkeypatch):
    monkeypatch.setattr(views, "PROGRESS_MAX_AGE", -1)


@pytest.fixture
def waiting():
    """Three documents with vectors, two saved since (their vectors are made after the
    commit, which a test case never reaches)."""
    practice("Open competitions for every post", "Merit.")
    practice("Mentoring of new civil servants", "Pairs.")
    practice("Telework rules", "Rules.", translations={"ru": ("Удалённая работа", "Правила.")})
    indexing.embed_documents()
    practice("Performance appraisal", "Yearly.")
    practice("Code of ethics", "Conduct.")
    assert SearchDocument.objects.count() == 6


def test_progress_counts_the_documents_without_a_current_vector(waiting):
    assert indexing.progress() == indexing.Progress(total=6, waiting=2)
    SearchDocument.objects.filter(title="Telework rules").update(vector_model="another-model")
    assert indexing.progress().waiting == 3
    indexing.embed_documents()
    assert indexing.progress() == indexing.Progress(total=6, waiting=0)


def test_healthz_counts_what_waits_and_stays_200(waiting):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["search"] == {"ok": True, "documents": 6, "waiting_for_vectors": 2}
    indexing.embed_documents()
    assert Client().get("/healthz").json()["search"]["waiting_for_vectors"] == 0
    # the load balancer's probe does not count the index
    assert "search" not in Client().get("/healthz", {"check": "web"}).json()


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("en", "Search is being brought up to date: 4 of 6 documents indexed"),
        ("ru", "Поиск обновляется: проиндексировано документов — 4 из 6"),
        ("kk", "Іздеу жаңартылуда: 6 құжат ішінен 4 құжат индекстелді"),
    ],
)
def test_the_search_page_says_indexing_is_under_way(waiting, language, notice):
    page = Client().get(f"/{language}/search/", {"q": "competitions"})
    assert page.status_code == 200
    assert notice in page.content.decode()
    indexing.embed_documents()
    page = Client().get(f"/{language}/search/", {"q": "competitions"})
    assert notice not in page.content.decode() and 'class="search-notice"' not in (
        page.content.decode()
    )


def test_the_notice_groups_large_numbers_in_the_readers_format(waiting, monkeypatch):
    monkeypatch.setattr(indexing, "progress", lambda: indexing.Progress(5000, 3800))
    assert "1,200 of 5,000 documents" in Client().get("/en/search/").content.decode()
    assert "5 000 құжат ішінен 1 200 құжат" in Client().get("/kk/search/").content.decode().replace(
        "\xa0", " "
    )
