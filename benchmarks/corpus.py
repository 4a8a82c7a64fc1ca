"""A synthetic search corpus for the benchmarks (`python -m benchmarks corpus`,
docs/benchmarks.md).

Documents are written straight into the search index, in English, Russian and Kazakh, spread
over the record types as on a real hub (mostly practices and laws). Their text is composed
from a finite pool of sentences and titles built from the phrase lists in benchmarks/data/
(one file per language, and the countries' names in all three), written for this purpose;
slots ({country}, {year}, numbers, names) are filled per document, so documents differ in
their rarer words as real ones do.

Vectors: the pool is embedded once with the configured model and cached on disk; a document's
vector is the normalized mean of its title's (counted twice) and its sentences' vectors. That
keeps a 100,000-document corpus to a few thousand embeddings. Latency does not depend on which
vectors the documents have; relevance is measured on the demo data with real embeddings.

Every document's `object_id` starts with `bench-`, which is how `remove()` finds them and
only them. The command refuses a database that holds data other than the demo's unless told
(`--allow-real-data`): its documents are public, and a site's readers would find them.

Django must be set up before this module is imported (`python -m benchmarks corpus` does it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from tqdm import tqdm

from civhub.accounts.demo import data_not_from_the_demo
from civhub.directory.models import Country, Topic
from civhub.search import indexing, signals, text
from civhub.search.embeddings import get_embedder, text_hash
from civhub.search.models import Audience, SearchDocument

PREFIX = "bench-"
MAX_N = 1_000_000
BATCH = 2000
EMBED_BATCH = 32
#: the pool is the same whatever the --seed: only the documents' composition changes
POOL_SEED = 4_2024
#: action sentences per topic and language in the pool
ACTIONS_PER_TOPIC = 40

LANGUAGE_SHARES = {"en": 0.5, "ru": 0.3, "kk": 0.2}
# kind: (share of records, URL segment, body words min, median, max)
KINDS = {
    "practice": (0.45, "practices", 100, 220, 400),
    "law": (0.35, "laws", 80, 160, 400),
    "organization": (0.08, "organizations", 80, 110, 150),
    "profile": (0.06, "profiles", 150, 280, 400),
    "expert": (0.06, "people", 80, 100, 150),
}
# how many language versions a record has: 1 (most), 2 or 3
VERSIONS = {1: 0.75, 2: 0.2, 3: 0.05}

# -- the phrase lists ----------------------------------------------------------------------

DATA = Path(__file__).resolve().parent / "data"


def _load_countries() -> list[list[str]]:
    """ISO code, then English; Russian nominative, genitive, "in ..."; Kazakh nominative,
    genitive, locative."""
    lines = (DATA / "countries.txt").read_text(encoding="utf-8").splitlines()
    rows = [line.strip().split("|") for line in lines if line.strip() and line[0] != "#"]
    bad = [row[0] for row in rows if len(row) != 8]
    if bad:
        raise ValueError(f"{DATA / 'countries.txt'}: not 8 columns in the rows of {bad}.")
    return rows


def _load_phrases() -> dict[str, dict]:
    """Per language: people's names (for experts); what every topic's sentences share
    (`general`: opening, actor, verb, and whole sentences); each topic's title heads, the
    subject of a law, objects of the verbs, goals, the problem before the reform and its
    results; and the sentence and title patterns. Every language has the same topics, in the
    same order (a topic's sentences are drawn by its place)."""
    phrases = {
        language: json.loads((DATA / f"{language}.json").read_text(encoding="utf-8"))
        for language in LANGUAGE_SHARES
    }
    order = {language: list(p["topics"]) for language, p in phrases.items()}
    if len({tuple(slugs) for slugs in order.values()}) != 1:
        raise ValueError(f"The languages in {DATA} do not have the same topics: {order}.")
    return phrases


COUNTRIES = _load_countries()
PHRASES = _load_phrases()
TOPICS = list(PHRASES["en"]["topics"])


def _country_slots(row: list[str], language: str, suffix: str = "") -> dict[str, str]:
    code, en, ru, ru_gen, ru_in, kk, kk_gen, kk_loc = row
    forms = {
        "en": (en, en, f"in {en}"),
        "ru": (ru, ru_gen, ru_in),
        "kk": (kk, kk_gen, kk_loc),
    }[language]
    return {
        f"country{suffix}": forms[0],
        f"country{suffix}_gen": forms[1],
        f"country{suffix}_in": forms[2],
    }


# The values slots take when a pool text is embedded (any fixed values do).
CANONICAL = {
    "year": "2016",
    "year2": "2019",
    "n": "24",
    "k": "3",
    "pct": "30",
    "name": "Aigerim Sadykova",
}


# -- the pool ----------------------------------------------------------------------------


@dataclass
class Pool:
    """Every text documents are made of, each with its vector's row in `vectors`."""

    texts: list[str] = field(default_factory=list)
    # (language, topic) -> indexes of action sentences; (language, topic, "problem"|"result")
    # -> indexes; (language, "general") -> indexes
    groups: dict[tuple, list[int]] = field(default_factory=dict)
    # (language, kind, topic) -> indexes of titles
    titles: dict[tuple, list[int]] = field(default_factory=dict)
    vectors: np.ndarray | None = None

    def add(self, key: tuple, text: str, titles: bool = False) -> None:
        (self.titles if titles else self.groups).setdefault(key, []).append(len(self.texts))
        self.texts.append(text)


def _capitalize(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def build_pool() -> Pool:
    rng = random.Random(POOL_SEED)
    pool = Pool()
    for language, phrases in PHRASES.items():
        parts = phrases["general"]
        for sentence in parts["sentence"]:
            pool.add((language, "general"), sentence)
        for slug in TOPICS:
            topic = phrases["topics"][slug]
            combos: set[tuple[int, int, int, int, int]] = set()
            while len(combos) < ACTIONS_PER_TOPIC:
                combos.add(
                    (
                        rng.randrange(len(parts["opening"])),
                        rng.randrange(len(parts["actor"])),
                        rng.randrange(len(parts["verb"])),
                        rng.randrange(len(topic["object"])),
                        rng.randrange(len(topic["goal"])),
                    )
                )
            for o, a, v, ob, g in sorted(combos):
                sentence = phrases["sentence_form"].format(
                    opening=parts["opening"][o],
                    actor=parts["actor"][a],
                    verb=parts["verb"][v],
                    object=topic["object"][ob],
                    goal=topic["goal"][g],
                )
                pool.add((language, slug), _capitalize(sentence))
            for problem in topic["problem"]:
                pool.add(
                    (language, slug, "problem"), phrases["problem_form"].format(problem=problem)
                )
            for result in topic["result"]:
                pool.add((language, slug, "result"), result)
            for kind, forms in phrases["title_forms"].items():
                fills = topic["law"] if kind in ("law", "organization", "expert") else topic["head"]
                for form in forms:
                    for fill in fills:
                        title = form.replace("{head}", fill).replace("{law}", fill)
                        pool.add((language, kind, slug), _capitalize(title), titles=True)
    return pool


def canonical_text(template: str, language: str) -> str:
    """A pool text with its slots filled by fixed values, as it is embedded."""
    values = dict(CANONICAL)
    values |= _country_slots(COUNTRIES[0], language)
    values |= _country_slots(COUNTRIES[7], language, suffix="2")
    values["country_loc"] = values["country_in"]
    return _fill(template, values)


def _fill(template: str, values: dict[str, str]) -> str:
    return template.format_map(values) if "{" in template else template


def pool_key(pool: Pool, model: str) -> str:
    digest = hashlib.sha1(model.encode())
    for t in pool.texts:
        digest.update(t.encode() + b"\0")
    return digest.hexdigest()[:16]


def _language_of(pool: Pool) -> list[str]:
    languages = [""] * len(pool.texts)
    for key, indexes in list(pool.groups.items()) + list(pool.titles.items()):
        for i in indexes:
            languages[i] = key[0]
    return languages


def embed_pool(pool: Pool, cache_dir: Path | None, progress: Callable | None = None) -> None:
    """Give the pool its vectors, from the cache when it has them, else from the model
    (and then into the cache)."""
    embedder = get_embedder()
    path = None
    if cache_dir is not None:
        path = Path(cache_dir) / f"pool-{pool_key(pool, embedder.name)}.npy"
        if path.exists():
            vectors = np.load(path)
            if vectors.shape == (len(pool.texts), embedder.dim):
                pool.vectors = vectors
                return
    languages = _language_of(pool)
    texts = [canonical_text(t, lang) for t, lang in zip(pool.texts, languages, strict=True)]
    vectors = np.empty((len(texts), embedder.dim), dtype=np.float32)
    for start in range(0, len(texts), EMBED_BATCH):
        vectors[start : start + EMBED_BATCH] = embedder.passages(texts[start : start + EMBED_BATCH])
        if progress:
            progress(min(start + EMBED_BATCH, len(texts)), len(texts))
    pool.vectors = vectors
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, vectors)
        tmp.replace(path)


# -- documents ---------------------------------------------------------------------------


@dataclass
class Plan:
    """One document to write."""

    kind: str
    object_id: str
    language: str
    is_original: bool
    path: str
    year: int
    title: str
    body: str
    parts: list[int]  # pool indexes: the title first
    country_codes: list[str]
    topics: list[str]


def _choose(rng: random.Random, shares: dict):
    """A key of `shares` (key: share, or key: (share, ...)), drawn by its share."""
    r, total = rng.random(), 0.0
    for key, share in shares.items():
        total += share[0] if isinstance(share, tuple) else share
        if r < total:
            return key
    return key


def _word_target(rng: random.Random, low: int, median: int, high: int) -> int:
    return int(min(high, max(low, rng.lognormvariate(math.log(median), 0.45))))


def _values(rng: random.Random, language: str, country: list[str], other: list[str], year: int):
    values = _country_slots(country, language) | _country_slots(other, language, suffix="2")
    values["country_loc"] = values["country_in"] if language == "kk" else values["country"]
    names = PHRASES[language]["names"]
    first, last = names["first"], names["last"]
    values |= {
        "year": str(year),
        "year2": str(min(2025, year + rng.randint(1, 6))),
        "n": str(rng.choice([12, 15, 18, 24, 30, 35, 40, 48, 60, 75, 120, 150, 240, 300])),
        "k": str(rng.randint(2, 9)),
        "pct": str(rng.choice([10, 12, 15, 18, 20, 25, 30, 35, 40, 45, 60])),
        "name": f"{rng.choice(first)} {rng.choice(last)}",
    }
    return values


def _compose(
    rng: random.Random, pool: Pool, language: str, kind: str, topics: list[str], values: dict
) -> tuple[str, str, list[int]]:
    _share, _segment, low, median, high = KINDS[kind]
    target = _word_target(rng, low, median, high)
    main = topics[0]
    titles = pool.titles[(language, kind, main)]
    title_i = rng.choice(titles)
    for _attempt in range(5):  # titles of 6 to 15 words where the slots allow
        if len(_fill(pool.texts[title_i], values).split()) <= 15:
            break
        title_i = rng.choice(titles)
    parts = [title_i]
    used: set[int] = set()

    def pick(key):
        choices = pool.groups[key]
        for _attempt in range(4):  # a sentence once per document, mostly
            i = rng.choice(choices)
            if i not in used:
                break
        used.add(i)
        return i

    paragraphs: list[list[int]] = [[pick((language, main, "problem")), pick((language, "general"))]]
    words = sum(len(pool.texts[i].split()) for i in paragraphs[0])
    current: list[int] = []
    while words < target:
        r = rng.random()
        if r < 0.6:
            i = pick((language, main))
        elif r < 0.75 and len(topics) > 1:
            i = pick((language, topics[1]))
        elif r < 0.85:
            i = pick((language, main, "result"))
        else:
            i = pick((language, "general"))
        length = len(pool.texts[i].split())
        if words + length > high:
            break
        current.append(i)
        words += length
        if len(current) >= rng.randint(3, 5):
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    body = "\n\n".join(
        " ".join(_fill(pool.texts[i], values) for i in paragraph) for paragraph in paragraphs
    )
    parts += [i for paragraph in paragraphs for i in paragraph]
    return _fill(pool.texts[title_i], values), body, parts


def plan(n: int, seed: int, pool: Pool) -> list[Plan]:
    """The `n` documents of a corpus, the same for the same seed."""
    rng = random.Random(seed)
    plans: list[Plan] = []
    record = 0
    while len(plans) < n:
        record += 1
        kind = _choose(rng, KINDS)
        count = _choose(rng, VERSIONS)
        languages = [_choose(rng, LANGUAGE_SHARES)]
        others = [code for code in LANGUAGE_SHARES if code != languages[0]]
        rng.shuffle(others)
        languages += others[: int(count) - 1]
        country = rng.choice(COUNTRIES)
        codes = [country[0]]
        if rng.random() < 0.2:
            codes.append(rng.choice(COUNTRIES)[0])
        other = rng.choice([c for c in COUNTRIES if c is not country])
        topics = [rng.choice(TOPICS)]
        if rng.random() < 0.4:
            topics.append(rng.choice([t for t in TOPICS if t != topics[0]]))
        low, high = {"law": (1995, 2025), "profile": (2018, 2025)}.get(kind, (2005, 2025))
        year = rng.randint(low, high)
        object_id = f"{PREFIX}{seed}-{record}"
        segment = KINDS[kind][1]
        for i, language in enumerate(languages):
            if len(plans) == n:
                break
            values = _values(rng, language, country, other, year)
            title, body, parts = _compose(rng, pool, language, kind, topics, values)
            plans.append(
                Plan(
                    kind=kind,
                    object_id=object_id,
                    language=language,
                    is_original=(i == 0),
                    path=f"/{segment}/{object_id}/",
                    year=year,
                    title=title,
                    body=body,
                    parts=parts,
                    country_codes=sorted(set(codes)),
                    topics=topics,
                )
            )
    return plans


def vector_of(pool: Pool, parts: list[int]) -> np.ndarray:
    """The normalized mean of the title's (counted twice) and the sentences' vectors."""
    assert pool.vectors is not None, "embed the pool first"
    rows = pool.vectors[[parts[0], *parts]]
    mean = rows.mean(axis=0)
    return (mean / max(float(np.linalg.norm(mean)), 1e-6)).astype(np.float32)


# -- writing and removing ----------------------------------------------------------------


def bench_documents():
    return SearchDocument.objects.filter(object_id__startswith=PREFIX)


def count() -> int:
    return bench_documents().count()


def remove() -> int:
    """Delete every benchmark document (and its links to countries and topics), nothing else."""
    docs = bench_documents()
    removed = docs.count()
    if not removed:
        return 0
    with transaction.atomic():
        for name in ("countries", "topics", "sdg_targets"):
            through = getattr(SearchDocument, name).through
            through.objects.filter(searchdocument__object_id__startswith=PREFIX).delete()
        table = SearchDocument._meta.db_table
        with connection.cursor() as cursor:
            # One statement: the ORM would first load every id to cascade by hand.
            cursor.execute(f"DELETE FROM {table} WHERE object_id LIKE %s", [PREFIX + "%"])
        indexing.bump_generation()
    return removed


@dataclass
class Report:
    written: int = 0
    removed: int = 0
    with_vectors: bool = True


def write(
    n: int,
    seed: int = 1,
    *,
    vectors: bool = True,
    cache_dir: Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Report:
    """Write `n` benchmark documents (the same ones for the same seed) and bump the index's
    generation. `progress(stage, done, total)` is called as the work goes on."""
    if not 1 <= n <= MAX_N:
        raise ValueError(f"n must be between 1 and {MAX_N:,}, not {n}.")
    pool = build_pool()
    if vectors:
        embed_pool(
            pool, cache_dir, progress and (lambda done, total: progress("embed", done, total))
        )
    plans = plan(n, seed, pool)
    model = get_embedder().name if vectors else ""
    countries = dict(Country.objects.values_list("code", "pk"))
    topics = dict(Topic.objects.values_list("slug", "pk"))
    country_links = SearchDocument.countries.through
    topic_links = SearchDocument.topics.through
    report = Report(with_vectors=vectors)
    with signals.paused():
        for start in range(0, n, BATCH):
            batch = plans[start : start + BATCH]
            docs = []
            for p in batch:
                doc = SearchDocument(
                    kind=p.kind,
                    object_id=p.object_id,
                    language=p.language,
                    is_original=p.is_original,
                    audience=Audience.PUBLIC,
                    title=p.title,
                    body=p.body,
                    title_terms=text.index_terms(p.title, p.language),
                    body_terms=text.index_terms(p.body, p.language),
                    path=p.path,
                    year=p.year,
                    text_hash=text_hash(p.title, p.body),
                )
                if vectors:
                    doc.vector = vector_of(pool, p.parts).tobytes()
                    doc.vector_hash = doc.text_hash
                    doc.vector_model = model
                docs.append(doc)
            with transaction.atomic():
                SearchDocument.objects.bulk_create(docs)
                country_links.objects.bulk_create(
                    country_links(searchdocument_id=doc.pk, country_id=countries[code])
                    for doc, p in zip(docs, batch, strict=True)
                    for code in p.country_codes
                    if code in countries
                )
                topic_links.objects.bulk_create(
                    topic_links(searchdocument_id=doc.pk, topic_id=topics[slug])
                    for doc, p in zip(docs, batch, strict=True)
                    for slug in p.topics
                    if slug in topics
                )
            report.written += len(docs)
            if progress:
                progress("write", report.written, n)
    indexing.bump_generation()
    return report


# -- the command -------------------------------------------------------------------------


class Refused(Exception):
    """What the command will not do, and why."""


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if not 1 <= n <= MAX_N:
        raise argparse.ArgumentTypeError(
            f"must be a whole number from 1 to {MAX_N:,}, not {value!r}"
        )
    return n


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks corpus",
        description=(
            "Write N synthetic search documents (English, Russian, Kazakh) for the benchmarks "
            "into the database of the environment (DATABASE_URL, CIVHUB_VAR_DIR). They are "
            "marked so that --replace and --clear remove only them."
        ),
    )
    parser.add_argument("--n", type=_positive_int, help="How many documents to write.")
    parser.add_argument(
        "--seed", type=int, default=1, help="The same seed writes the same documents."
    )
    parser.add_argument(
        "--replace", action="store_true", help="Remove the benchmark documents already there first."
    )
    parser.add_argument("--clear", action="store_true", help="Only remove the benchmark documents.")
    parser.add_argument(
        "--no-vectors",
        action="store_true",
        help="Write the documents without vectors (lexical search only).",
    )
    parser.add_argument(
        "--allow-real-data",
        action="store_true",
        help="Write into a database that holds data other than the demo's.",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        help="Where the sentence pool's vectors are cached (default: VAR_DIR/bench).",
    )
    parser.add_argument("--quiet", action="store_true", help="No progress bars.")
    return parser


def run(args: argparse.Namespace, out=sys.stdout) -> None:
    """Do what the command's arguments say, reporting to `out`; raises Refused."""
    reasons = [] if args.allow_real_data or args.clear else data_not_from_the_demo()
    if reasons:
        raise Refused(
            "This database holds data other than the demo's ("
            + "; ".join(reasons)
            + "): the benchmark's synthetic public documents would be found by its "
            "readers. Use a database of its own, or pass --allow-real-data."
        )
    if args.clear:
        if args.n is not None:
            raise Refused("--clear removes the benchmark documents: give no --n.")
        print(f"Removed {remove():,} benchmark documents.", file=out)
        return
    if args.n is None:
        raise Refused("Say how many documents to write with --n (e.g. --n 10000).")
    existing = count()
    if existing and not args.replace:
        raise Refused(
            f"{existing:,} benchmark documents are there already: add --replace to "
            "write new ones in their place, or --clear to remove them."
        )
    if existing:
        print(f"Removed {remove():,} benchmark documents.", file=out)
    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if args.quiet:
            return
        bar = bars.get(stage)
        if bar is None:
            label = {"embed": "embedding sentences", "write": "writing documents"}[stage]
            bar = bars[stage] = tqdm(total=total, desc=label, unit="", file=sys.stderr)
        bar.update(done - bar.n)

    try:
        report = write(
            args.n,
            args.seed,
            vectors=not args.no_vectors,
            cache_dir=args.cache_dir or Path(settings.VAR_DIR) / "bench",
            progress=progress,
        )
    finally:
        for bar in bars.values():
            bar.close()
    vectors = "with vectors" if report.with_vectors else "without vectors"
    print(f"Wrote {report.written:,} benchmark documents ({vectors}).", file=out)


def main(argv: list[str] | None = None) -> int:
    """`python -m benchmarks corpus ...`: 0 when done, 1 when refused (the reason on stderr),
    2 for arguments it does not take."""
    command = parser()
    args = command.parse_args(argv)
    try:
        run(args)
    except Refused as refused:
        print(f"{command.prog}: {refused}", file=sys.stderr)
        return 1
    return 0
