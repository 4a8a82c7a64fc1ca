"""Search latency and memory through the real server, for one database and one corpus size.

A fresh database is migrated and filled with `python -m benchmarks corpus` (benchmarks.sites);
gunicorn serves it with one worker, as `make run` serves the site; the fixed query set is sent
over HTTP, one request at a time, in each mode; the worker's memory is read from /proc. Then
the in-process timings (benchmarks.inprocess) are taken against the same database.
"""

from __future__ import annotations

import json
import os
import time
from urllib.parse import urlencode

from benchmarks.common import BIN, RESULTS, ROOT, VAR, percentiles, read_json, write_json
from benchmarks.queries import QUERIES
from benchmarks.sites import Server, Site

MODES = ("lexical", "semantic", "hybrid")


def search_path(endpoint: str, q: str, mode: str) -> str:
    if endpoint == "api":
        return "/api/v1/search?" + urlencode({"q": q, "mode": mode, "limit": 20})
    return "/en/search/?" + urlencode({"q": q, "mode": mode})


def find_endpoint(server: Server) -> str:
    """The API when it is there, else the search page: both run through the whole stack."""
    status, body = server.get(search_path("api", "civil service", "lexical"))
    if status == 200 and body.lstrip().startswith(b"{"):
        return "api"
    status, _body = server.get(search_path("page", "civil service", "lexical"))
    if status == 200:
        return "page"
    raise SystemExit("Neither /api/v1/search nor /en/search/ answers 200: nothing to measure.")


def measure_http(server: Server, endpoint: str, rounds: int) -> dict:
    queries = [q for _language, _kind, q in QUERIES]
    # Warm-up: the first search loads the vectors (and the model, if not yet loaded).
    for mode in MODES:
        for q in queries[:10]:
            status, _body = server.get(search_path(endpoint, q, mode))
            if status != 200:
                raise SystemExit(f"{endpoint} answered {status} to {q!r} ({mode}).")
    memory_warm = server.worker_memory()
    samples: dict[str, list[float]] = {mode: [] for mode in MODES}
    totals: dict[str, list[int]] = {mode: [] for mode in MODES}
    by_query: dict[str, dict[str, list[float]]] = {mode: {} for mode in MODES}
    for round_ in range(rounds):
        for mode in MODES:
            for q in queries:
                path = search_path(endpoint, q, mode)
                start = time.perf_counter()
                status, body = server.get(path)
                elapsed = time.perf_counter() - start
                if status != 200:
                    raise SystemExit(f"{endpoint} answered {status} to {q!r} ({mode}).")
                samples[mode].append(elapsed)
                by_query[mode].setdefault(q, []).append(elapsed)
                if endpoint == "api" and round_ == 0:
                    totals[mode].append(json.loads(body).get("total", 0))
    slowest = {
        mode: {
            q: round(min(times) * 1000, 1)
            for q, times in sorted(by_query[mode].items(), key=lambda kv: -min(kv[1]))[:6]
        }
        for mode in MODES
    }
    return {
        "endpoint": endpoint,
        **{mode: percentiles(samples[mode]) for mode in MODES},
        "mean_total": {
            mode: round(sum(t) / len(t), 1) if t else None for mode, t in totals.items()
        },
        "slowest": slowest,
        "memory_warm": memory_warm,
        "memory": server.worker_memory(),
    }


def run_case(vendor: str, n: int, rounds: int = 3, seed: int = 1) -> dict:
    """Build, serve and measure one database at one size; the figures are also saved to
    var/bench/results/<vendor>-<n>.json."""
    print(f"\n== {vendor}, {n:,} documents ==", flush=True)
    site = Site(VAR / f"{vendor}-{n}", f"civhub_bench_{n}" if vendor == "postgresql" else None)
    site.create()
    build = {
        "migrate_s": round(site.migrate(), 1),
        "corpus_s": round(site.corpus("--n", str(n), "--seed", str(seed)), 1),
    }
    analyzed = site.analyze()
    if analyzed is not None:
        build["vacuum_analyze_s"] = round(analyzed, 1)

    print("serving and measuring over HTTP ...", flush=True)
    load = [os.getloadavg()[0]]
    start = time.perf_counter()
    # The embedder forgets its queries (gunicorn_conf.py): each search embeds its query anew.
    conf = str(ROOT / "benchmarks" / "gunicorn_conf.py")
    server = Server(
        site.env, site.var_dir / "server.log", options=("--timeout", "300", "--config", conf)
    )
    try:
        endpoint = find_endpoint(server)
        http_results = measure_http(server, endpoint, rounds)
    finally:
        server.stop()
    http_results["seconds"] = round(time.perf_counter() - start, 1)

    print("measuring in-process (floor, substring scan, embedding) ...", flush=True)
    out = site.var_dir / "inprocess.json"
    inprocess_s = site.run(
        [str(BIN / "python"), "-m", "benchmarks.inprocess", "--out", str(out)]
        + ["--rounds", str(rounds)],
        "in-process timings",
        # The server's threads (civhub/wsgi.py): one each for the model and numpy, unless
        # the environment says otherwise for both.
        env={"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"} | site.env,
    )
    load.append(os.getloadavg()[0])
    inprocess = read_json(out)
    inprocess["seconds"] = round(inprocess_s, 1)
    result = {
        "vendor": vendor,
        "n": n,
        "seed": seed,
        "rounds": rounds,
        "queries": len(QUERIES),
        "build": build,
        "load": [round(x, 2) for x in load],
        "http": http_results,
        "inprocess": inprocess,
    }
    write_json(RESULTS / f"{vendor}-{n}.json", result)
    h, f = http_results, inprocess
    print(
        f"hybrid p50/p95 {h['hybrid']['p50']}/{h['hybrid']['p95']} ms, "
        f"floor p95 {f['floor']['p95']} ms, embed p95 {f['embed']['p95']} ms, "
        f"substring p95 {f['substring']['p95']} ms, worker RSS {h['memory'].get('VmRSS')} MB",
        flush=True,
    )
    return result
