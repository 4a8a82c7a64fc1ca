"""One persona per role, so every permission is tested by who asks (see ../shared/CONVENTIONS.md)."""

from io import StringIO

import pytest
from django.test import Client

from civhub.core.testing import make_user

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
    settings.MEDIA_ROOT = tmp_path / "media"  # uploads in tests never land in var/media
    settings.DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"


@pytest.fixture
def kazakhstan(db):
    from civhub.directory.models import Country

    return Country.objects.get(code="KZ")


@pytest.fixture
def georgia(db):
    from civhub.directory.models import Country

    return Country.objects.get(code="GE")


def _persona(role: str) -> Client:
    extra = ("member",) if role != "member" else ()
    user = make_user(
        f"{role}@test.example", role, *extra, country="KZ" if role == "focal_point" else None
    )
    client = Client()
    client.force_login(user)
    client.user = user
    client.role = role
    return client


@pytest.fixture
def visitor(db) -> Client:
    client = Client()
    client.user = None
    client.role = "visitor"
    return client


@pytest.fixture
def member(db) -> Client:
    return _persona("member")


@pytest.fixture
def focal_point(db) -> Client:
    """The focal point of Kazakhstan."""
    return _persona("focal_point")


@pytest.fixture
def evaluator(db) -> Client:
    return _persona("evaluator")


@pytest.fixture
def editor(db) -> Client:
    return _persona("editor")


@pytest.fixture
def steering(db) -> Client:
    return _persona("steering")


@pytest.fixture
def admin(db) -> Client:
    return _persona("admin")


@pytest.fixture
def persona(request, db):
    """Parametrize with a role name ("visitor" or one of ROLES) to get that persona's client."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def demo_data(db):
    from django.core.management import call_command

    # A test database holds the personas' accounts: the demo is loaded beside them.
    call_command("demo", "--allow-real-data", stdout=StringIO())
