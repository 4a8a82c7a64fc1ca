"""The index follows the records: on save, on change, on delete, and in bulk."""

import pytest
from django.db import transaction

from civhub.directory.models import Organization, Person
from civhub.knowledge.models import LegalAct, Practice, ProfileAnswer, ProfileQuestion
from civhub.search import indexing, signals
from civhub.search.models import Audience, SearchDocument
from civhub.search.tests.factories import practice

pytestmark = pytest.mark.django_db


def docs_of(record, kind="practice"):
    return SearchDocument.objects.filter(kind=kind, object_id=str(record.pk))


def test_saving_a_practice_indexes_each_language_version():
    record = practice(
        "Merit-based recruitment",
        "Open competitions for every post.",
        translations={"ru": ("Отбор по заслугам", "Открытые конкурсы на каждую должность.")},
        countries=("KZ", "GE"),
        topics=("recruitment-selection",),
    )
    docs = {doc.language: doc for doc in docs_of(record)}
    assert set(docs) == {"en", "ru"}
    assert docs["en"].is_original and not docs["ru"].is_original
    assert docs["ru"].title == "Отбор по заслугам"
    assert docs["ru"].title_terms == "отбор заслуг"
    assert docs["en"].path == f"/practices/{record.slug}/"
    assert docs["en"].year == 2018
    assert sorted(docs["en"].countries.values_list("code", flat=True)) == ["GE", "KZ"]
    assert list(docs["ru"].topics.values_list("slug", flat=True)) == ["recruitment-selection"]
    assert docs["en"].audience == Audience.PUBLIC


def test_a_change_reaches_the_index_and_a_removed_translation_leaves_it():
    record = practice("Old title", translations={"kk": ("Ескі атау", "")})
    record.title_en = "New title"
    record.title_kk = ""
    record.save()
    assert list(docs_of(record).values_list("language", "title")) == [("en", "New title")]


def test_changing_countries_or_topics_reaches_the_index(kazakhstan, georgia):
    record = practice("Recruitment", countries=("KZ",))
    record.countries.add(georgia)
    doc = docs_of(record).get()
    assert set(doc.countries.all()) == {kazakhstan, georgia}
    record.countries.clear()
    assert not doc.countries.exists()


def test_deleting_a_record_removes_its_documents():
    record = practice("To be deleted", translations={"ru": ("Удалить", "")})
    pk = record.pk
    record.delete()
    assert not SearchDocument.objects.filter(kind="practice", object_id=str(pk)).exists()


def test_a_draft_is_indexed_for_editors_only_and_published_for_everyone():
    record = practice("Draft idea", state="draft")
    assert docs_of(record).get().audience == Audience.EDITORS
    record.state = "published"
    record.save()
    assert docs_of(record).get().audience == Audience.PUBLIC


def test_the_index_is_written_in_the_saving_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        practice("Rolled back")
        raise RuntimeError
    assert not SearchDocument.objects.filter(title="Rolled back").exists()


