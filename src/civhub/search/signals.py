"""Saving or deleting a registered record updates its documents in the same transaction."""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from civhub.search import indexing, registry

_paused = threading.local()


@contextmanager
def paused():
    """Bulk writers (imports, the benchmark corpus) index once at the end instead."""
    _paused.on = True
    try:
        yield
    finally:
        _paused.on = False


@contextmanager
def batched():
    """Index each record changed inside the block once, at its end, instead of at every
    save (a profile of 40 answers is indexed once, not 40 times)."""
    if getattr(_paused, "batch", None) is not None:
        yield  # already batching: the outer block indexes
        return
    _paused.batch = {}
    try:
        yield
        batch = _paused.batch
    finally:
        _paused.batch = None
    for search_type, instance in batch.values():
        reindex_instance(search_type, instance)


def _active() -> bool:
    return not getattr(_paused, "on", False)


def reindex_instance(search_type, instance) -> None:
    """Index the record as stored (the saved instance may hold unconverted values)."""
    if not _active():
        return
    batch = getattr(_paused, "batch", None)
    if batch is not None:
        batch[(search_type.kind, instance.pk)] = (search_type, instance)
        return
    stored = search_type.queryset().filter(pk=instance.pk).first()
    if stored is None:
        indexing.remove(search_type.kind, search_type.object_id(instance))
    else:
        indexing.schedule_vectors(indexing.index_instance(search_type, stored))


def _saved(sender, instance, raw=False, **kwargs):
    search_type = registry.for_model(sender)
    if search_type and not raw:
        reindex_instance(search_type, instance)


def _deleted(sender, instance, **kwargs):
    search_type = registry.for_model(sender)
    if search_type and _active():
        indexing.remove(search_type.kind, search_type.object_id(instance))


def _m2m_changed(sender, instance, action, reverse, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    search_type = registry.for_model(type(instance))
    if search_type:
        reindex_instance(search_type, instance)


def _dependency_handler(search_type, records_of):
    def handler(sender, instance, raw=False, **kwargs):
        if raw or not _active():
            return
        for record in records_of(instance):
            reindex_instance(search_type, record)

    return handler


_handlers = []  # keeps the closures alive: signals hold weak references


def connect() -> None:
    from civhub.directory.models import Country, Region, SdgTarget, Topic
    from civhub.search.services import forget_reference_records

    model: type[Model]
    for model in (Country, Region, SdgTarget, Topic):
        uid = f"civhub.search.reference.{model._meta.model_name}"
        post_save.connect(forget_reference_records, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(forget_reference_records, sender=model, dispatch_uid=uid + ".delete")
    for search_type in registry.types():
        uid = f"civhub.search.{search_type.kind}"
        post_save.connect(_saved, sender=search_type.model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_deleted, sender=search_type.model, dispatch_uid=f"{uid}.delete")
        for name in search_type.m2m:
            through = getattr(search_type.model, name).through
            m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"{uid}.{name}")
        for model, records_of in search_type.depends_on:
            handler = _dependency_handler(search_type, records_of)
            _handlers.append(handler)
            label = model._meta.label_lower
            post_save.connect(handler, sender=model, dispatch_uid=f"{uid}.{label}.save")
            post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}.{label}.delete")
