"""Load: many readers at once, through the real server, on SQLite and PostgreSQL.

For each database a site of its own is built (migrated, the demo data, then `python -m
benchmarks corpus` documents beside them; benchmarks.sites) and served by gunicorn as `make run`
serves it, on loopback only. Then,
for each server shape (workers x threads), clients in threads of this process send requests
for BENCH_LOAD_SECONDS: first `/healthz` alone (the baseline: what the server answers when a
request costs next to nothing), then the mix of public pages, search in three languages and
API reads. Each client waits for its answer before its next request (a closed loop), keeping
its connection when the server keeps it. Reported: requests/s, p50/p95/p99, errors (any
status other than 200, or no answer) and the server log's "database is locked"; and the
memory of the server's processes from /proc/<pid>/smaps_rollup: RSS, and PSS, in which the
pages shared by several processes (the vectors' file, the code) count once in all.
"""

from __future__ import annotations

import http.client
import itertools
import os
import random
import re
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import numpy as np

from benchmarks.common import RESULTS, VAR, write_json
from benchmarks.queries import QUERIES
from benchmarks.sites import Server, Site, databases, get

#: server shapes, "workers x threads": the first is `make run`'s and gets the full set of
#: runs (`/healthz` and the mix at every client count); the others the mix at the most clients
DEFAULT_SHAPES = "2x1,2x4,4x1,8x1"
DEFAULT_CLIENTS = "20,50"
#: loopback ports of the benchmark's servers (one at a time)
PORT = int(os.environ.get("BENCH_LOAD_PORT", "8180"))

#: the mix, by weight: what readers do, as a share of requests
MIX = {"page": 40, "search_page": 25, "api": 20, "search_api": 15}
SEARCH_LANGUAGES = ("en", "ru", "kk")
LIST_PAGES = (
    "/{lang}/",
    "/{lang}/practices/",
    "/{lang}/laws/",
    "/{lang}/countries/",
    "/{lang}/organizations/",
    "/{lang}/experts/",
    "/{lang}/governance/",
    "/{lang}/about/",
)
API_READS = (
    "/api/v1/practices?limit=20",
    "/api/v1/laws?limit=20",
    "/api/v1/countries",
    "/api/v1/topics",
    "/api/v1/experts?limit=20",
    "/api/v1/transfers?limit=20",
    "/api/v1/awards/calls",
    "/api/v1/sdg-targets",
)
DETAIL = re.compile(r'href="(/en/(?:practices|laws|countries|organizations|profiles)/[^"/?#]+/)"')


def settings() -> dict:
    def numbers(name: str, default: str) -> list[int]:
        raw = os.environ.get(name, default)
        try:
            return [int(x) for x in raw.split(",") if x.strip()]
        except ValueError:
            raise SystemExit(
                f"{name} must be whole numbers separated by commas, not {raw!r}."
            ) from None

    shapes = []
    for shape in os.environ.get("BENCH_LOAD_SHAPES", DEFAULT_SHAPES).split(","):
        try:
            workers, threads = (int(x) for x in shape.lower().split("x"))
        except ValueError:
            raise SystemExit(
                f"BENCH_LOAD_SHAPES takes workers x threads, e.g. 2x1,4x2, not {shape!r}."
            ) from None
        shapes.append((workers, threads))
    return {
        "seconds": float(os.environ.get("BENCH_LOAD_SECONDS", "60")),
        "clients": numbers("BENCH_LOAD_CLIENTS", DEFAULT_CLIENTS),
        "shapes": shapes,
        "documents": int(os.environ.get("BENCH_LOAD_DOCS", "30000")),
    }


def prepare(vendor: str, documents: int) -> Site:
    """A site of the benchmark's own: migrated, the demo data, `documents` more in the index
    (BENCH_LOAD_REUSE=1 keeps the last run's demo data and writes the documents again)."""
    site = Site(VAR / f"load-{vendor}", "civhub_bench_load" if vendor == "postgresql" else None)
    marker = site.var_dir / "demo-loaded"
    if os.environ.get("BENCH_LOAD_REUSE") == "1" and marker.exists():
        print("the demo data of the last run kept (BENCH_LOAD_REUSE=1)", flush=True)
    else:
        site.create()
        site.migrate()
        site.demo()
        marker.touch()
    shutil.rmtree(site.var_dir / "vectors", ignore_errors=True)
    site.corpus("--replace", *(["--n", str(documents)] if documents else ["--clear"]))
    site.analyze()
    return site


