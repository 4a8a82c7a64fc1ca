"""How the lexical half keeps ranking cheap on a large corpus, on SQLite and PostgreSQL: a
query with very many matches, many of them in titles, ranks its title tier and lists the rest
unranked, and the any-word form of a question leaves its common words out. TITLE_TIER and
RANK_ALL are lowered here so that a few records stand for many."""

import pytest
from django.db import connection

from civhub.search import lexical, text
from civhub.search.lexical import Filters
from civhub.search.models import Audience, SearchDocument
from civhub.search.tests.factories import practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def appraisals():
    """Seven practices about appraisal, three with the word in their title, and one about
    probation alone."""
    in_title = [
        practice("Appraisal of senior civil servants", "Managers meet twice a year."),
        practice("Annual appraisal interviews", "Every appraisal ends with a written plan."),
        practice("Appraisal by peers", "Colleagues answer a short questionnaire."),
    ]
    in_text = [
        practice("Bonuses for results", "Bonuses follow the annual appraisal of each officer."),
        practice("Training plans", "An appraisal, appraisal again, sets the training plan."),
        practice("Career paths", "Promotion needs two good appraisal results."),
        practice("Codes of conduct", "Breaches are noted in the appraisal file."),
    ]
    probation = practice("Probation of new staff", "Six months of probation with a mentor.")
    return {"title": in_title, "text": in_text, "probation": probation}


def doc_ids(records) -> set[int]:
    return set(
        SearchDocument.objects.filter(object_id__in=[str(r.pk) for r in records]).values_list(
            "pk", flat=True
        )
    )


def ids(hits) -> list[int]:
    return [doc_id for doc_id, _score in hits]


def test_count_stops_at_its_bound_and_counts_titles_apart(appraisals):
    query = text.parse("appraisal")
    assert lexical.count(query, at_most=100) == 7
    assert lexical.count(query, at_most=4) == 4
    assert lexical.count(query, at_most=100, tier=lexical.TITLE) == 3
    assert lexical.count(text.parse("appraisal probation"), any_term=True, at_most=100) == 8
    assert lexical.count(text.parse("nothing-like-it"), at_most=100) == 0


def test_below_the_title_tier_every_match_is_ranked(appraisals, monkeypatch):
    query = text.parse("appraisal")
    plain = lexical.search(query, Filters(), 3)
    assert doc_ids(appraisals["text"]) & set(ids(lexical.search(query, Filters(), 7)))
    monkeypatch.setattr(lexical, "TITLE_TIER", 4)  # three titles: not enough
    assert lexical.search(query, Filters(), 3) == plain


def test_past_the_title_tier_only_the_titles_are_ranked_when_they_fill_the_list(
    appraisals, monkeypatch
):
    query = text.parse("appraisal")
    plain = lexical.search(query, Filters(), 100)
    in_title = doc_ids(appraisals["title"])
    monkeypatch.setattr(lexical, "TITLE_TIER", 3)

    tiered = lexical.search(query, Filters(), 3)
    assert set(ids(tiered)) == in_title
    assert [score for _id, score in tiered] == sorted((s for _id, s in tiered), reverse=True)

    # Four asked, three titles: not enough to fill the list, so everything is ranked.
    assert lexical.search(query, Filters(), 4) == plain[:4]


def test_past_the_title_tier_the_other_matches_follow_unranked_when_ranking_them_would_cost(
    appraisals, monkeypatch
):
    query = text.parse("appraisal")
    in_title, in_text = doc_ids(appraisals["title"]), doc_ids(appraisals["text"])
    monkeypatch.setattr(lexical, "TITLE_TIER", 3)
    monkeypatch.setattr(lexical, "RANK_ALL", 5)  # seven matches: more than ranking all costs
    hits = lexical.search(query, Filters(), 6)
    assert set(ids(hits[:3])) == in_title
    assert [s for _id, s in hits[:3]] == sorted((s for _id, s in hits[:3]), reverse=True)
    assert len(hits) == 6 and set(ids(hits[3:])) < in_text and len(set(ids(hits))) == 6
    assert all(score == 0.0 for _id, score in hits[3:]) and all(s > 0 for _i, s in hits[:3])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone() == ("on",)  # set back after the titles' count and the rest

    # Few matches are all ranked whatever the titles.
    monkeypatch.setattr(lexical, "RANK_ALL", 7)
    assert lexical.search(query, Filters(), 6) == lexical.search(query, Filters(), 100)[:6]
    # Too few titles: everything is ranked.
    monkeypatch.setattr(lexical, "RANK_ALL", 5)
    monkeypatch.setattr(lexical, "TITLE_TIER", 4)
    assert all(score > 0 for _id, score in lexical.search(query, Filters(), 6))


def test_the_title_tier_less_what_the_reader_may_not_see_is_followed_by_the_rest(
    appraisals, monkeypatch
):
    query = text.parse("appraisal")
    hidden = appraisals["title"][0]
    SearchDocument.objects.filter(object_id=str(hidden.pk)).update(audience=Audience.EDITORS)
    monkeypatch.setattr(lexical, "TITLE_TIER", 3)
    visible_titles = doc_ids(appraisals["title"][1:])
    for filters in (Filters(), Filters(kinds=["practice"])):  # both paths on SQLite
        hits = ids(lexical.search(query, filters, 3))
        assert len(hits) == 3 and not doc_ids([hidden]) & set(hits)
        assert set(hits[:2]) == visible_titles
        assert hits[2] in doc_ids(appraisals["text"])


