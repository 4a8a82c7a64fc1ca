"""Test helpers, loaded as a pytest plugin (`-p civhub.testing` in pyproject.toml).

The plugin sits above the apps, as urls.py does (docs/layers.md): its personas are accounts'
users in directory's countries, and it resets search's caches between tests.

Loaded before Django's settings, so the test run serves plain HTTP (no redirect to HTTPS)
like `make run` does. Imports of models stay inside the functions for the same reason.
"""

import atexit
import os
import shutil
import tempfile
from typing import cast

import pytest

os.environ.setdefault("CIVHUB_HTTPS", "0")
os.environ.setdefault("CIVHUB_STATIC_MANIFEST", "0")  # no `collectstatic` needed to run the tests
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop shares the thread
os.environ.setdefault("CIVHUB_TASKS_IMMEDIATE", "1")  # background work runs in the test itself
if "CIVHUB_CACHE_DIR" not in os.environ:
    # The file cache of a test process is its own and starts empty: rate limits counted by
    # another run (or another xdist worker) never lock a test out.
    os.environ["CIVHUB_CACHE_DIR"] = tempfile.mkdtemp(prefix="civhub-test-cache-")
    atexit.register(shutil.rmtree, os.environ["CIVHUB_CACHE_DIR"], ignore_errors=True)

PASSWORD = "correct-horse-battery-staple"


def make_user(email: str, *roles: str, country: str | None = None, totp: bool | None = None):
    """A verified user with the given roles (country: ISO code, for a focal point).

    Users with a staff role get a TOTP authenticator unless `totp=False`.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from civhub.accounts.models import RoleAssignment, User
    from civhub.accounts.services import sync_staff_flags
    from civhub.directory.models import Country

    user = User.objects.create_user(
        email=email, password=PASSWORD, display_name=email.split("@")[0]
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for role in roles:
        RoleAssignment.objects.create(
            user=user,
            role=role,
            country=Country.objects.get(code=country) if role == "focal_point" else None,
        )
    sync_staff_flags(user)
    if totp is None:
        totp = user.needs_two_factor
    if totp:
        TOTP.activate(user, generate_totp_secret())
    user.forget_roles()
    return user


def run_in_threads(*functions) -> list[tuple[str, object]]:
    """Run each function in its own thread (and database connection), started together by a
    barrier: ("ok", its result) or ("error", the exception), in the functions' order."""
    import threading

    barrier = threading.Barrier(len(functions))
    outcomes: list[tuple[str, object]] = [("error", TimeoutError())] * len(functions)

    def runner(i, function):
        from django.db import connections

        try:
            barrier.wait()
            outcomes[i] = ("ok", function())
        except Exception as exc:  # the test inspects it
            outcomes[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return outcomes


def bearer(user) -> dict:
    """Request headers that authenticate as `user` with a fresh API token."""
    from civhub.accounts.services import create_token

    _token, secret = create_token(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def posted(form, **change) -> dict:
    """What a page posts back from an unbound form: each field as the page shows it (blank
    for none), with `change` typed over it."""
    data = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form[name].value())
        data[name] = "" if value is None else value
    return {**data, **change}


def parallel_writers(url: str, auth: dict, writers: list[list[dict]]) -> list[list[int]]:
    """Race writers against one record through the API: each writer (a list of JSON bodies)
    sends its PATCHes to `url` one after the other, in its own thread and connection, all
    writers at once (run_in_threads). Their status codes, by writer; a writer that raised
    fails the test."""
    from django.test import Client

    def writer(bodies: list[dict]) -> list[int]:
        return [
            Client().patch(url, body, "application/json", **auth).status_code for body in bodies
        ]

    outcomes = run_in_threads(*(lambda bodies=bodies: writer(bodies) for bodies in writers))
    assert [kind for kind, _result in outcomes] == ["ok"] * len(writers), outcomes
    return [cast(list[int], result) for _kind, result in outcomes]


@pytest.fixture
def parallel_connections():
    """Real parallel writers, each in its own connection, need PostgreSQL: SQLite's test
    database lives in one process's memory (the same interleavings run one after the other
    on both databases)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("parallel connections are tested on PostgreSQL")


@pytest.fixture(autouse=True)
def _fresh_search_reference():
    """Each test reads the reference records of its own database: a process keeps them for a
    minute (search.services.reference_records), and a rolled-back test's records are gone."""
    from civhub.search.services import forget_reference_records

    forget_reference_records()


@pytest.fixture(autouse=True)
def _index_changes_noticed_in_test_cases(request, monkeypatch):
    """A test case's wrapping transaction never commits, so the search index's change notice,
    sent after the commit (search.indexing.index_changed), would never come: there it is sent
    at once, as background work runs in the test (CIVHUB_TASKS_IMMEDIATE). Tests with real
    commits (transaction=True, live servers) keep the real order."""
    marker = request.node.get_closest_marker("django_db")
    committing = {"transactional_db", "live_server"} & set(request.fixturenames)
    if committing or (marker is not None and marker.kwargs.get("transaction")):
        return
    from civhub.search import indexing

    monkeypatch.setattr(indexing, "AFTER_COMMIT", False)
