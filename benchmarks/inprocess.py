"""Timings taken inside one Python process against the database of the environment
(`python -m benchmarks.inprocess --out FILE`), for the same queries the server is sent:

- floor: the raw full-text query alone (lexical.raw_search: FTS5 MATCH or tsvector @@, ranked,
  20 rows), the query already parsed; when no document has every word, followed by its
  any-word form, as the lexical half of search does;
- substring: what most sites do, Django admin's search: a case-insensitive substring scan of
  the same fields, `filter(Q(title__icontains=q) | Q(body__icontains=q))[:20]`, evaluated;
- embed: the query's embedding alone;
- hybrid_inprocess: services.search in hybrid mode without HTTP, to tell the stack's share.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks.common import setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--substring-rounds", type=int, default=1)
    args = parser.parse_args()

    setup_django()
    from django.db import connection
    from django.db.models import Q

    from benchmarks.common import disable_query_cache, percentiles, write_json
    from benchmarks.queries import QUERIES
    from civhub.search import lexical, services, text
    from civhub.search.embeddings import get_embedder
    from civhub.search.models import SearchDocument

    queries = [q for _language, _kind, q in QUERIES]
    parsed = [text.parse(q) for q in queries]
    embedder = get_embedder()
    disable_query_cache()

    def timed(fn, rounds: int) -> list[float]:
        samples = []
        for _round in range(rounds):
            for i in range(len(queries)):
                start = time.perf_counter()
                fn(i)
                samples.append(time.perf_counter() - start)
        return samples

    def floor(i):
        query = parsed[i]
        if not lexical.raw_search(query, 20) and len(query.terms) + len(query.phrases) > 1:
            lexical.raw_search(query, 20, any_term=True)

    def substring(i):
        q = queries[i].replace('"', "").strip()
        list(SearchDocument.objects.filter(Q(title__icontains=q) | Q(body__icontains=q))[:20])

    def embed(i):
        embedder.query(queries[i])

    def hybrid(i):
        services.search(services.Params(q=queries[i], mode="hybrid", limit=20))

    # Warm: the connection, the model, the vectors, the database's caches.
    for i in range(len(queries)):
        floor(i)
        embed(i)
    hybrid(0)
    substring(0)

    results = {
        "vendor": connection.vendor,
        "documents": SearchDocument.objects.count(),
        "floor": percentiles(timed(floor, args.rounds)),
        "embed": percentiles(timed(embed, args.rounds)),
        "hybrid_inprocess": percentiles(timed(hybrid, args.rounds)),
        "substring": percentiles(timed(substring, args.substring_rounds)),
        "floor_by_query": {},
    }
    # Where the floor is slowest: which queries cost the index most.
    per_query = []
    for i, q in enumerate(queries):
        samples = []
        for _round in range(3):
            start = time.perf_counter()
            floor(i)
            samples.append(time.perf_counter() - start)
        per_query.append((min(samples) * 1000, q))
    results["floor_by_query"] = {q: round(ms, 2) for ms, q in sorted(per_query, reverse=True)[:8]}
    write_json(args.out, results)


if __name__ == "__main__":
    main()
