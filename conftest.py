"""One persona per role, so every permission is tested by who asks (see ../shared/CONVENTIONS.md)."""

from io import StringIO
from typing import TYPE_CHECKING

import pytest
from django.test import Client

from civhub.testing import make_user

if TYPE_CHECKING:
    from civhub.accounts.models import User


class Persona(Client):
    """A test client signed in as one persona (none for the visitor), with its user and role."""

    user: "User | None"
    role: str


ROLES = ["member", "focal_point", "evaluator", "editor", "steering", "admin"]


@pytest.fixture(autouse=True, scope="session")
def _vector_files_in_tmp(tmp_path_factory):
    """The search vectors' shared files (search/vectors.py) of a test process go to a
    directory of its own, never var/vectors."""
    from django.conf import settings

    settings.CIVHUB_VECTORS_DIR = tmp_path_factory.mktemp("vectors")


@pytest.fixture(autouse=True)
def _english_to_start_with():
    """A request in Russian leaves Russian active in the thread: every test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploads in tests never land in var/media; a module's shared demo keeps its own files.
    settings.MEDIA_ROOT = _shared_demo_media or tmp_path / "media"
    settings.DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"


@pytest.fixture
def kazakhstan(db):
    from civhub.directory.models import Country

    return Country.objects.get(code="KZ")


@pytest.fixture
def georgia(db):
    from civhub.directory.models import Country

    return Country.objects.get(code="GE")


def _persona(role: str) -> Persona:
    extra = ("member",) if role != "member" else ()
    user = make_user(
        f"{role}@test.example", role, *extra, country="KZ" if role == "focal_point" else None
    )
    client = Persona()
    client.force_login(user)
    client.user = user
    client.role = role
    return client


@pytest.fixture
def visitor(db) -> Persona:
    client = Persona()
    client.user = None
    client.role = "visitor"
    return client


@pytest.fixture
def member(db) -> Persona:
    return _persona("member")


@pytest.fixture
def focal_point(db) -> Persona:
    """The focal point of Kazakhstan."""
    return _persona("focal_point")


@pytest.fixture
def evaluator(db) -> Persona:
    return _persona("evaluator")


@pytest.fixture
def editor(db) -> Persona:
    return _persona("editor")


@pytest.fixture
def steering(db) -> Persona:
    return _persona("steering")


@pytest.fixture
def admin(db) -> Persona:
    return _persona("admin")


@pytest.fixture
def role_users(request, db) -> dict:
    """The user of each role's persona, by role name (ROLES' order)."""
    return {role: request.getfixturevalue(role).user for role in ROLES}


@pytest.fixture
def persona(request, db):
    """Parametrize with a role name ("visitor" or one of ROLES) to get that persona's client."""
    return request.getfixturevalue(request.param)


def _load_demo() -> None:
    from django.core.management import call_command

    # A test database holds the personas' accounts: the demo is loaded beside them.
    call_command("demo", "--allow-real-data", stdout=StringIO())


#: The uploads directory of the demo a module shares (see demo_data), while it is loaded.
_shared_demo_media = None


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the tests of a module that ask for it.

    Loading it takes seconds, and some 400 tests read it: each test runs in a savepoint inside
    one transaction that holds the demo and is rolled back when the module's tests are done,
    so a test's changes are still undone at its end. pytest sets up a module's fixture before
    the tests' own (`db`, personas), which is what puts the savepoints inside; the tests of a
    module that do not ask for the demo run before those that do (pytest_collection_modifyitems
    below), so they never see it. Tests with real commits (live servers, transaction=True)
    flush the database after them: they load the demo themselves (`demo_data_committed`).
    """
    global _shared_demo_media
    from django.db import connections, transaction
    from django.test import override_settings

    from civhub.search import indexing

    media = tmp_path_factory.mktemp("demo-media")
    overrides = override_settings(
        MEDIA_ROOT=media,
        DEMO_ACCOUNTS_FILE=media / "demo-accounts.txt",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    overrides.enable()
    outer = [transaction.atomic(using=alias) for alias in connections]
    with django_db_blocker.unblock():
        for atomic in outer:
            atomic.__enter__()
        after_commit, indexing.AFTER_COMMIT = indexing.AFTER_COMMIT, False  # never commits
        try:
            _load_demo()
        finally:
            indexing.AFTER_COMMIT = after_commit
    _shared_demo_media = media
    try:
        yield
    finally:
        _shared_demo_media = None
        with django_db_blocker.unblock():
            for alias, atomic in zip(connections, outer, strict=True):
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)
        overrides.disable()


@pytest.fixture
def demo_data_committed(transactional_db):
    """The demo for a test whose writes commit (a live server's, transaction=True)."""
    _load_demo()


def pytest_collection_modifyitems(items):
    """Within each module, the tests that share its demo (demo_data) run last, so that the
    others never see it; a committing test that asks for the shared demo is an error."""

    def shares_demo(item) -> bool:
        return "demo_data" in getattr(item, "fixturenames", ())

    for item in items:
        if shares_demo(item):
            marker = item.get_closest_marker("django_db")
            if marker is None:  # the test reads the database: pytest-django sets it up
                item.add_marker(pytest.mark.django_db)
            committing = {"transactional_db", "live_server", "demo_data_committed"}
            if committing & set(item.fixturenames) or (
                marker is not None and marker.kwargs.get("transaction")
            ):
                raise pytest.UsageError(
                    f"{item.nodeid}: a test whose writes commit cannot share the module's "
                    "demo (demo_data); ask for demo_data_committed."
                )
    modules: dict = {}
    for index, item in enumerate(items):
        modules.setdefault(item.module if hasattr(item, "module") else None, []).append(index)
    ordered = sorted(
        range(len(items)),
        key=lambda i: (
            modules[getattr(items[i], "module", None)][0],
            shares_demo(items[i]),
            i,
        ),
    )
    items[:] = [items[i] for i in ordered]
