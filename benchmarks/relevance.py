"""Search quality on the demo data: recall@10 and nDCG@10 (binary relevance) of lexical,
semantic and hybrid search over the relevance set in benchmarks/relevance/queries.json.

`python -m benchmarks.relevance --out FILE` runs against the database of the environment,
which must hold the demo data with its vectors (`civhub demo` with CIVHUB_TASKS_IMMEDIATE=1);
`run()` makes such a database of its own under var/bench/relevance and runs it there.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import defaultdict
from pathlib import Path

from benchmarks.common import BIN, RESULTS, VAR, read_json, setup_django, write_json
from benchmarks.sites import Site

QUERIES = Path(__file__).resolve().parent / "relevance" / "queries.json"
MODES = ("lexical", "semantic", "hybrid")
K = 10


def load_set(path: Path = QUERIES) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def load_nonsense(path: Path = QUERIES) -> list[dict]:
    """Queries outside the hub's field: every result they get is a wrong one."""
    return json.loads(path.read_text(encoding="utf-8")).get("nonsense", [])


def recall_at(found: list[str], relevant: set[str], k: int = K) -> float:
    return len(set(found[:k]) & relevant) / len(relevant)


def ndcg_at(found: list[str], relevant: set[str], k: int = K) -> float:
    dcg = sum(1 / math.log2(rank + 2) for rank, path in enumerate(found[:k]) if path in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), k)))
    return dcg / ideal


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 3) if values else float("nan")


def evaluate(queries: list[dict], search, nonsense: list[dict] = ()) -> dict:
    """`search(q, mode)` returns the paths found, best first. The metrics per mode, overall,
    for the cross-language queries and per query language, and every query's figures; and
    per mode, how many of the nonsense queries found anything (and which)."""
    rows = []
    for item in queries:
        relevant = {answer["path"] for answer in item["answers"]}
        row = {"id": item["id"], "query": item["query"], "cross": item["cross_language"]}
        for mode in MODES:
            found = search(item["query"], mode)
            row[mode] = {
                "recall": recall_at(found, relevant),
                "ndcg": ndcg_at(found, relevant),
                "missed": sorted(relevant - set(found[:K])),
            }
        row["language"] = item["language"]
        rows.append(row)

    def summary(subset: list[dict]) -> dict:
        return {
            mode: {
                "recall": _mean([r[mode]["recall"] for r in subset]),
                "ndcg": _mean([r[mode]["ndcg"] for r in subset]),
            }
            for mode in MODES
        } | {"queries": len(subset)}

    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row["language"]].append(row)
    return {
        "all": summary(rows),
        "cross": summary([r for r in rows if r["cross"]]),
        "same": summary([r for r in rows if not r["cross"]]),
        "by_language": {language: summary(subset) for language, subset in groups.items()},
        "rows": rows,
        "nonsense": {
            mode: {
                "queries": len(nonsense),
                "answered": sorted(item["id"] for item in nonsense if search(item["query"], mode)),
            }
            for mode in MODES
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    setup_django()
    from django.utils import translation

    from civhub.search import indexing, services

    indexing.embed_documents()  # any vector the demo's loading left to background work

    def search(q: str, mode: str) -> list[str]:
        with translation.override("en"):
            results = services.search(services.Params(q=q, mode=mode, limit=K))
        # Result URLs are the reader's: "/en/practices/slug/" -> "/practices/slug/"
        return ["/" + r.url.split("/", 2)[2] for r in results.results]

    write_json(args.out, evaluate(load_set(), search, load_nonsense()))


def run() -> dict:
    """Load the demo data into a fresh SQLite database of our own and evaluate there."""
    site = Site(VAR / "relevance")
    out = RESULTS / "relevance.json"
    print("\n== relevance on the demo data ==", flush=True)
    site.create()
    site.migrate()
    site.demo()
    evaluate = [str(BIN / "python"), "-m", "benchmarks.relevance", "--out", str(out)]
    site.run(evaluate, "the relevance run", quiet=True)
    return read_json(out)


if __name__ == "__main__":
    main()
