"""`civhub demo` guards real databases (as `python -m benchmarks corpus` does:
tests/benchmarks/test_corpus.py); the demo's staff passwords."""

import stat
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from civhub.accounts.demo import ACCOUNTS, DEMO_PASSWORD, accounts_file
from civhub.accounts.models import User
from civhub.directory.models import Membership
from civhub.testing import make_user

pytestmark = pytest.mark.django_db


STAFF = ["editor@demo.civhub.example", "steering@demo.civhub.example", "admin@demo.civhub.example"]


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a command as `civhub` would: its commit's callbacks (the accounts file) run too."""

    def run_command(*args) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command(*args, stdout=out)
        return out.getvalue()

    return run_command


def test_staff_get_generated_passwords_printed_once_and_kept_for_the_owner_only(run):
    first = run("demo")
    lines = accounts_file().read_text().splitlines()
    assert stat.S_IMODE(accounts_file().stat().st_mode) == 0o600
    passwords = {line.split("\t")[0]: line.split("\t")[2] for line in lines}
    assert set(passwords) == {email for email, *_ in ACCOUNTS}
    for email in STAFF:
        password = passwords[email]
        assert password != DEMO_PASSWORD and len(password) >= 16
        assert password in first  # printed once
        assert authenticate(email=email, password=password) is not None
        assert authenticate(email=email, password=DEMO_PASSWORD) is None
    assert authenticate(email="member@demo.civhub.example", password=DEMO_PASSWORD)
    # A second run keeps the accounts and their passwords, and prints none of them.
    second = run("demo")
    assert not any(passwords[email] in second for email in STAFF)
    assert "member@demo.civhub.example" in second
    assert accounts_file().read_text().splitlines() == lines


def test_two_loads_generate_different_staff_passwords(run):
    run("demo")
    one = accounts_file().read_text()
    User.objects.filter(email__in=STAFF).delete()
    run("demo")
    assert accounts_file().read_text() != one


def test_make_run_prints_the_accounts_of_a_loaded_database(run):
    run("demo")
    out = run("demo", "--if-empty")
    assert "not loaded" in out
    for email, *_ in ACCOUNTS:
        assert email in out
    assert str(accounts_file()) in out and DEMO_PASSWORD in out


def test_the_demo_refuses_a_database_with_real_accounts(run):
    make_user("minister@gov.example", "member")
    with pytest.raises(CommandError, match="not demo accounts"):
        run("demo")
    assert not Membership.objects.exists()
    assert not User.objects.filter(email__endswith="@demo.civhub.example").exists()
    run("demo", "--allow-real-data")
    assert Membership.objects.exists()


def test_the_demo_refuses_records_it_did_not_load(run):
    from civhub.directory.models import Country

    Membership.objects.create(country=Country.objects.get(code="KZ"), joined_on="2013-03-01")
    with pytest.raises(CommandError, match="did not load"):
        run("demo")
