"""Fixtures of the scheme's tests: a call with three criteria, and submissions in any state."""

import datetime
import random
import time
from decimal import Decimal

import pytest
from django.utils import timezone

from civhub.awards.choices import (
    CLOSED_STATES,
    ApplicantKind,
    AssignmentStatus,
    CallState,
    SubmissionState,
)
from civhub.awards.models import Assignment, Call, Category, Criterion, Prize, Submission
from civhub.testing import make_user, run_in_threads

UTC = datetime.UTC
NOW = timezone.now()


def make_call(slug="test-call", **overrides) -> Call:
    opens = overrides.pop("opens_at", NOW - datetime.timedelta(days=30))
    closes = overrides.pop("closes_at", NOW + datetime.timedelta(days=30))
    call = Call.objects.create(
        slug=slug,
        year=2026,
        title_en="Test call",
        state=CallState.ANNOUNCED,
        eligible_kinds=[ApplicantKind.PUBLIC_BODY, ApplicantKind.NGO],
        min_months_in_operation=12,
        opens_at=opens,
        closes_at=closes,
        screening_ends_at=closes + datetime.timedelta(days=10),
        scoring_ends_at=closes + datetime.timedelta(days=30),
        decision_at=closes + datetime.timedelta(days=40),
        **overrides,
    )
    Category.objects.create(call=call, slug="digital", title_en="Digital government")
    for order, (slug, weight) in enumerate(
        [("innovation", "2"), ("results", "1"), ("replicability", "1")]
    ):
        Criterion.objects.create(
            call=call, slug=slug, title_en=slug.title(), weight=Decimal(weight), order=order
        )
    Prize.objects.create(call=call, kind="prize", title_en="First prize")
    return call


@pytest.fixture
def call(db) -> Call:
    return make_call()


def make_submission(call, applicant, state=SubmissionState.DRAFT, **overrides) -> Submission:
    from civhub.directory.models import Country, Topic

    fields = {
        "call": call,
        "applicant": applicant,
        "category": call.categories.first(),
        "applicant_kind": ApplicantKind.PUBLIC_BODY,
        "organization_name": "Civil Service Agency",
        "country": Country.objects.get(code="GE"),
        "title": "One-stop recruitment portal",
        "summary": "All vacancies on one portal.",
        "problem": "Opaque hiring.",
        "solution": "Competitive online tests.",
        "running_since": datetime.date(2016, 1, 1),
        "results": "Twice as many applicants.",
        "evidence": "Agency statistics, 2016-2018.",
        "novelty": "First in the region.",
        "replication": "Open-source code and a manual.",
        "costs": "Two developers for a year.",
        "declares_accurate": True,
        "agrees_to_publication": True,
        "state": state,
    }
    if state not in (SubmissionState.DRAFT, SubmissionState.WITHDRAWN):
        fields["submitted_at"] = call.opens_at + datetime.timedelta(days=1)
    fields.update(overrides)
    if "slot" not in fields and fields["state"] not in CLOSED_STATES:
        # the applicant's next place; a test that gives one applicant several open
        # submissions gets a call that accepts that many (as save_draft would insist)
        taken = Submission.objects.filter(call=call, applicant=applicant).exclude(
            state__in=CLOSED_STATES
        )
        fields["slot"] = taken.count() + 1
        if fields["slot"] > call.submissions_per_applicant:
            call.submissions_per_applicant = fields["slot"]
            call.save(update_fields=["submissions_per_applicant"])
    submission = Submission.objects.create(**fields)
    submission.topics.add(Topic.objects.order_by("order").first())  # type: ignore[arg-type]  # there are topics
    return submission


def make_evaluators(n, prefix="eval", country_codes=None):
    """n evaluators, each with a directory record (country, languages) of its own."""
    from civhub.directory.models import Country, Person

    codes = country_codes or ["KZ", "KG", "AZ", "BY", "AM", "UZ", "TJ", "MN"]
    users = []
    for i in range(n):
        user = make_user(f"{prefix}{i}@test.example", "evaluator", "member")
        Person.objects.create(
            name=f"Evaluator {prefix} {i}",
            country=Country.objects.get(code=codes[i % len(codes)]),
            languages=["en", "ru"],
            user=user,
        )
        users.append(user)
    return users


def assign(submission, evaluators, status=AssignmentStatus.ASSIGNED):
    return [
        Assignment.objects.create(
            submission=submission,
            evaluator=e,
            status=status,
            completed_at=timezone.now() if status == AssignmentStatus.COMPLETED else None,
        )
        for e in evaluators
    ]


def full_scores(call, value=7, comment="ok"):
    return dict.fromkeys(call.criteria.all(), (value, comment))


def race(*functions) -> list[tuple[str, object]]:
    """`run_in_threads` on either database. PostgreSQL makes a writer wait for the rows
    another holds. SQLite's test database lives in memory with a shared cache, which answers
    "database table is locked" at once where the file database waits its turn (the busy
    timeout of settings.SQLITE_OPTIONS): there each function, one transaction, is tried
    again whole, as the file database would have made it wait, until it gets its turn."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return run_in_threads(*functions)
    return run_in_threads(*(_waits_its_turn(f) for f in functions))


def in_turn(function):
    """Run one transaction as `race` does, from a thread of a race that makes several."""
    from django.db import connection

    return function() if connection.vendor != "sqlite" else _waits_its_turn(function)()


def _waits_its_turn(function):
    from django.db import OperationalError

    def attempt():
        for _ in range(500):
            try:
                return function()
            except OperationalError as exc:
                if "locked" not in str(exc):
                    raise
                time.sleep(0.005 + random.random() * 0.02)
        return function()

    return attempt
