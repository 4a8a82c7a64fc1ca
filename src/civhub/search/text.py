"""Words as the index sees them, the same on SQLite and PostgreSQL.

Both databases index pre-normalized terms ("simple" tokens), so stemming happens here, once, in
Python: English and Russian words are reduced with the Snowball stemmers, Kazakh words are only
case-folded and matched by prefix. A word's script decides its treatment, not the record's
declared language, because records mix languages (an English name in a Russian text).
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

# Letters and digits: the underscore, which \w allows, is a separator for both databases.
WORD = re.compile(r"[^\W_]+")
LATIN = re.compile(r"[a-z]")
CYRILLIC = re.compile(r"[а-я]")
KAZAKH_LETTERS = set("әғқңөұүһі")

MAX_QUERY_LENGTH = 500
MAX_QUERY_TERMS = 32
MIN_PREFIX = 3

# Words too common to narrow a search (kept short on purpose: the semantic side reads them).
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "with",
        "и",
        "в",
        "во",
        "на",
        "не",
        "что",
        "с",
        "со",
        "как",
        "а",
        "по",
        "из",
        "к",
        "у",
        "о",
        "об",
        "от",
        "для",
        "за",
        "до",
        "при",
        "или",
        "это",
        "его",
        "ее",
        "их",
        "және",
        "мен",
        "бен",
        "пен",
        "үшін",
        "бойынша",
        "да",
        "де",
        "бұл",
        "осы",
    ]
)

_english = snowballstemmer.stemmer("english")
_russian = snowballstemmer.stemmer("russian")


def fold(word: str) -> str:
    return word.casefold().replace("ё", "е")


@lru_cache(maxsize=200_000)
def _stem(word: str, language: str) -> str:
    return (_english if language == "en" else _russian).stemWord(word)


def script(word: str) -> str:
    """'en' for Latin words, 'kk' for words with Kazakh-only letters, 'cyr' for other Cyrillic,
    '' for the rest (numbers, other scripts)."""
    if LATIN.search(word):
        return "en"
    if KAZAKH_LETTERS.intersection(word):
        return "kk"
    if CYRILLIC.search(word):
        return "cyr"
    return ""


def index_term(word: str, language: str) -> str:
    """The form a folded word takes in the index of a record written in `language`."""
    kind = script(word)
    if kind == "en":
        return _stem(word, "en")
    if kind == "cyr" and language != "kk":
        return _stem(word, "ru")
    return word


def words(text: str) -> list[str]:
    return [fold(m.group()) for m in WORD.finditer(text or "")]


def index_terms(text: str, language: str) -> str:
    """Space-separated index terms of a text; stop words stay out."""
    return " ".join(index_term(w, language) for w in words(text) if w not in STOPWORDS)


@dataclass(frozen=True)
class Term:
    """One query word: the index forms that match it, exactly or as a prefix."""

    exact: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()

    def matches(self, indexed: str) -> bool:
        return indexed in self.exact or any(indexed.startswith(p) for p in self.prefixes)


@dataclass
class Query:
    """A parsed query: words to match (all of them), phrases, and what the reader typed."""

    text: str
    terms: list[Term] = field(default_factory=list)
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    error: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.phrases

    def all_terms(self) -> list[Term]:
        return self.terms + [Term(exact=(w,)) for phrase in self.phrases for w in phrase]

    # -- the same query in each database's syntax --------------------------------------

    def fts5(self, any_term: bool = False) -> str:
        """An FTS5 MATCH expression. Every word is quoted, so nothing the reader typed is
        read as FTS5 syntax."""
        parts = []
        for term in self.terms:
            options = [f'"{w}"' for w in term.exact] + [f'"{p}"*' for p in term.prefixes]
            parts.append("(" + " OR ".join(options) + ")")
        for phrase in self.phrases:
            parts.append('"' + " ".join(phrase) + '"')
        return (" OR " if any_term else " AND ").join(parts)

    def tsquery(self, any_term: bool = False) -> str:
        """A PostgreSQL to_tsquery('simple', ...) expression. Terms are made of word
        characters only, so they need no quoting."""
        parts = []
        for term in self.terms:
            options = list(term.exact) + [f"{p}:*" for p in term.prefixes]
            parts.append("(" + " | ".join(options) + ")")
        for phrase in self.phrases:
            parts.append("(" + " <-> ".join(phrase) + ")")
        return (" | " if any_term else " & ").join(parts)


def query_term(word: str, user_prefix: bool = False) -> Term:
    """The index forms a query word may take: a word's script tells its stemmer, and plain
    Cyrillic may be Russian (stemmed) or Kazakh (folded, matched by prefix)."""
    if user_prefix:
        return Term(prefixes=(word,))
    kind = script(word)
    if kind == "en":
        return Term(exact=(_stem(word, "en"),))
    if kind == "cyr":
        stem = _stem(word, "ru")
        prefixes = (word,) if len(word) >= MIN_PREFIX else ()
        return Term(exact=(stem,), prefixes=prefixes)
    if kind == "kk" and len(word) >= MIN_PREFIX:
        return Term(prefixes=(word,))
    return Term(exact=(word,))


QUOTED = re.compile(r'"([^"]*)"')


def parse(text: str) -> Query:
    """Read what the reader typed. Anything but words, quotes and a trailing * is ignored:
    operators and punctuation never reach the database as syntax."""
    text = (text or "").strip()
    query = Query(text=text)
    if len(text) > MAX_QUERY_LENGTH:
        query.error = "too_long"
        return query
    phrases = []
    for match in QUOTED.finditer(text):
        phrase = [index_term(w, "") for w in words(match.group(1))]
        if len(phrase) > 1:
            phrases.append(tuple(phrase))
        elif phrase:
            text += " " + match.group(1)  # a quoted single word is a word
    rest = QUOTED.sub(" ", text).replace('"', " ")
    seen = set()
    for match in re.finditer(r"([^\W_]+)(\*?)", rest):
        word, star = fold(match.group(1)), bool(match.group(2))
        if (word in STOPWORDS and not star) or (word, star) in seen:
            continue
        seen.add((word, star))
        query.terms.append(query_term(word, star))
    query.phrases = phrases
    if len(query.terms) + len(query.phrases) > MAX_QUERY_TERMS:
        query.error = "too_many_terms"
    return query


#: a snippet is chosen from the first stretch of a text, this many characters long, with a
#: query word in it, not from the whole text: a law of 100,000 characters took 8 ms to read
#: whole, and a page lists twenty. A shorter text is read whole, as one stretch.
SNIPPET_STRETCH = 20_000
#: and from no further than this into the text: past it, the snippet shows its beginning
SNIPPET_READS_AT_MOST = 100_000
SEPARATOR = re.compile(r"[\W_]")
LINE_BREAK = re.compile(r"\s*\n\s*")


def highlight(
    text: str, language: str, query: Query, width: int = 30, memo: dict | None = None
) -> str:
    """HTML: the window of `width` words of `text` with the most query words, each marked,
    within the first stretch of SNIPPET_STRETCH characters that has any. `memo` may carry
    what is known of words between calls for the same query (a page of results repeats many
    words)."""
    text = text or ""
    terms = query.all_terms()
    known = ({} if memo is None else memo).setdefault(language, {})  # word -> is a hit
    surface: list[str] = []
    hits: list[bool] = []
    end, found = 0, False
    while end < min(len(text), SNIPPET_READS_AT_MOST) and not found and (terms or end == 0):
        stop = end + SNIPPET_STRETCH
        after = SEPARATOR.search(text, stop) if stop < len(text) else None
        stop = after.start() if after else len(text)  # never in the middle of a word
        stretch = WORD.findall(text, end, stop)
        # Each distinct word is tested once; a text repeats most of its words.
        for word in set(stretch).difference(known):
            indexed = index_term(fold(word), language)
            known[word] = any(t.matches(indexed) for t in terms)
        stretch_hits = [known[word] for word in stretch]
        found = any(stretch_hits)
        surface += stretch
        hits += stretch_hits
        end = stop
    if not surface:
        return ""
    # Hits in each window of `width` words; the first window with the most wins.
    n = len(surface)
    best_start = 0
    if n > width:
        before = [0, *itertools.accumulate(hits)]
        counts = [last - first for first, last in zip(before, before[width:], strict=False)]
        best_start = counts.index(max(counts))
    window = range(best_start, min(n, best_start + width))
    tokens = itertools.islice(WORD.finditer(text), window.start, window.stop)
    out: list[str] = []
    cursor: int | None = None
    for i, match in zip(window, tokens, strict=True):
        if cursor is not None:  # words need no escaping: letters and digits only
            # A line break in the text (between a profile's answers, a law's articles) would
            # vanish in HTML and run two lines together: it shows as a visible separator.
            gap = LINE_BREAK.sub(" · ", text[cursor : match.start()])
            out.append(html.escape(gap))
        out.append(f"<mark>{match.group()}</mark>" if hits[i] else match.group())
        cursor = match.end()
    prefix = "… " if window.start > 0 else ""
    more = (
        window.stop < n or WORD.search(text, 0 if cursor is None else cursor) is not None
    )  # words read or not yet
    suffix = " …" if more else ""
    return prefix + "".join(out).strip() + suffix