def test_vectors_are_made_after_the_commit_not_during_the_save(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record = practice("Performance appraisal", "Annual appraisal of civil servants.")
        assert docs_of(record).get().vector is None  # saving did not wait for the model
    assert callbacks
    for callback in callbacks:
        callback()  # the background task (run in-process in tests)
    doc = docs_of(record).get()
    assert len(bytes(doc.vector)) == 384 * 4 and doc.vector_hash == doc.text_hash


def test_a_changed_text_needs_a_new_vector(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = practice("Performance appraisal")
    first = bytes(docs_of(record).get().vector)
    with django_capture_on_commit_callbacks(execute=True):
        record.title_en = "Digital government services"
        record.save()
    doc = docs_of(record).get()
    assert doc.vector_hash == doc.text_hash and bytes(doc.vector) != first


def test_a_law_an_organization_and_an_expert_are_indexed(kazakhstan):
    act = LegalAct.objects.create(
        country=kazakhstan, kind="law", title_en="On Civil Service", number="416-V", state="draft"
    )
    assert docs_of(act, "law").get().audience == Audience.EDITORS
    act.state = "published"
    act.save()
    doc = docs_of(act, "law").get()
    assert doc.audience == Audience.PUBLIC and doc.body == "416-V"
    organization = Organization.objects.create(name_en="Civil Service Agency", kind="government")
    assert docs_of(organization, "organization").get().title == "Civil Service Agency"
    expert = Person.objects.create(name="Aigerim S.", position_en="HR adviser", on_roster=False)
    assert not docs_of(expert, "expert").exists()  # only the roster is searchable
    expert.on_roster = True
    expert.email = "secret@example.org"
    expert.save()
    doc = docs_of(expert, "expert").get()
    assert "HR adviser" in doc.body and "secret@example.org" not in doc.body


def test_a_profile_is_indexed_once_answers_are_approved(demo_data, kazakhstan):
    doc = SearchDocument.objects.get(kind="profile", object_id="KZ", language="ru")
    assert doc.title == "Профиль государственной службы: Казахстан"
    assert doc.path == "/profiles/kz/"
    ProfileAnswer.objects.filter(country=kazakhstan).update(status="pending")
    answer = ProfileAnswer.objects.filter(country=kazakhstan).first()
    answer.save()  # any change to an answer re-reads the profile
    assert not SearchDocument.objects.filter(kind="profile", object_id="KZ").exists()


def test_batched_indexes_each_record_once_at_the_end(django_assert_max_num_queries, kazakhstan):
    question = ProfileQuestion.objects.filter(answer_type="text").first()
    with signals.batched():
        for day in range(1, 6):
            ProfileAnswer.objects.create(
                country=kazakhstan,
                question=question,
                as_of=f"2020-01-0{day}",
                value_text=f"Answer {day}",
                status="approved",
            )
        assert not SearchDocument.objects.filter(kind="profile").exists()
    doc = SearchDocument.objects.get(kind="profile", object_id="KZ", language="en")
    assert "Answer 5" in doc.body and "Answer 4" not in doc.body  # the current answer only


def test_paused_writes_nothing_and_check_then_reindex_repairs(kazakhstan):
    with signals.paused():
        record = practice("Written while paused")
    assert not docs_of(record).exists()
    problems = indexing.check(["practice"])
    assert [(p.object_id, p.problem) for p in problems] == [(str(record.pk), "missing")]

    reports = indexing.reindex(["practice"])
    assert reports[0].indexed == Practice.objects.count()
    assert [p.problem for p in indexing.check(["practice"])] == ["no vector"]
    indexing.embed_documents()
    assert indexing.check() == []


def test_check_reports_stale_and_orphan_documents():
    record = practice("Fresh")
    SearchDocument.objects.filter(kind="practice").update(title="Edited behind our back")
    SearchDocument.objects.create(
        kind="practice", object_id="999999", language="en", title="Gone", path="/x/"
    )
    indexing.embed_documents()
    problems = {(p.object_id, p.problem) for p in indexing.check(["practice"])}
    assert problems == {(str(record.pk), "stale"), ("999999", "orphan")}
    reports = indexing.reindex(["practice"])
    assert reports[0].removed == 1


def test_unknown_types_are_named():
    with pytest.raises(ValueError, match="Unknown type 'events'; known types: practice, law"):
        indexing.reindex(["events"])


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_scoring_in_row_blocks_on_threads_gives_the_one_product(monkeypatch, threads):
    import numpy as np

    from civhub.search import vectors

    monkeypatch.setattr(vectors, "SCORING_THREADS", threads)
    monkeypatch.setattr(vectors, "PARALLEL_ROWS", 10)
    rng = np.random.default_rng(1)
    matrix = rng.standard_normal((1001, 384)).astype(np.float32)
    vector = rng.standard_normal(384).astype(np.float32)
    expected = matrix @ vector
    for rows in (5, 1001):  # one block below PARALLEL_ROWS, several above
        got = vectors.similarities(matrix[:rows], vector)
        assert got.dtype == np.float32 and got.shape == (rows,)
        np.testing.assert_allclose(got, expected[:rows], rtol=1e-5, atol=1e-4)


def test_postgresql_keeps_the_tsvector_in_the_row(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's storage of the tsvector (SQLite's FTS5 keeps its own table)")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attname = 'search_vector'",
            [SearchDocument._meta.db_table],
        )
        assert cursor.fetchone() == ("m",)  # MAIN: compressed if need be, not out of line


def test_postgresql_compresses_the_tsvector_with_lz4(db):
    """Ranking decompresses every match's tsvector: lz4 does it several times faster than
    pglz (migration 0006, on servers built with lz4)."""
    from django.db import connection

    from civhub.search import fulltext

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's compression of the tsvector")
    if not fulltext.lz4_available(connection):
        pytest.skip("this PostgreSQL server was built without lz4")
    words = " ".join(f"appraisal{i} interview{i}" for i in range(400))  # long: compressed
    practice("Appraisal interviews", words)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT pg_column_compression(search_vector) "
            f"FROM {SearchDocument._meta.db_table} WHERE pg_column_size(search_vector) > 2000"
        )
        assert cursor.fetchall() == [("lz4",)]