def test_the_any_word_form_leaves_common_words_out_when_rarer_ones_exist(appraisals, monkeypatch):
    query = text.parse("appraisal probation")  # no record has both
    hits, any_term = lexical.match(query, Filters())
    assert any_term and set(ids(hits)) == doc_ids(
        [*appraisals["title"], *appraisals["text"], appraisals["probation"]]
    )

    monkeypatch.setattr(lexical, "RANK_ALL", 5)  # "appraisal", in 7, is now common
    rarer, at_most = lexical.without_common_words(query)
    assert [t.exact for t in rarer.terms] == [("probat",)] and at_most == 1
    hits, any_term = lexical.match(query, Filters())
    assert any_term and ids(hits) == list(doc_ids([appraisals["probation"]]))


def test_a_question_of_common_words_only_keeps_them_all(appraisals, monkeypatch):
    practice("Ethics officers", "Officers advise on ethics; each appraisal asks about it.")
    monkeypatch.setattr(lexical, "RANK_ALL", 0)  # every word is common
    query = text.parse("appraisal probation")
    assert lexical.without_common_words(query)[0] is query
    hits, any_term = lexical.match(query, Filters())
    assert any_term and doc_ids([appraisals["probation"]]) <= set(ids(hits))


def test_a_phrase_counts_as_a_word(appraisals, monkeypatch):
    monkeypatch.setattr(lexical, "RANK_ALL", 5)
    query = text.parse('appraisal "new staff"')
    rarer, at_most = lexical.without_common_words(query)
    assert not rarer.terms and rarer.phrases == [("new", "staff")] and at_most == 1


def test_a_question_with_a_word_no_record_has_goes_straight_to_its_any_word_form(
    appraisals, monkeypatch
):
    ranked = []
    real = lexical._ranked

    def spy(query, filters, limit, any_term, at_most=None):
        ranked.append(any_term)
        return real(query, filters, limit, any_term, at_most)

    monkeypatch.setattr(lexical, "_ranked", spy)
    hits, any_term = lexical.match(text.parse("appraisal probation zeppelin"), Filters())
    assert any_term and ranked == [True]  # never asked for all three words
    assert set(ids(hits)) == doc_ids(
        [*appraisals["title"], *appraisals["text"], appraisals["probation"]]
    )
    ranked.clear()
    hits, any_term = lexical.match(text.parse("appraisal annual interviews"), Filters())
    assert not any_term and ranked == [False]
    assert ids(hits) == list(doc_ids(appraisals["title"][1:2]))


def test_postgresql_estimates_the_matches_of_a_large_table(appraisals, monkeypatch):
    """Counting on PostgreSQL reads every match's row; past ESTIMATE_PAST documents the
    planner's estimate stands in for the count (here every table counts as large)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts from the FTS5 index itself")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {SearchDocument._meta.db_table}")
    monkeypatch.setattr(lexical, "ESTIMATE_PAST", -1)
    monkeypatch.setattr(lexical, "_pg_table_rows", None)
    query = text.parse("appraisal")
    estimate = lexical.count(query, at_most=100)
    assert 4 <= estimate <= 8  # 7 match, out of 8
    assert lexical.count(query, at_most=3) == 3
    assert lexical.count(text.parse("zeppelin"), at_most=100) >= 1  # never 0: an estimate
    # Every word: the rarest word's estimate bounds them, not the planner's product.
    both = text.parse("annual appraisal")
    parts = [lexical.count(part, at_most=100) for part in lexical._parts(both)]
    assert lexical.count(both, at_most=100) == min(parts)
    # Titles are counted, in their own table, whatever its size.
    assert lexical.count(query, at_most=100, tier=lexical.TITLE) == 3
    assert lexical.count(both, at_most=100, tier=lexical.TITLE) == 1
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)  # set back after the titles' count
    hits, any_term = lexical.match(text.parse("appraisal probation zeppelin"), Filters())
    assert any_term and set(ids(hits)) == doc_ids(
        [*appraisals["title"], *appraisals["text"], appraisals["probation"]]
    )


def test_postgresql_puts_the_planner_setting_back_whatever_happens(db):
    """`enable_seqscan` is off only while a count or the unranked rest runs: after an error in
    Python the setting is put back, after a database error the rollback puts it back."""
    from django.db import DatabaseError, transaction

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner setting")

    def setting(cursor):
        cursor.execute("SHOW enable_seqscan")
        return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        with pytest.raises(ZeroDivisionError), lexical._through_the_index(cursor):
            assert setting(cursor) == "off"
            raise ZeroDivisionError
        assert setting(cursor) == "on"
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            lexical._through_the_index(cursor),
        ):
            cursor.execute("SELECT 1 / 0")
        assert setting(cursor) == "on"
