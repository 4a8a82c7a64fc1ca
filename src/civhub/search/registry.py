"""What each app gives the index. An app describes its searchable records in its own
`search.py` module with `register(SearchType(...))`; the search app finds those modules at start
(apps.py), keeps the index in step on every save and delete, and rebuilds it on demand."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation

from civhub.core.types import StrOrPromise
from civhub.search.models import Audience


@dataclass
class Version:
    """A record's text in one language."""

    language: str
    title: str
    body: str = ""
    is_original: bool = True


@dataclass
class Entry:
    """What the index holds of one record; `None` from a type's `entry` keeps it out."""

    versions: list[Version]
    path: str
    audience: int = Audience.PUBLIC
    year: int | None = None
    country_ids: Iterable[int] = ()
    topic_ids: Iterable[int] = ()
    sdg_target_ids: Iterable[int] = ()


@dataclass
class SearchType:
    kind: str
    #: singular and plural names shown as the facet (lazy translations)
    label: StrOrPromise
    label_plural: StrOrPromise
    model: type[models.Model]
    #: the Entry of an instance, or None when it must not be found (of an instance of
    #: `model`: Any, since a Callable of a subclass is not a Callable of Model)
    entry: Callable[[Any], Entry | None]
    #: every instance that may have an entry, for a full rebuild
    queryset: Callable[[], models.QuerySet]
    object_id: Callable[[Any], str] = lambda instance: str(instance.pk)
    #: many-to-many fields of `model` whose changes change the entry
    m2m: tuple[str, ...] = ()
    #: other models whose changes change an entry: (model, instance -> records to reindex)
    depends_on: list[tuple[type[models.Model], Callable]] = field(default_factory=list)
    order: int = 100


_types: dict[str, SearchType] = {}


def register(search_type: SearchType) -> SearchType:
    _types[search_type.kind] = search_type
    return search_type


def types() -> list[SearchType]:
    return sorted(_types.values(), key=lambda t: (t.order, t.kind))


def get(kind: str) -> SearchType | None:
    return _types.get(kind)


def for_model(model: type[models.Model]) -> SearchType | None:
    for search_type in _types.values():
        if search_type.model is model:
            return search_type
    return None


# -- helpers for the apps' registrations -------------------------------------------------


def content_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def neutral_path(instance) -> str:
    """The record's address without the language prefix, to be served in any language."""
    default = settings.LANGUAGE_CODE
    with translation.override(default):
        url = instance.get_absolute_url()
    prefix = f"/{default}/"
    return "/" + url[len(prefix) :] if url.startswith(prefix) else url


def translated_versions(
    instance, title_field: str, body_fields: Iterable[str], original: str | None = None
) -> list[Version]:
    """One Version per language the record is written in (django-modeltranslation fields):
    a title in that language and, when the record has a body in any language, some of the body
    too. A title alone is not a version, as on the record's page (knowledge's
    VersionedTextMixin), so a result never shows a version the page would not."""
    original = original or getattr(instance, "language", settings.LANGUAGE_CODE)
    body_fields = list(body_fields)
    written = {}
    for code in content_languages():
        title = getattr(instance, f"{title_field}_{code}", "") or ""
        body = "\n\n".join(
            text for name in body_fields if (text := getattr(instance, f"{name}_{code}", ""))
        )
        written[code] = (title, body)
    has_body = any(body for _title, body in written.values())
    versions = []
    for code, (title, body) in written.items():
        if not title.strip() or (has_body and not body.strip()):
            continue
        versions.append(Version(code, title, body, is_original=(code == original)))
    if versions and not any(v.is_original for v in versions):
        versions[0].is_original = True
    # A "translation" identical to the original is the original copied into another
    # language's column (django-modeltranslation writes the active language's): not a version.
    source = next(v for v in versions) if versions else None
    for v in versions:
        if v.is_original:
            source = v
    if source is None:
        return versions
    return [v for v in versions if v is source or (v.title, v.body) != (source.title, source.body)]
