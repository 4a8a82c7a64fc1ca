"""Settings that only show in a fresh process: each check runs civhub's settings in a child
Python with the environment under test (the test process's own settings are already made)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest


def run_with(env: dict[str, str], code: str, tmp_path) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "CIVHUB_CACHE_DIR")
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "civhub.settings",
        "CIVHUB_VAR_DIR": str(tmp_path / "var"),
        **env,
    }
    script = "import django, json\ndjango.setup()\n" + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


PRAGMAS = """
import sqlite3
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy = cursor.fetchone()[0]
# IMMEDIATE: a transaction that has only read already holds the write lock, so another
# writer cannot slip in between (with DEFERRED it could, and one of the two then fails).
other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
with transaction.atomic():
    connection.cursor().execute("SELECT 1")
    try:
        other.execute("BEGIN IMMEDIATE")
        other.rollback()
        locked = False
    except sqlite3.OperationalError:
        locked = True
print(json.dumps({"journal": journal, "busy": busy, "locked": locked,
                  "name": str(connection.settings_dict["NAME"])}))
"""


def test_sqlite_named_by_database_url_gets_the_sqlite_settings(tmp_path):
    path = tmp_path / "elsewhere.sqlite3"
    found = run_with({"DATABASE_URL": f"sqlite:///{path}"}, PRAGMAS, tmp_path)
    assert found == {"journal": "wal", "busy": 20000, "locked": True, "name": str(path)}


def test_default_sqlite_gets_the_same_settings(tmp_path):
    found = run_with({}, PRAGMAS, tmp_path)
    assert found["name"] == str(tmp_path / "var" / "civhub.sqlite3")
    assert (found["journal"], found["busy"], found["locked"]) == ("wal", 20000, True)


def test_postgresql_url_gets_a_connect_timeout_and_no_sqlite_options(tmp_path):
    code = """
    from django.conf import settings
    print(json.dumps(settings.DATABASES["default"].get("OPTIONS", {})))
    """
    options = run_with({"DATABASE_URL": "postgres://u@127.0.0.1:5432/x"}, code, tmp_path)
    assert options == {"connect_timeout": 5}
    url = "postgres://u@127.0.0.1:5432/x?connect_timeout=2"
    assert run_with({"DATABASE_URL": url}, code, tmp_path) == {"connect_timeout": 2}


FAILED_LOGINS = """
from allauth.core.ratelimit import consume
from django.test import RequestFactory
request = RequestFactory().post("/en/accounts/login/", REMOTE_ADDR="192.0.2.7")
print(json.dumps([
    consume(request, action="login_failed", key="someone@example.org") for _ in range({n})
]))
"""


def test_failed_logins_are_counted_across_processes(tmp_path):
    """Two gunicorn workers are two processes: the sixth wrong password is refused, whichever
    of them the first five reached."""
    first = run_with({}, FAILED_LOGINS.format(n=3), tmp_path)
    second = run_with({}, FAILED_LOGINS.format(n=3), tmp_path)
    assert first == [True, True, True]
    assert second == [True, True, False]  # 5/5m per address typed in ("key")


def test_redis_is_the_cache_when_configured(tmp_path):
    code = """
    from django.conf import settings
    print(json.dumps(settings.CACHES["default"]["BACKEND"]))
    """
    backend = run_with({"REDIS_URL": "redis://127.0.0.1:6379/0"}, code, tmp_path)
    assert backend == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize("cache_dir", ["", "custom-cache"])
def test_embedded_cache_is_a_directory_in_var(tmp_path, cache_dir):
    code = """
    from django.conf import settings
    print(json.dumps(settings.CACHES["default"]))
    """
    env = {"CIVHUB_CACHE_DIR": str(tmp_path / cache_dir)} if cache_dir else {}
    cache = run_with(env, code, tmp_path)
    assert cache["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert cache["LOCATION"] == str(tmp_path / (cache_dir or "var/cache"))
