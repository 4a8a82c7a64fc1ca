"""awards.filters: the state a list filters by is the state each reader is told."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from civhub.awards.choices import SubmissionState
from civhub.awards.models import Submission
from civhub.awards.tests.conftest import make_submission
from civhub.testing import make_user

pytestmark = pytest.mark.django_db
S = SubmissionState


@pytest.mark.parametrize("results_out", [False, True], ids=["results held", "results out"])
@pytest.mark.parametrize(
    "persona", ["visitor", "member", "evaluator", "steering", "editor"], indirect=True
)
def test_the_list_filter_agrees_with_the_state_each_reader_is_told(persona, call, results_out):
    """SubmissionQuerySet.shown_in_state asks in the database what state_shown_to answers
    for one submission, in every state, for every reader."""
    if results_out:
        call.results_published_on = timezone.localdate() - datetime.timedelta(days=1)
        call.save(update_fields=["results_published_on"])
    reader = persona.user or AnonymousUser()
    for n, state in enumerate(S.values):
        applicant = persona.user if n == 0 and persona.user else None
        make_submission(call, applicant or make_user(f"a{n}@test.example", "member"), state)
    rows = Submission.objects.select_related("call")
    for state in S.values:
        expected = {s.pk for s in rows if s.state_shown_to(reader) == state}
        assert set(rows.shown_in_state(reader, state).values_list("pk", flat=True)) == expected