# -- what the clients ask -------------------------------------------------------------------


def mix_paths(port: int) -> dict[str, list[str]]:
    """The mix's addresses by kind, checked to answer 200 (a 404 in the mix would be counted
    as an error of the server's): every page and API list, and a few searches per language."""
    pages = [p.format(lang=lang) for lang in SEARCH_LANGUAGES for p in LIST_PAGES]
    details: list[str] = []
    for listing in ("/en/practices/", "/en/laws/", "/en/countries/", "/en/organizations/"):
        _status, body = get(port, listing)
        details += DETAIL.findall(body.decode(errors="replace"))[:6]
    for path in dict.fromkeys(details):
        for lang in SEARCH_LANGUAGES:
            pages.append(path.replace("/en/", f"/{lang}/", 1))
    queries = {
        lang: [q for language, _kind, q in QUERIES if language == lang]
        for lang in ("en", "ru", "kk")
    }
    search_pages = [
        f"/{lang}/search/?" + urlencode({"q": q})
        for lang in SEARCH_LANGUAGES
        for q in queries[lang]
    ]
    search_api = [
        "/api/v1/search?" + urlencode({"q": q, "limit": 20})
        for lang in SEARCH_LANGUAGES
        for q in queries[lang]
    ]
    paths = {
        "page": pages,
        "search_page": search_pages,
        "api": list(API_READS),
        "search_api": search_api,
    }
    for kind, listed in paths.items():
        bad = []
        # Searches: a few in each language (the rest are the same view with other words).
        for path in listed if not kind.startswith("search") else listed[::20]:
            status, _body = get(port, path, timeout=120)
            if status != 200:
                bad.append((path, status))
        if bad:
            raise SystemExit(f"The mix's {kind} addresses do not all answer 200: {bad[:5]}")
    return paths


def schedule(paths: dict[str, list[str]], seed: int, length: int = 5000) -> list[tuple[str, str]]:
    """A client's requests, (kind, path): kinds drawn by the mix's weights, then an address."""
    rng = random.Random(seed)
    kinds = rng.choices(list(MIX), weights=list(MIX.values()), k=length)
    return [(kind, rng.choice(paths[kind])) for kind in kinds]


def load(port: int, clients: int, seconds: float, plan) -> dict:
    """`clients` threads, each sending its plan's requests one after the other for `seconds`;
    `plan(i)` gives client i's (kind, path) list, cycled."""
    results: list[list[tuple[str, float, int]]] = [[] for _ in range(clients)]
    start_at = time.monotonic() + 0.5
    stop_at = start_at + seconds

    def client(i: int) -> None:
        out = results[i]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        time.sleep(max(0.0, start_at - time.monotonic()))
        for kind, path in itertools.cycle(plan(i)):
            if time.monotonic() >= stop_at:
                break
            began = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                connection.close()
                status = 0  # no answer: refused, reset or timed out
            out.append((kind, time.perf_counter() - began, status))
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summarize([row for rows in results for row in rows], seconds)


def summarize(rows: list[tuple[str, float, int]], seconds: float) -> dict:
    def figures(subset) -> dict:
        times = np.asarray([elapsed for _kind, elapsed, _status in subset]) * 1000
        errors = sum(1 for _kind, _elapsed, status in subset if status != 200)
        if not len(times):
            return {"requests": 0, "errors": errors}
        p50, p95, p99 = np.percentile(times, [50, 95, 99])
        return {
            "requests": len(subset),
            "rps": round(len(subset) / seconds, 1),
            "p50": round(float(p50), 1),
            "p95": round(float(p95), 1),
            "p99": round(float(p99), 1),
            "errors": errors,
        }

    statuses: dict[int, int] = {}
    for _kind, _elapsed, status in rows:
        statuses[status] = statuses.get(status, 0) + 1
    by_kind = {
        kind: figures([r for r in rows if r[0] == kind])
        for kind in dict.fromkeys(r[0] for r in rows)
    }
    return {"all": figures(rows), "by_kind": by_kind, "statuses": statuses}


# -- one database ---------------------------------------------------------------------------


