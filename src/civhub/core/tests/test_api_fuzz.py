"""The OpenAPI schema describes the API: schemathesis generates requests from the schema
(valid ones, and invalid ones) for every operation, sends them to the app in-process (WSGI, on
the test database: SQLite or PostgreSQL, whichever the run uses) as an anonymous caller, a
member and an editor, and runs every check on the answers: no server error, only documented
statuses, content types and headers, bodies that fit their schema, valid requests accepted and
invalid ones refused, authentication not ignored, unsupported methods answered with 405.

The run is repeatable: a fixed seed, derandomized, no example database. See docs/api.md.
"""

import time
from io import StringIO

import hypothesis
import hypothesis.errors
import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode

from civhub.accounts.services import create_token
from civhub.testing import make_user

#: Examples per operation, kind (valid, invalid) and caller: 32 operations x 2 x 3 x 6 = 1,152
#: cases at most (an operation with few possible requests gives fewer), plus the requests the
#: checks themselves add (unsupported methods, requests without the token...).
EXAMPLES = 6
SEED = 20130301  # the hub's founding month


@pytest.fixture(scope="module")
def fuzz_database(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, in a transaction rolled back at its end (each test
    runs in a savepoint inside it): loading it takes most of a minute."""
    # As Django's test client does: the app is called as a WSGI application, whose end of
    # request would close the connection (and the test's transaction with it) on PostgreSQL.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("demo", "--allow-real-data", stdout=StringIO())
            member = make_user("fuzz-member@test.example", "member")
            editor = make_user("fuzz-editor@test.example", "editor", "member")  # with a TOTP
            yield {
                "anonymous": None,
                "member": create_token(member, "schema fuzz")[1],
                "editor": create_token(editor, "schema fuzz")[1],
            }
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def _schema(token: str | None):
    from civhub.wsgi import application

    settings = {"seed": SEED, "generation": {"mode": "all", "deterministic": True}}
    if token:
        # Given to schemathesis, not added to each request: it knows which requests it sends
        # without the token (and expects 401 for those).
        settings["auth"] = {"openapi": {"ApiTokenAuth": {"bearer": token}}}
    config = schemathesis.Config.from_dict(settings)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)


def _fuzz(case_strategy, sent: list) -> None:
    @hypothesis.settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        # The first failing example is reported as it is: shrinking it costs minutes.
        phases=[Phase.explicit, Phase.generate],
    )
    @hypothesis.seed(SEED)
    @hypothesis.given(case=case_strategy)
    def run(case):
        response = case.call_and_validate()
        sent.append((case.operation.label, response.status_code))

    run()


@pytest.mark.parametrize("caller", ["anonymous", "member", "editor"])
def test_the_api_answers_as_its_schema_says(fuzz_database, db, caller):
    schema = _schema(fuzz_database[caller])
    sent: list = []
    failures = []
    unsatisfiable = []
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(operation.as_strategy(generation_mode=mode), sent)
            except hypothesis.errors.Unsatisfiable:
                # Nothing in the operation can be made invalid (`GET /` takes only `lang`,
                # whose every wrong value is a string too): negative data does not apply.
                if mode is GenerationMode.POSITIVE:
                    failures.append(f"{caller}, {operation.label}: no valid request made")
                else:
                    unsatisfiable.append(operation.label)
            except (Exception, BaseExceptionGroup) as exc:  # every operation is tried
                failures.append(f"{caller}, {mode.value}, {operation.label}:\n{exc}")
    print(f"{caller}: {len(sent)} cases in {time.monotonic() - started:.0f} s")
    assert not failures, "\n\n".join(failures)
    assert unsatisfiable == ["GET /api/v1/"], unsatisfiable
    # Every operation of the schema was tried, a third of the 1,000 cases at least per caller.
    assert len(operations) >= 30
    assert len(sent) >= 334, len(sent)
    # The token was sent: `/me` answered the caller, or refused the visitor.
    me = {status for label, status in sent if label == "GET /api/v1/me"}
    assert (200 in me) == (caller != "anonymous"), me
