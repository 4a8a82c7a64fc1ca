"""Migration 0002 numbers the open submissions an applicant already has in a call, and lets a
call that holds several from one applicant keep them, before the unique constraint comes."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("awards", "0001_initial")]
AFTER = [("awards", "0002_one_open_submission_per_applicant")]


def _migrate(targets):
    """Migrate awards to `targets`, the other apps staying at their latest migration (their
    tables as they are, so their models must be as they are too)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "awards"]
    executor.migrate(targets)
    return executor.loader.project_state([*others, *targets]).apps


def _migrate_to_latest():
    """Every app at its latest migration again, as the tests after this one expect."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_open_submissions_get_places_and_their_call_keeps_them():
    apps = _migrate(BEFORE)
    try:
        User = apps.get_model("accounts", "User")
        Call = apps.get_model("awards", "Call")
        Submission = apps.get_model("awards", "Submission")
        start = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        dates = {
            f: start + datetime.timedelta(days=10 * n)
            for n, f in enumerate(
                ["opens_at", "closes_at", "screening_ends_at", "scoring_ends_at", "decision_at"]
            )
        }
        crowded = Call.objects.create(slug="crowded", year=2020, title="Crowded", **dates)
        quiet = Call.objects.create(slug="quiet", year=2020, title="Quiet", **dates)
        one = User.objects.create(email="one@test.example")
        other = User.objects.create(email="other@test.example")
        for title, call, user, state in [
            ("A", crowded, one, "draft"),
            ("B", crowded, one, "withdrawn"),
            ("C", crowded, one, "draft"),
            ("D", crowded, one, "draft"),
            ("E", crowded, other, "draft"),
            ("F", quiet, one, "draft"),
        ]:
            Submission.objects.create(call=call, applicant=user, title=title, state=state)
    finally:
        apps = _migrate(AFTER)
    Call = apps.get_model("awards", "Call")
    Submission = apps.get_model("awards", "Submission")
    try:
        assert dict(Submission.objects.values_list("title", "slot")) == {
            "A": 1,
            "B": 1,
            "C": 2,
            "D": 3,
            "E": 1,
            "F": 1,
        }
        assert dict(Call.objects.values_list("slug", "submissions_per_applicant")) == {
            "crowded": 3,
            "quiet": 1,
        }

    finally:
        _migrate_to_latest()
