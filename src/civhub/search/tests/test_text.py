"""How words become index terms and queries: the same on both databases, so tested once."""

import pytest

from civhub.search import text


@pytest.mark.parametrize(
    ("word", "language", "term"),
    [
        ("appraisals", "en", "apprais"),
        ("Appraisal", "en", "apprais"),
        ("оценки", "ru", "оценк"),
        ("Оценка", "ru", "оценк"),
        ("ёлка", "ru", "елк"),  # ё and е are one letter to searchers
        ("қызметшілер", "kk", "қызметшілер"),  # Kazakh: folded, never stemmed
        ("мемлекет", "kk", "мемлекет"),  # plain Cyrillic in a Kazakh text is Kazakh
        ("мемлекет", "ru", "мемлекет"),
        ("digital", "ru", "digit"),  # a Latin word in a Russian text is English
        ("2019", "en", "2019"),
    ],
)
def test_index_terms_follow_the_words_script(word, language, term):
    assert text.index_terms(word, language) == term


def test_stop_words_stay_out_of_the_index():
    assert text.index_terms("The reform of the civil service and its results", "en") == (
        "reform civil servic it result"
    )


def test_a_query_word_matches_russian_stems_and_kazakh_prefixes():
    query = text.parse("Оценка")
    (term,) = query.terms
    assert term.matches("оценк")  # Russian, stemmed
    assert term.matches("оценкалар")  # a Kazakh form of the same word, by prefix
    assert not term.matches("оцен")


def test_a_kazakh_word_matches_by_prefix_only():
    (term,) = text.parse("қызмет").terms
    assert term.matches("қызметшілерді")
    assert not term.matches("қызме")


def test_quotes_make_phrases_and_a_star_a_prefix():
    query = text.parse('"performance appraisal" digit*')
    assert query.phrases == [("perform", "apprais")]
    assert query.terms == [text.Term(prefixes=("digit",))]
    assert query.fts5() == '("digit"*) AND "perform apprais"'
    assert query.tsquery() == "(digit:*) & (perform <-> apprais)"


def test_a_quoted_single_word_is_a_word():
    assert text.parse('"reform"').terms == [text.Term(exact=("reform",))]


@pytest.mark.parametrize(
    "typed",
    [
        '"unbalanced quote',
        "'; DROP TABLE search_searchdocument; --",
        'NEAR(a b) OR title:* AND "',
        "a* OR (b AND NOT c) ^d -e +f {g} [h] <-> i:*",
        "select * from x where 1=1",
    ],
)
def test_nothing_typed_reaches_the_database_as_syntax(typed):
    query = text.parse(typed)
    # Every option is a quoted word of letters and digits: FTS5 reads no operator in it.
    for term in query.terms:
        for word in term.exact + term.prefixes:
            assert word.isalnum(), word
    assert query.fts5().count('"') % 2 == 0


@pytest.mark.parametrize("typed", ["", "   ", "!!! ??? ...", "*", '""', "the and of"])
def test_queries_without_words_are_empty(typed):
    query = text.parse(typed)
    assert query.is_empty and not query.error


def test_a_too_long_query_is_refused():
    assert text.parse("a" * (text.MAX_QUERY_LENGTH + 1)).error == "too_long"
    assert text.parse("word " * 40).error == ""  # one distinct word
    many = " ".join(f"word{i}" for i in range(text.MAX_QUERY_TERMS + 1))
    assert text.parse(many).error == "too_many_terms"


def test_highlight_marks_the_matches_and_escapes_the_rest():
    query = text.parse("appraisal")
    snippet = text.highlight("Annual <b>appraisals</b> of staff & managers", "en", query)
    assert snippet == ("Annual &lt;b&gt;<mark>appraisals</mark>&lt;/b&gt; of staff &amp; managers")


def test_highlight_picks_the_window_with_the_matches():
    body = " ".join(["filler"] * 100 + ["merit", "based", "recruitment"] + ["filler"] * 100)
    snippet = text.highlight(body, "en", text.parse("recruitment"), width=10)
    assert "<mark>recruitment</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")


