"""`civhub search` and `civhub reindex`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from civhub.search import indexing, signals
from civhub.search.models import SearchDocument
from civhub.search.tests.factories import practice
from civhub.search.tests.samples import appraisal_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    return appraisal_records()


def run(*args) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command(*args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


# -- civhub search --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, params",
    [
        (["appraisal"], {"q": "appraisal"}),
        (
            ["appraisal", "--country", "KZ", "--country", "GE", "--limit", "2", "--offset", "1"],
            {"q": "appraisal", "country": ["KZ", "GE"], "limit": 2, "offset": 1},
        ),
        (
            ["аттестация", "--lang", "ru", "--type", "practice"],
            {"q": "аттестация", "lang": "ru", "type": "practice"},
        ),
    ],
)
def test_json_is_the_apis_answer_to_the_same_search(records, args, params):
    practice("Аттестация служащих", "Аттестация раз в три года.", language="ru")
    indexing.embed_documents()  # the semantic half too: both must rank alike
    printed, _ = run("search", *args, "--json")
    answer = Client().get("/api/v1/search", params)
    assert answer.status_code == 200
    assert answer.json()["total"] > 0
    assert printed.strip() == answer.content.decode()


def test_the_list_is_readable(records):
    printed, _ = run("search", "indicators", "--mode", "lexical")
    slug = records["kz_ratings"].slug
    assert printed.splitlines()[:5] == [
        "1 result for “indicators”",
        "",
        "1. [good practice] Performance appraisal of civil servants (en, 2019)",
        f"   /en/practices/{slug}/",
        "   Annual appraisal against key indicators, linked to pay",
    ]
    assert "country: Kazakhstan 1" in printed


def test_drafts_are_not_searched(records):
    printed, _ = run("search", "algorithm", "--mode", "lexical")
    assert printed.startswith("0 results")


@pytest.mark.parametrize(
    "args, message",
    [
        (["appraisal", "--type", "poem"], "Unknown type: poem."),
        (["appraisal", "--country", "XX"], "Unknown country: XX."),
        (["appraisal", "--limit", "500"], "--limit: from 1 to 100."),
        (["?!"], "Type at least one word to search for."),
        (["x" * 10_000], "The query is too long: at most 500 characters."),
    ],
)
def test_a_search_that_cannot_run_fails_saying_why(records, args, message):
    with pytest.raises(CommandError, match=message):
        run("search", *args)


def test_an_unusable_query_still_prints_the_apis_json(records):
    stdout = StringIO()
    with pytest.raises(CommandError):
        call_command("search", "?!", "--json", stdout=stdout)
    assert stdout.getvalue().strip() == Client().get("/api/v1/search", {"q": "?!"}).content.decode()


# -- civhub reindex -------------------------------------------------------------------------


def test_reindex_restores_a_deleted_document_and_makes_its_vector(records):
    target = records["kz_ratings"]
    SearchDocument.objects.filter(kind="practice", object_id=str(target.pk)).delete()
    printed, progress = run("reindex", "--type", "practice")
    doc = SearchDocument.objects.get(kind="practice", object_id=str(target.pk))
    assert doc.title == "Performance appraisal of civil servants"
    assert doc.vector is not None
    assert "practice: 5 indexed, 0 removed." in printed
    assert "vectors made." in printed
    assert "good practices: 100%" in progress and "vectors: 100%" in progress
    run("reindex", "--check")  # nothing left to report


def test_reindex_removes_documents_of_records_gone(records):
    gone = records["kz_ratings"]
    gone_id = str(gone.pk)
    with signals.paused():  # as if deleted by a bulk job that left the index alone
        gone.delete()
    printed, _ = run("reindex", "--type", "practice", "--no-vectors")
    assert "practice: 4 indexed, 1 removed." in printed
    assert not SearchDocument.objects.filter(kind="practice", object_id=gone_id).exists()


def test_no_vectors_leaves_them_to_later(records):
    printed, progress = run("reindex", "--no-vectors")
    assert "vectors" not in printed + progress
    assert not SearchDocument.objects.filter(vector__isnull=False).exists()


def test_check_reports_what_the_index_gets_wrong_and_fails(records):
    indexing.embed_documents()
    missing = records["kz_ratings"]
    SearchDocument.objects.filter(kind="practice", object_id=str(missing.pk)).delete()
    stale = records["ge_commission"]
    SearchDocument.objects.filter(kind="practice", object_id=str(stale.pk)).update(
        title="An older title"
    )
    stdout = StringIO()
    with pytest.raises(
        CommandError, match=r"2 problems in the search index \(missing: 1, stale: 1\)"
    ):
        call_command("reindex", "--check", stdout=stdout)
    assert set(stdout.getvalue().splitlines()) == {
        f"practice\t{missing.pk}\tmissing",
        f"practice\t{stale.pk}\tstale",
    }
    assert not SearchDocument.objects.filter(object_id=str(missing.pk)).exists()  # no repair


def test_check_passes_on_a_complete_index(records):
    indexing.embed_documents()
    printed, _ = run("reindex", "--check", "--type", "practice")
    assert printed.strip() == "The index matches the records."


def test_check_reports_documents_without_vectors(records):
    with pytest.raises(CommandError, match="no vector: 5"):
        run("reindex", "--check")


@pytest.mark.parametrize("args", [["--type", "poem"], ["--check", "--type", "poem"]])
def test_an_unknown_type_is_named_with_the_known_ones(args):
    with pytest.raises(CommandError) as error:
        run("reindex", "--type", "practice", *args)
    assert str(error.value) == (
        "Unknown type: poem. Known types: practice, law, profile, organization, expert, call, award."
    )
