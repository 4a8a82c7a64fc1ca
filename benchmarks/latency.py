"""Search latency and memory through the real server, for one database and one corpus size.

A fresh database is migrated and filled with `python -m benchmarks corpus`; gunicorn serves it
with one worker, as `make run` serves the site; the fixed query set is sent over HTTP, one request at a
time, in each mode; the worker's memory is read from /proc. Then the in-process timings
(benchmarks.inprocess) are taken against the same database.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.common import BIN, CACHE, PG_SERVER, RESULTS, ROOT, VAR, base_env, percentiles
from benchmarks.queries import QUERIES

MODES = ("lexical", "semantic", "hybrid")


def postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_SERVER + "postgres", connect_timeout=3).close()
    except Exception:
        return False
    return True


def _pg(sql: str, dbname: str = "postgres") -> None:
    import psycopg

    with psycopg.connect(PG_SERVER + dbname, autocommit=True) as conn:
        conn.execute(sql)


def prepare_database(vendor: str, n: int) -> tuple[Path, str | None]:
    """A new, empty database of our own, and the var directory beside it."""
    var_dir = VAR / f"{vendor}-{n}"
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    if vendor == "sqlite":
        return var_dir, None
    name = f"civhub_bench_{n}"
    _pg(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _pg(f"CREATE DATABASE {name}")
    return var_dir, PG_SERVER + name


def _run(args: list[str], env: dict, what: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"{what} failed (exit {done.returncode}): {' '.join(args)}")
    return time.perf_counter() - start


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _memory(pid: int) -> dict[str, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = round(int(rest.split()[0]) / 1024, 1)  # kB -> MB
    return values


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


class Server:
    """gunicorn with one sync worker on a free port, like `make run`."""

    def __init__(self, env: dict, log: Path):
        self.port = _free_port()
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "civhub.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--timeout",
                "300",
                "--config",
                str(ROOT / "benchmarks" / "gunicorn_conf.py"),
            ],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        deadline = time.monotonic() + 120
        while True:
            try:
                status, _body = self.get("/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"The server did not start; see {log}.")
            time.sleep(0.3)
        workers = _children(self.process.pid)
        if len(workers) != 1:
            self.stop()
            raise SystemExit(f"Expected one gunicorn worker, found {workers}.")
        self.worker = workers[0]

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            self.connection.request("GET", path)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (http.client.HTTPException, ConnectionError):
            # gunicorn's sync worker closes each connection: open a new one and ask again.
            self.connection.close()
            self.connection.request("GET", path)
            response = self.connection.getresponse()
            return response.status, response.read()

    def memory(self) -> dict[str, float]:
        return _memory(self.worker)

    def stop(self) -> None:
        self.connection.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


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
    memory_warm = server.memory()
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
        "memory": server.memory(),
    }


def run_case(vendor: str, n: int, rounds: int = 3, seed: int = 1) -> dict:
    """Build, serve and measure one database at one size; the figures are also saved to
    var/bench/results/<vendor>-<n>.json."""
    print(f"\n== {vendor}, {n:,} documents ==", flush=True)
    var_dir, url = prepare_database(vendor, n)
    env = base_env(var_dir, url)
    civhub = str(BIN / "civhub")
    build = {
        "migrate_s": round(_run([civhub, "migrate", "--noinput", "-v0"], env, "migrate"), 1),
        "corpus_s": round(
            _run(
                [str(BIN / "python"), "-m", "benchmarks", "corpus", "--n", str(n)]
                + ["--seed", str(seed), "--cache-dir", str(CACHE)],
                env,
                "python -m benchmarks corpus",
            ),
            1,
        ),
    }
    if vendor == "postgresql":
        start = time.perf_counter()
        _pg("VACUUM ANALYZE", dbname=url.rsplit("/", 1)[1])
        build["vacuum_analyze_s"] = round(time.perf_counter() - start, 1)

    print("serving and measuring over HTTP ...", flush=True)
    load = [os.getloadavg()[0]]
    start = time.perf_counter()
    server = Server(env, var_dir / "server.log")
    try:
        endpoint = find_endpoint(server)
        http_results = measure_http(server, endpoint, rounds)
    finally:
        server.stop()
    http_results["seconds"] = round(time.perf_counter() - start, 1)

    print("measuring in-process (floor, substring scan, embedding) ...", flush=True)
    out = var_dir / "inprocess.json"
    inprocess_s = _run(
        [str(BIN / "python"), "-m", "benchmarks.inprocess", "--out", str(out)]
        + ["--rounds", str(rounds)],
        # The server's threads (civhub/wsgi.py): one each for the model and numpy, unless
        # the environment says otherwise for both.
        {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"} | env,
        "in-process timings",
    )
    load.append(os.getloadavg()[0])
    inprocess = json.loads(out.read_text(encoding="utf-8"))
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
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{vendor}-{n}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    h, f = http_results, inprocess
    print(
        f"hybrid p50/p95 {h['hybrid']['p50']}/{h['hybrid']['p95']} ms, "
        f"floor p95 {f['floor']['p95']} ms, embed p95 {f['embed']['p95']} ms, "
        f"substring p95 {f['substring']['p95']} ms, worker RSS {h['memory'].get('VmRSS')} MB",
        flush=True,
    )
    return result
