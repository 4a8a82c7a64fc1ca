"""The relevance set in benchmarks/relevance/queries.json is sound: enough queries in each
language, at least half crossing languages, and every answer a record of the demo data.

It checks the file, not search quality: `make bench` measures that (benchmarks/relevance.py).
"""

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from civhub.search import registry
from civhub.search.models import SearchDocument

QUERIES = Path(__file__).resolve().parents[4] / "benchmarks" / "relevance" / "queries.json"
LANGUAGES = {"en", "ru", "kk"}


@pytest.fixture(scope="module")
def queries() -> list[dict]:
    return json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]


def test_enough_queries_in_each_language_half_of_them_crossing_languages(queries):
    assert len(queries) >= 60
    by_language = Counter(q["language"] for q in queries)
    assert set(by_language) == LANGUAGES
    assert min(by_language.values()) >= 15
    assert sum(q["cross_language"] for q in queries) * 2 >= len(queries)
    assert len({q["id"] for q in queries}) == len(queries)
    assert len({q["query"].casefold() for q in queries}) == len(queries)


def test_every_query_lists_its_answers_by_type_and_address(queries):
    kinds = {t.kind for t in registry.types()}
    for q in queries:
        assert q["query"].strip() and isinstance(q["cross_language"], bool), q["id"]
        assert q["answers"], q["id"]
        for answer in q["answers"]:
            assert answer["type"] in kinds, q["id"]
            assert answer["path"].startswith("/") and answer["path"].endswith("/"), q["id"]


@pytest.mark.django_db
def test_every_answer_is_in_the_demo_index_and_crossing_is_marked_right(demo_data, queries):
    languages = defaultdict(set)
    for kind, path, language in SearchDocument.objects.values_list("kind", "path", "language"):
        languages[(kind, path)].add(language)
    # A winner's address holds its submission's id: the demo's n-th submission on the fresh
    # database the benchmark loads, shifted on one whose id sequence has moved on
    # (PostgreSQL keeps sequences across the suite's rolled-back tests).
    from civhub.awards.models import Submission

    shift = (Submission.objects.order_by("pk").values_list("pk", flat=True).first() or 1) - 1

    def address(answer):
        kind, path = answer["type"], answer["path"]
        if kind == "award":
            head, number = path.rstrip("/").rsplit("/", 1)
            path = f"{head}/{int(number) + shift}/"
        return kind, path

    for q in queries:
        answers = [address(a) for a in q["answers"]]
        missing = [a for a in answers if a not in languages]
        assert not missing, f"{q['id']}: not in the demo index: {missing}"
        # Crossing languages: no answer has a version in the query's language.
        crossing = all(q["language"] not in languages[a] for a in answers)
        assert q["cross_language"] == crossing, q["id"]
