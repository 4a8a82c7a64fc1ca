"""Results published ahead for a later day: on that day they become public, and their winners
enter the search index (saving them on publication found them not yet public). The daily task
(awards/tasks.py) calls `index_results_out_today`."""

from __future__ import annotations

import datetime

from django.utils import timezone

from civhub.awards.models import Call
from civhub.search import services as search


def index_results_out_on(day: datetime.date) -> int:
    """Reindex every decided submission of the calls whose results come out on `day`; how
    many were reindexed."""
    count = 0
    for call in Call.objects.filter(results_published_on=day):
        for submission in call.submissions.exclude(decision=None):
            if search.reindex(submission):
                count += 1
    return count


def index_results_out_today() -> int:
    return index_results_out_on(timezone.localdate())
