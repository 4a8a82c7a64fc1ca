"""Shared services: the audit log and reading the database's health."""

import time
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection
from django.db.models import Model

from civhub.core.models import AuditEntry


def audit(
    actor, action: str, target: Model | None = None, summary: str = "", **data: Any
) -> AuditEntry:
    """Record one change. Call inside the transaction that makes the change."""
    entry = AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        summary=summary[:500],
        data=data,
    )
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target)
        entry.object_id = str(target.pk)
    entry.save()
    return entry


def cache_health() -> dict[str, Any]:
    """The cache holds sessions' rate limits: when it is Redis and Redis is down, logins fail."""
    from django.conf import settings
    from django.core.cache import cache

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    try:
        cache.set("civhub:healthz", "1", 5)
        ok = cache.get("civhub:healthz") == "1"
    except Exception as exc:  # any client error means the cache is unusable
        return {"ok": False, "backend": backend, "error": exc.__class__.__name__}
    return {"ok": ok, "backend": backend}


def database_health() -> dict[str, Any]:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "vendor": connection.vendor, "error": exc.__class__.__name__}
    return {
        "ok": True,
        "vendor": connection.vendor,
        "latency_ms": round((time.perf_counter() - started) * 1000, 2),
    }