def test_postgresql_keeps_the_titles_in_a_table_of_their_own_in_step(db):
    """The title tier of a query with very many matches (lexical._ranked) reads them: every
    insert, update of the title or audience, delete and TRUNCATE of the documents follows."""
    from django.db import connection

    from civhub.search import fulltext

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's titles' table (SQLite's FTS5 restricts a query to a column)")

    def rows(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def titles():
        return rows(f"SELECT id, audience, title_vector::text FROM {fulltext.TITLES} ORDER BY id")

    def expected():
        return rows(
            "SELECT id, audience, to_tsvector('simple', title_terms)::text "
            f"FROM {SearchDocument._meta.db_table} ORDER BY id"
        )

    record = practice("Appraisal of senior civil servants", "Managers meet twice a year.")
    other = practice("Probation", "Six months.")
    assert titles() == expected() and len(titles()) == 2
    record.title_en = "Annual appraisal interviews"
    record.save()
    SearchDocument.objects.filter(object_id=str(other.pk)).update(audience=Audience.EDITORS)
    assert titles() == expected()
    assert "'interview'" in titles()[0][2] and titles()[1][1] == Audience.EDITORS
    other.delete()
    assert titles() == expected() and len(titles()) == 1
    with connection.cursor() as cursor:  # as Django empties tables between some tests
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {SearchDocument._meta.db_table} CASCADE")
    assert titles() == []


def test_a_title_alone_is_no_version_of_a_record_with_a_body():
    """The index takes the languages the record's page would show: a translated title over
    no translated body is not a version (as knowledge's VersionedTextMixin decides)."""
    from types import SimpleNamespace

    from civhub.search.registry import translated_versions

    record = SimpleNamespace(
        language="en",
        title_en="Open competitions",
        title_ru="Открытые конкурсы",
        title_kk="",
        summary_en="Merit-based recruitment.",
        summary_ru="",
        summary_kk="",
    )
    assert [v.language for v in translated_versions(record, "title", ["summary"])] == ["en"]
    record.summary_ru = "Набор по заслугам."
    assert [v.language for v in translated_versions(record, "title", ["summary"])] == ["en", "ru"]
    # A record without any body (a name only) is a version wherever it has a title.
    bodiless = SimpleNamespace(language="en", title_en="OECD", title_ru="ОЭСР", title_kk="")
    assert [v.language for v in translated_versions(bodiless, "title", [])] == ["en", "ru"]
