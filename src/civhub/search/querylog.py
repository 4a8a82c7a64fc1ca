"""What readers search for on the site, kept as the editors' demand signal (queries.py reads
it). The search page logs its searches, once each (not their later pages); the API does not:
its scripts would drown the signal."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language

from civhub.search import text
from civhub.search.models import LoggedQuery


def log_query(q: str, total: int) -> None:
    LoggedQuery.objects.create(
        text=q[:500],
        normalized=" ".join(text.words(q))[:500],
        interface_language=(get_language() or settings.LANGUAGE_CODE)[:8],
        results=total,
    )
