"""The index's generation changes after a commit, once per transaction, in a statement of its
own: no transaction holds the one row every change touches, and a rollback changes nothing."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from civhub.search import indexing
from civhub.search.models import IndexState
from civhub.search.tests.factories import practice

pytestmark = pytest.mark.django_db(transaction=True)


def writes_of_the_state(queries) -> list[str]:
    table = IndexState._meta.db_table
    return [
        q["sql"]
        for q in queries
        if table in q["sql"] and not q["sql"].lstrip().startswith("SELECT")
    ]


def test_changes_in_a_transaction_mark_the_index_once_after_the_commit(monkeypatch):
    # (the vectors, made after the commit too, would mark it once more)
    monkeypatch.setattr(indexing, "schedule_vectors", lambda doc_ids: None)
    indexing.bump_generation()
    before = indexing.generation()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        practice("Open competitions for every post", "Merit.")
        practice("Mentoring of new civil servants", "Pairs.")
        # the row is not touched while the transaction runs
        assert writes_of_the_state(queries) == []
        assert indexing.generation() == before
    assert indexing.generation() != before
    (write,) = writes_of_the_state(queries)  # one statement, after the commit
    assert write.lstrip().startswith("UPDATE")


def test_a_rolled_back_transaction_leaves_the_generation_as_it_was():
    indexing.bump_generation()
    before = indexing.generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        practice("Telework rules for public employees", "Rules.")
        raise RuntimeError
    assert indexing.generation() == before


def test_a_change_after_a_rolled_back_savepoint_still_marks_the_index():
    indexing.bump_generation()
    before = indexing.generation()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            practice("A record given up", "Gone.")  # its notice is dropped with the savepoint
            raise RuntimeError
        assert indexing.generation() == before
        practice("A record kept", "Stays.")
    assert indexing.generation() != before


def test_outside_a_transaction_the_index_is_marked_at_once():
    indexing.bump_generation()
    before = indexing.generation()
    indexing.index_changed()
    assert indexing.generation() != before