def test_highlight_marks_russian_forms_of_a_russian_query():
    snippet = text.highlight("Оценки эффективности служащих", "ru", text.parse("оценка"))
    assert snippet == "<mark>Оценки</mark> эффективности служащих"


def test_highlight_shares_what_it_knows_of_words_only_within_a_language():
    """A page of results shares one memory of words; a word's form depends on the text's
    language (Cyrillic is stemmed as Russian in a Russian text, matched by prefix in a
    Kazakh one), so the same word may be a hit in one language and not in another."""
    query = text.parse("оценка")
    memo: dict = {}
    russian = text.highlight("оценки служащих", "ru", query, memo=memo)
    kazakh = text.highlight("оценки служащих", "kk", query, memo=memo)
    assert russian == "<mark>оценки</mark> служащих"  # the Russian stem
    assert kazakh == "оценки служащих"  # not the prefix "оценка"
    assert set(memo) == {"kk", "ru"}


def test_highlight_window_is_the_first_with_the_most_hits():
    body = "merit filler filler merit filler filler filler merit"
    snippet = text.highlight(body, "en", text.parse("merit"), width=4)
    assert snippet == "<mark>merit</mark> filler filler <mark>merit</mark> …"
    assert text.highlight("merit", "en", text.parse("merit"), width=4) == "<mark>merit</mark>"


def test_highlight_reads_a_long_text_a_stretch_at_a_time(monkeypatch):
    """A long text's snippet comes from its first stretch with a query word in it; the
    words of a later stretch are not read, and a text with none shows its beginning."""
    monkeypatch.setattr(text, "SNIPPET_STRETCH", 40)
    monkeypatch.setattr(text, "SNIPPET_READS_AT_MOST", 200)
    filler = "filler words here and there " * 4  # 112 characters, no query word
    late = filler + "merit at last, " + "filler " * 3
    assert text.highlight(late, "en", text.parse("merit"), width=4) == (
        "… here and there <mark>merit</mark> …"
    )
    # A first stretch with a hit wins over a later one with more.
    early = "merit " + filler + "rewarded merit merit merit merit"
    assert text.highlight(early, "en", text.parse("merit"), width=4) == (
        "<mark>merit</mark> filler words here …"
    )
    memo: dict = {}
    text.highlight(early, "en", text.parse("merit"), width=4, memo=memo)
    assert "merit" in memo["en"] and "rewarded" not in memo["en"]  # the rest was never read
    # Past SNIPPET_READS_AT_MOST nothing more is read: the beginning is shown.
    beyond = filler * 3 + "merit"
    assert text.highlight(beyond, "en", text.parse("merit"), width=3) == "filler words here …"
    # Without query words, only the first stretch is read.
    memo = {}
    assert text.highlight(late, "en", text.Query(text=""), width=3, memo=memo) == (
        "filler words here …"
    )
    assert "merit" not in memo["en"]


def test_a_profiles_questions_and_answers_show_apart_in_a_snippet():
    body = (
        "Are there performance indicators? — Yes\n"
        "Do appraisals affect pay? — No\n"
        "Who runs the appraisal? — The agency"
    )
    snippet = text.highlight(body, "en", text.parse("appraisal"), width=30)
    assert "indicators? — Yes · Do <mark>appraisals</mark>" in snippet
    assert "Yes Do" not in snippet


def test_the_profile_entry_writes_question_then_answer(db):
    from civhub.directory.models import Country
    from civhub.knowledge.models import ProfileAnswer, ProfileQuestion
    from civhub.knowledge.search import profile_entry

    question = ProfileQuestion.objects.filter(answer_type="yes_no").first()
    country = Country.objects.get(code="KZ")
    ProfileAnswer.objects.create(
        country=country,
        question=question,
        value_bool=True,
        source="Law on civil service",
        as_of="2024-01-01",
        status="approved",
    )
    (english, *_rest) = profile_entry(country).versions
    assert english.body.startswith(f"{question.text_en} — ")
