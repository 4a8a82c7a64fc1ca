"""What the benchmark scripts share: where things go, Django in their own processes, and the
statistics they report (the sites they build and serve: benchmarks.sites)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
CACHE = VAR / "cache"
RESULTS = VAR / "results"
BIN = Path(sys.executable).parent
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
DOCS = ROOT / "docs" / "benchmarks.md"


def setup_django() -> None:
    """Django for a benchmark's own process, on the database of its environment; a process
    that has it already (the test suite) keeps its own."""
    from django.apps import apps

    if not apps.ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civhub.settings")
        import django

        django.setup()


def percentiles(values: list[float]) -> dict[str, float]:
    """p50 and p95 in milliseconds of timings given in seconds."""
    if not values:
        return {"p50": float("nan"), "p95": float("nan"), "n": 0}
    p50, p95 = np.percentile(np.asarray(values) * 1000.0, [50, 95])
    return {"p50": round(float(p50), 2), "p95": round(float(p95), 2), "n": len(values)}


def disable_query_cache() -> None:
    """Make the embedder forget every text it has embedded, so each search pays for its query's
    embedding as a new query would: the latency query set repeats its queries."""
    from civhub.search.embeddings import get_embedder

    class Forgetful(dict):
        def get(self, key, default=None):
            return default

        def __setitem__(self, key, value):
            pass

    embedder = get_embedder()
    if hasattr(embedder, "_cache"):
        embedder._cache = Forgetful()


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))