def run_database(vendor: str, config: dict) -> dict:
    print(f"\n== load on {vendor}: demo data and {config['documents']:,} documents ==", flush=True)
    started = time.perf_counter()
    site = prepare(vendor, config["documents"])
    built_s = round(time.perf_counter() - started, 1)
    # The server as `make run`: production settings, one thread each for the model and numpy
    # (civhub/wsgi.py); the embedder keeps its memory of recent queries, as on the site.
    shapes = []
    paths: dict[str, list[str]] = {}
    for n, (workers, threads) in enumerate(config["shapes"]):
        label = f"{workers}x{threads}"
        print(f"-- {workers} workers x {threads} threads", flush=True)
        log = site.var_dir / f"server-{label}.log"
        server = Server(site.env, log, workers, threads, PORT)
        try:
            if n == 0:  # the same site in every shape: its addresses checked once
                paths = mix_paths(server.port)
            # Every worker maps the vectors and loads the model before the clock runs.
            warm = load(
                server.port,
                workers * max(threads, 1) * 2,
                10,
                lambda i, paths=paths: schedule(paths, 1000 + i),
            )
            runs = []
            # The first shape at every client count, the others at the most only.
            for clients in config["clients"] if n == 0 else config["clients"][-1:]:
                if n == 0:
                    healthz = load(
                        server.port, clients, config["seconds"], lambda i: [("healthz", "/healthz")]
                    )
                    runs.append({"what": "healthz", "clients": clients, **healthz})
                    print(f"   /healthz, {clients} clients: {_line(healthz['all'])}", flush=True)
                mixed = load(
                    server.port,
                    clients,
                    config["seconds"],
                    lambda i, paths=paths: schedule(paths, i),
                )
                runs.append({"what": "mix", "clients": clients, **mixed})
                print(f"   mix, {clients} clients: {_line(mixed['all'])}", flush=True)
            memory = server.memory()
            locked = server.locked_errors()
        finally:
            server.stop()
        print(
            f"   memory: PSS {memory['pss_sum']} MB in all, RSS {memory['rss_sum']} MB in all; "
            f"'database is locked' {locked}",
            flush=True,
        )
        shapes.append(
            {
                "workers": workers,
                "threads": threads,
                "warm_up": warm["all"],
                "runs": runs,
                "memory": memory,
                "locked": locked,
            }
        )
        # What is measured so far is kept, should a later shape fail.
        write_json(
            RESULTS / f"load-{vendor}.partial.json",
            {"vendor": vendor, "documents": config["documents"], "shapes": shapes},
        )
    return {
        "vendor": vendor,
        "documents": config["documents"],
        "build_s": built_s,
        "shapes": shapes,
    }


def _line(figures: dict) -> str:
    if not figures.get("requests"):
        return f"no answer ({figures.get('errors', 0)} errors)"
    return (
        f"{figures['rps']} req/s, p50/p95/p99 {figures['p50']}/{figures['p95']}/{figures['p99']} ms, "
        f"{figures['errors']} errors"
    )


# -- the page -------------------------------------------------------------------------------

START = "<!-- load: written by `make bench` (benchmarks/load.py); edits here are lost -->"
END = "<!-- end of load -->"


