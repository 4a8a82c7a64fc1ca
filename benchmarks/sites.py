"""A site of the benchmark's own and its server, built and served the same way by every
benchmark (latency, load, relevance).

- `Site`: a var directory under var/bench/ and, on PostgreSQL, a database of its own on
  BENCH_PG_URL's server; made empty, then migrated and filled (the demo, `corpus` documents)
  by the same commands an operator runs, in processes of their own.
- `Server`: gunicorn serving it as `make run` does (production settings, plain HTTP), on
  loopback, ready when every worker is up and `/healthz` answers.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from benchmarks.common import BIN, CACHE, PG_SERVER, ROOT

# -- PostgreSQL -----------------------------------------------------------------------------


def postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_SERVER + "postgres", connect_timeout=3).close()
    except Exception:
        return False
    return True


def pg(sql: str, dbname: str = "postgres") -> None:
    import psycopg

    with psycopg.connect(PG_SERVER + dbname, autocommit=True) as conn:
        conn.execute(sql)


def databases(skipped: str) -> list[str]:
    """The databases of BENCH_DATABASES (sqlite, postgresql; default both) that can be used:
    PostgreSQL only when its server answers (else `skipped` is said to be skipped, or the run
    fails with CIVHUB_REQUIRE_POSTGRES=1)."""
    wanted = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
    chosen = ["sqlite"] if "sqlite" in wanted else []
    if "postgresql" in wanted:
        if postgres_available():
            chosen.append("postgresql")
        elif os.environ.get("CIVHUB_REQUIRE_POSTGRES") == "1":
            raise SystemExit(
                f"PostgreSQL is not reachable at {PG_SERVER} and CIVHUB_REQUIRE_POSTGRES=1."
            )
        else:
            print(f"PostgreSQL is not reachable at {PG_SERVER}: {skipped} skipped.")
    return chosen


# -- the site -------------------------------------------------------------------------------


def base_env(var_dir: Path, database_url: str | None) -> dict[str, str]:
    """The environment of every process a benchmark starts: production settings on plain
    HTTP, like `make run`, with its own var directory and database."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env |= {
        "CIVHUB_VAR_DIR": str(var_dir),
        "CIVHUB_HTTPS": "0",
        "DEBUG": "0",
        # Pages and the API need no collected static files to answer.
        "CIVHUB_STATIC_MANIFEST": "0",
        "CIVHUB_TASKS_IMMEDIATE": "1",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


class Site:
    """`var_dir`, and `database` on the PostgreSQL server (None: SQLite in `var_dir`)."""

    def __init__(self, var_dir: Path, database: str | None = None):
        self.var_dir = var_dir
        self.database = database
        self.url = PG_SERVER + database if database else None
        self.env = base_env(var_dir, self.url)

    def create(self) -> None:
        """Empty: the var directory and the database removed and made again."""
        shutil.rmtree(self.var_dir, ignore_errors=True)
        self.var_dir.mkdir(parents=True)
        if self.database:
            pg(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
            pg(f"CREATE DATABASE {self.database}")

    def run(self, args: list[str], what: str, *, quiet: bool = False, env=None) -> float:
        """Run `args` against the site; the seconds it took. `quiet`: its output is not
        shown (the demo prints its accounts' passwords: not into the benchmark's output)."""
        start = time.perf_counter()
        output = subprocess.DEVNULL if quiet else None
        done = subprocess.run(args, env=env or self.env, cwd=ROOT, stdout=output)
        if done.returncode:
            raise SystemExit(f"{what} failed (exit {done.returncode}): {' '.join(args)}")
        return time.perf_counter() - start

    def migrate(self) -> float:
        return self.run([str(BIN / "civhub"), "migrate", "--noinput", "-v0"], "migrate")

    def demo(self) -> float:
        return self.run([str(BIN / "civhub"), "demo"], "civhub demo", quiet=True)

    def corpus(self, *args: str) -> float:
        """`python -m benchmarks corpus` with `args`, the sentence vectors cached in
        var/bench/cache/ for every site."""
        command = [str(BIN / "python"), "-m", "benchmarks", "corpus", "--cache-dir", str(CACHE)]
        return self.run(command + list(args), "python -m benchmarks corpus")

    def analyze(self) -> float | None:
        """PostgreSQL's statistics brought up to date after the writes (None on SQLite)."""
        if not self.database:
            return None
        start = time.perf_counter()
        pg("VACUUM ANALYZE", dbname=self.database)
        return time.perf_counter() - start


# -- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    """One request on a connection of its own."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _megabytes(path: Path, keys: tuple[str, ...]) -> dict[str, float]:
    """The `keys` of a /proc file of "Key: N kB" lines, in MB."""
    values = {}
    for line in path.read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in keys:
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return values


def gunicorn_args(port: int, workers: int, threads: int) -> list[str]:
    """gunicorn as `make run` starts it, with this shape."""
    args = [
        str(BIN / "gunicorn"),
        "civhub.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        # gunicorn's control socket is one path per user: not shared with other servers.
        "--no-control-socket",
    ]
    if threads > 1:
        args += ["--threads", str(threads)]
    return args


class Server:
    """gunicorn serving `env`'s site with `workers` x `threads` on `port` (a free one when
    not given), its output in `log`; `options` are gunicorn's."""

    def __init__(
        self,
        env: dict,
        log: Path,
        workers: int = 1,
        threads: int = 1,
        port: int | None = None,
        options: tuple[str, ...] = (),
    ):
        self.port = port or free_port()
        self.log_path = log
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [*gunicorn_args(self.port, workers, threads), *options],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        deadline = time.monotonic() + 180
        while True:
            try:
                if get(self.port, "/healthz")[0] == 200 and len(self.workers()) == workers:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"The server did not start; see {log}.")
            time.sleep(0.5)

    def get(self, path: str) -> tuple[int, bytes]:
        """A request on the server's one kept connection (a client asking one at a time)."""
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

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def worker_memory(self) -> dict[str, float]:
        """VmRSS and VmHWM (its peak) of the first worker, in MB."""
        return _megabytes(Path(f"/proc/{self.workers()[0]}/status"), ("VmRSS", "VmHWM"))

    def memory(self) -> dict:
        """RSS and PSS (MB) of the master and each worker, and their sums."""
        rows = {}
        for pid in [self.process.pid, *self.workers()]:
            try:
                rows[pid] = _megabytes(
                    Path(f"/proc/{pid}/smaps_rollup"),
                    ("Rss", "Pss", "Shared_Clean", "Private_Dirty"),
                )
            except (FileNotFoundError, ProcessLookupError):
                continue  # a worker replaced since it was listed (gunicorn's timeout)
        workers = [rows[pid] for pid in rows if pid != self.process.pid] or [
            {"Rss": 0.0, "Pss": 0.0, "Private_Dirty": 0.0}
        ]
        return {
            "rss_sum": round(sum(r["Rss"] for r in rows.values()), 1),
            "pss_sum": round(sum(r["Pss"] for r in rows.values()), 1),
            "worker_rss": [r["Rss"] for r in workers],
            "worker_pss": [r["Pss"] for r in workers],
            "worker_private_dirty": [r["Private_Dirty"] for r in workers],
            "master_pss": rows.get(self.process.pid, {}).get("Pss", 0.0),
        }

    def locked_errors(self) -> int:
        """How often the server's log says "database is locked" (SQLite's busy writers)."""
        self.log.flush()
        return self.log_path.read_text(errors="replace").count("database is locked")

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
