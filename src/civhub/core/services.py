"""Shared services: the audit log and the health of the database, cache and worker."""

import time
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import DatabaseError, connection, transaction
from django.db.models import Field, Model

from civhub.core.models import AuditEntry, VersionedModel
from civhub.core.types import Viewer


class Conflict(Exception):
    """The record changed since the editor read it, or can no longer be edited by them: the
    edit is refused whole (409 in the API; the page shows the message and keeps what was
    typed)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def stale_edit_message() -> str:
    from django.utils.translation import gettext as _

    return _(
        "Someone changed this record since you opened it, so your changes were not saved. "
        "Open it again to see their changes, then make yours."
    )


def save_changes(
    locked: VersionedModel,
    edited: Model,
    fields: Iterable[str],
    *,
    version: int | None = None,
    links: Mapping[str, Iterable[Any]] | None = None,
) -> list[str]:
    """Copy the `fields` that `edited` changes onto `locked` (the same record, read again
    with select_for_update) and save only those, with the version one higher. With
    `version` (what the editor read), a record that moved on meanwhile raises Conflict.
    `links` ({many-to-many field: the records or pks wanted}) are set where they differ from
    the stored ones; a change of links alone is a change of the record too (one version
    higher). Returns the names of the fields and links changed (none: nothing is written)."""
    if version is not None and locked.version != version:
        raise Conflict(stale_edit_message())
    names: list[str] = []
    for name in fields:
        try:
            field = locked._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a form's own field, not the record's
        if not isinstance(field, Field) or field.many_to_many or not field.concrete:
            continue
        value = getattr(edited, field.attname)
        if getattr(locked, field.attname) != value:
            setattr(locked, field.attname, value)
            names.append(field.name)
    linked: list[str] = []
    for name, chosen in (links or {}).items():
        wanted = {getattr(item, "pk", item) for item in chosen}
        manager = getattr(locked, name)
        if wanted != set(manager.values_list("pk", flat=True)):
            manager.set(wanted)
            linked.append(name)
    if names or linked:
        locked.version += 1
        if names:
            locked.full_clean()
        update = [*names, "version"]
        if any(f.name == "updated_at" for f in locked._meta.concrete_fields):
            update.append("updated_at")
        locked.save(update_fields=update)
    return [*names, *linked]


def editable_fields(model: type[Model] | Model) -> list[str]:
    """Every column of `model` an editor may change: what `save_changes` compares for an
    update that does not say which fields it changes."""
    return [f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key]


def audit(
    actor: Viewer | None, action: str, target: Model | None = None, summary: str = "", **data: Any
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
    from django.core.cache import cache

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    try:
        cache.set("civhub:healthz", "1", 5)
        ok = cache.get("civhub:healthz") == "1"
    except Exception as exc:  # any client error means the cache is unusable
        return {"ok": False, "backend": backend, "error": exc.__class__.__name__}
    return {"ok": ok, "backend": backend}


# A health check waits at most this long for the database (PostgreSQL's statement timeout):
# a load balancer's probe must answer, not queue behind a slow database.
HEALTH_DB_TIMEOUT_MS = 2000


def database_health() -> dict[str, Any]:
    started = time.perf_counter()
    try:
        if connection.vendor == "postgresql":
            # SET LOCAL ends with the transaction: the pooled connection keeps no limit.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {HEALTH_DB_TIMEOUT_MS}")
                cursor.execute("SELECT 1")
                cursor.fetchone()
        else:
            # No transaction on SQLite: an IMMEDIATE one would queue behind the writers.
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


# The background worker writes the time into the task queue's store every
# CIVHUB_WORKER_HEARTBEAT seconds (core/tasks.py); older than WORKER_STALE_AFTER, the worker
# is taken for dead. The store, not the cache or the database: it is what the worker needs.
HEARTBEAT_KEY = "civhub:worker-heartbeat"
HEARTBEAT_EVERY = settings.CIVHUB_WORKER_HEARTBEAT
WORKER_STALE_AFTER = 4 * HEARTBEAT_EVERY


def worker_health(huey: Any = None, now: float | None = None) -> dict[str, Any]:
    """When the worker last beat, and how many tasks wait (vectors to make after saves,
    e-mails): a queue that is not empty means indexing is under way, not a fault."""
    if huey is None:
        from huey.contrib.djhuey import HUEY

        huey = HUEY
    if huey.immediate:
        # CIVHUB_TASKS_IMMEDIATE: tasks run in the process that asks for them; no worker.
        return {"ok": True, "mode": "immediate"}
    try:
        beat = huey.get(HEARTBEAT_KEY, peek=True)
        pending = huey.pending_count()
    except Exception as exc:  # the queue's store (Redis, tasks.sqlite3) is unusable
        return {"ok": False, "error": exc.__class__.__name__}
    if beat is None:
        return {"ok": False, "error": "no heartbeat", "pending_tasks": pending}
    age = max(0.0, (time.time() if now is None else now) - float(beat))
    report: dict[str, Any] = {
        "ok": age <= WORKER_STALE_AFTER,
        "last_seen_s": round(age, 1),
        "pending_tasks": pending,
    }
    if not report["ok"]:
        report["error"] = "stale heartbeat"
    return report