def block(run: dict, cases: list[dict]) -> str:
    lines = [
        START,
        "",
        f"Run of {run['started']}: {run['seconds'] / 60:.1f} minutes, {run['load_seconds']:g} s "
        f"per measurement, load average before {run['load_before'][0]:.2f}, after "
        f"{run['load_after'][0]:.2f} (a machine shared with other test runs: compare the ratios "
        "within this run).",
        "",
    ]
    for case in cases:
        first = case["shapes"][0]
        lines += [
            f"#### {case['vendor']}: the demo data and {case['documents']:,} documents",
            "",
            "Requests/s and ms; *× /healthz* is the mix's requests/s over `/healthz` alone with "
            f"the same clients, on `make run`'s shape ({first['workers']} workers × "
            f"{first['threads']} threads).",
            "",
            "| workers × threads | clients | requests | req/s | × /healthz | p50 | p95 | p99 "
            "| errors | “database is locked” |",
            "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        baseline = {
            r["clients"]: r["all"].get("rps") for r in first["runs"] if r["what"] == "healthz"
        }
        for shape in case["shapes"]:
            for r in shape["runs"]:
                f = r["all"]
                ratio = ""
                if r["what"] == "mix" and baseline.get(r["clients"]) and f.get("rps"):
                    ratio = f"{f['rps'] / baseline[r['clients']]:.2f}"
                lines.append(
                    f"| {shape['workers']} × {shape['threads']} | {r['clients']} | "
                    f"{'`/healthz` alone' if r['what'] == 'healthz' else 'the mix'} | "
                    f"{f.get('rps', 0)} | {ratio} | {f.get('p50', '')} | {f.get('p95', '')} | "
                    f"{f.get('p99', '')} | {f['errors']} | {shape['locked']} |"
                )
        lines += [
            "",
            "The mix by kind, on `make run`'s shape, at the most clients (req/s, p50 / p95 / p99):",
            "",
        ]
        last_mix = [r for r in first["runs"] if r["what"] == "mix"][-1]
        for kind, f in last_mix["by_kind"].items():
            lines.append(
                f"- {kind}: {f.get('rps', 0)} req/s, {f.get('p50')} / {f.get('p95')} / "
                f"{f.get('p99')} ms, {f['errors']} errors"
            )
        lines += [
            "",
            "Memory of the server after its runs (MB): PSS counts a page shared by n processes "
            "as 1/n in each, so its sum is what the server takes from the machine; RSS counts "
            "it in every process.",
            "",
            "| workers × threads | PSS, all processes | RSS, all processes | RSS per worker "
            "| private dirty per worker | the mix's req/s at "
            f"{max(r['clients'] for r in first['runs'])} clients |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for shape in case["shapes"]:
            m = shape["memory"]
            mixes = [r for r in shape["runs"] if r["what"] == "mix"]
            best = max(mixes, key=lambda r: r["clients"])
            lines.append(
                f"| {shape['workers']} × {shape['threads']} | {m['pss_sum']} | {m['rss_sum']} | "
                f"{min(m['worker_rss'])}–{max(m['worker_rss'])} | "
                f"{min(m['worker_private_dirty'])}–{max(m['worker_private_dirty'])} | "
                f"{best['all'].get('rps', 0)} |"
            )
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def write(path: Path, run: dict, cases: list[dict]) -> None:
    text = block(run, cases)
    if path.exists() and START in (page := path.read_text(encoding="utf-8")) and END in page:
        before, rest = page.split(START, 1)
        _old, after = rest.split(END, 1)
        text = before + text + after
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def run() -> tuple[dict, list[dict]]:
    """Every database's load runs; the page's section is written to docs/benchmarks.md by a
    full run (60 s a measurement), else to var/bench/load.md."""
    from datetime import datetime

    from benchmarks.common import DOCS

    config = settings()
    started = time.perf_counter()
    meta = {
        "started": datetime.now().astimezone().isoformat(timespec="seconds"),
        "load_before": os.getloadavg(),
        "load_seconds": config["seconds"],
    }
    cases = []
    for vendor in databases("its load run"):
        began, load_before = time.perf_counter(), os.getloadavg()
        case = run_database(vendor, config)
        case["run"] = meta | {
            "seconds": round(time.perf_counter() - began, 1),
            "load_before": load_before,
            "load_after": os.getloadavg(),
        }
        write_json(RESULTS / f"load-{vendor}.json", case)
        cases.append(case)
    meta["seconds"] = round(time.perf_counter() - started, 1)
    meta["load_after"] = os.getloadavg()
    full = config["seconds"] >= 60
    target = Path(os.environ.get("BENCH_LOAD_OUT") or (DOCS if full else VAR / "load.md"))
    write(target, meta, cases)
    print(f"\nLoad figures written to {target}.")
    return meta, cases


def zero_errors(cases: list[dict]) -> bool:
    """The targets: no error and no "database is locked" in any run."""
    return all(
        shape["locked"] == 0 and all(r["all"]["errors"] == 0 for r in shape["runs"])
        for case in cases
        for shape in case["shapes"]
    )


def rewrite_from_results(target: Path) -> list[dict]:
    """The page's section again from the raw figures of the last runs of each database
    (var/bench/results/load-*.json), e.g. after running the databases one at a time."""
    from benchmarks.common import read_json

    cases = [
        read_json(RESULTS / f"load-{vendor}.json")
        for vendor in ("sqlite", "postgresql")
        if (RESULTS / f"load-{vendor}.json").exists()
    ]
    metas = [case["run"] for case in cases]
    meta = {
        "started": min(m["started"] for m in metas),
        "seconds": sum(m["seconds"] for m in metas),
        "load_seconds": max(m["load_seconds"] for m in metas),
        "load_before": max(m["load_before"] for m in metas),
        "load_after": max(m["load_after"] for m in metas),
    }
    write(target, meta, cases)
    return cases


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--rewrite"]:
        from benchmarks.common import DOCS

        sys.exit(0 if zero_errors(rewrite_from_results(DOCS)) else 1)
    _meta, _cases = run()
    sys.exit(0 if zero_errors(_cases) else 1)
