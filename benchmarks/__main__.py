"""`python -m benchmarks` (`make bench`): relevance on the demo data, then latency and memory at
each corpus size on SQLite and on PostgreSQL; writes docs/benchmarks.md and prints a summary.

`python -m benchmarks corpus --n N ...` writes the benchmark's synthetic documents into the
database of the environment (benchmarks/corpus.py; `--help` lists its options).

Environment:
  BENCH_SIZES=1000,10000   corpus sizes (default 10000,100000); the targets are judged at
                           the largest, growth from the smallest to the largest
  BENCH_ROUNDS=3           passes over the query set per mode
  BENCH_DATABASES=sqlite   only these (sqlite, postgresql; default both)
  BENCH_SKIP_RELEVANCE=1   no relevance run
  BENCH_SKIP_LATENCY=1     no latency runs
  BENCH_SKIP_LOAD=1        no load runs (benchmarks/load.py; `python -m benchmarks.load` runs
                           them alone)
  BENCH_LOAD_SECONDS=60    each load measurement's length (e.g. 10 to try it)
  BENCH_LOAD_CLIENTS=20,50 concurrent clients
  BENCH_LOAD_SHAPES=2x1,2x4,4x1,8x1  gunicorn workers x threads; the first is `make run`'s
  BENCH_LOAD_DOCS=30000    benchmark documents beside the demo data in the load's databases
  BENCH_LOAD_PORT=8180     the load's server port (loopback)
  BENCH_PG_URL             the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/)
  CIVHUB_REQUIRE_POSTGRES=1  fail instead of skipping PostgreSQL when it is unreachable
  BENCH_OUT=path.md        where to write the page

Without BENCH_OUT, docs/benchmarks.md is rewritten only by a run at 100,000 documents (the
targets' size); other runs write var/bench/benchmarks.md. The environment is passed on to the
server, so e.g. `OMP_NUM_THREADS=1 make bench` measures the site run with that setting.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime
from pathlib import Path

from benchmarks import latency, load, relevance, report
from benchmarks.common import CACHE, DOCS, VAR, setup_django, write_json
from benchmarks.sites import databases

TARGET_SIZE = 100_000


def _sizes() -> list[int]:
    raw = os.environ.get("BENCH_SIZES", "10000,100000")
    try:
        sizes = sorted({int(s.replace("_", "")) for s in raw.split(",") if s.strip()})
    except ValueError:
        raise SystemExit(
            f"BENCH_SIZES must be whole numbers separated by commas, not {raw!r}."
        ) from None
    if not sizes or sizes[0] < 1:
        raise SystemExit(f"BENCH_SIZES must name positive sizes, not {raw!r}.")
    return sizes


def corpus(argv: list[str]) -> int:
    setup_django()
    # Imported once Django is set up: the corpus writes through the models.
    from benchmarks import corpus

    return corpus.main(argv)


def main() -> int:
    started = time.perf_counter()
    sizes = _sizes()
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    vendors = databases("PostgreSQL run")
    cached = CACHE.exists() and any(CACHE.glob("pool-*.npy"))
    run = {
        "started": datetime.now().astimezone().isoformat(timespec="seconds"),
        "load_before": os.getloadavg(),
        "sizes": sizes,
        "rounds": rounds,
        "pool_cached": cached,
        "machine": report.machine(postgres="postgresql" in vendors),
    }
    quality = None
    if os.environ.get("BENCH_SKIP_RELEVANCE") != "1":
        quality = relevance.run()
    cases = []
    if os.environ.get("BENCH_SKIP_LATENCY") != "1":
        cases = [latency.run_case(vendor, n, rounds) for vendor in vendors for n in sizes]
    run["seconds"] = round(time.perf_counter() - started, 1)
    run["load_after"] = os.getloadavg()
    write_json(VAR / "results" / "run.json", run)

    verdicts = []
    if cases or quality:
        target = DOCS if sizes[-1] == TARGET_SIZE and cases else VAR / "benchmarks.md"
        if os.environ.get("BENCH_OUT"):
            target = Path(os.environ["BENCH_OUT"])
        verdicts = report.write(target, run, cases, quality)
        print("\n" + report.summary(run, cases, quality, verdicts))
        print(f"\nWritten to {target} ({run['seconds'] / 60:.1f} minutes).")
    loaded = True
    if os.environ.get("BENCH_SKIP_LOAD") != "1":
        _meta, load_cases = load.run()
        loaded = load.zero_errors(load_cases)
    return 0 if all(v["pass"] for v in verdicts) and loaded else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["corpus"]:
        sys.exit(corpus(sys.argv[2:]))
    if sys.argv[1:]:
        # Anything else (--help, a typo) is shown what it takes rather than run for an hour.
        print(__doc__)
        sys.exit(0 if sys.argv[1] in ("-h", "--help") else 2)
    sys.exit(main())
