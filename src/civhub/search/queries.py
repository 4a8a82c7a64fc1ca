"""What readers search for, from the query log: the demand signal shown to editors.

The log holds the words, the interface language, the number of results and the day of each
search made on the search page, never who searched (models.LoggedQuery).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Max
from django.utils import timezone

from civhub.search.models import LoggedQuery

#: the periods an editor can choose, in days
PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
#: rows shown in each list
LIMIT = 50


@dataclass
class QueryStat:
    text: str  # the normalized query: lower-case words, as grouped
    searches: int
    last_seen: datetime.date
    mean_results: float | None = None


def since(days: int) -> datetime.date:
    """The first day of a period of `days` days that ends today."""
    return timezone.localdate() - datetime.timedelta(days=days - 1)


def _grouped(queryset, limit: int, with_mean: bool) -> list[QueryStat]:
    rows = (
        queryset.values("normalized")
        .annotate(searches=Count("pk"), last_seen=Max("searched_on"), mean=Avg("results"))
        .order_by("-searches", "-last_seen", "normalized")[:limit]
    )
    return [
        QueryStat(
            text=row["normalized"],
            searches=row["searches"],
            last_seen=row["last_seen"],
            mean_results=row["mean"] if with_mean else None,
        )
        for row in rows
    ]


def searches_in(days: int) -> int:
    return LoggedQuery.objects.filter(searched_on__gte=since(days)).count()


def top_queries(days: int, limit: int = LIMIT) -> list[QueryStat]:
    """The most frequent queries of the period, with the mean number of results they found."""
    return _grouped(LoggedQuery.objects.filter(searched_on__gte=since(days)), limit, True)


def unanswered_queries(days: int, limit: int = LIMIT) -> list[QueryStat]:
    """The queries of the period that found nothing: what the hub lacks, or words it misses."""
    logged = LoggedQuery.objects.filter(searched_on__gte=since(days), results=0)
    return _grouped(logged, limit, False)
