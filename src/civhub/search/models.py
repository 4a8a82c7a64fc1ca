"""The search index: one row per language version of every searchable record.

The lexical index lives beside this table, made by the migration for the database in use: an
FTS5 table kept in step by triggers on SQLite, a generated tsvector column with a GIN index on
PostgreSQL. Both read the pre-stemmed `title_terms` and `body_terms` (see text.py).
"""

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from civhub.directory.models import SdgTarget, Topic


class Audience(models.IntegerChoices):
    """Who may find a document: a reader sees every document at or below their level."""

    PUBLIC = 0, _("everyone")
    MEMBERS = 1, _("members")
    EDITORS = 2, _("editors")


class SearchDocument(models.Model):
    kind = models.CharField(_("type"), max_length=32)
    object_id = models.CharField(_("record"), max_length=64)
    language = models.CharField(_("language"), max_length=8)
    is_original = models.BooleanField(_("original language"), default=True)
    audience = models.PositiveSmallIntegerField(
        _("visible to"), choices=Audience.choices, default=Audience.PUBLIC
    )
    title = models.TextField(_("title"))
    body = models.TextField(_("text"), blank=True)
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    #: the record's address without the language prefix, e.g. "/practices/slug/"
    path = models.CharField(_("address"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    countries = models.ManyToManyField(
        "directory.Country", verbose_name=_("countries"), blank=True, related_name="+"
    )
    topics: "models.ManyToManyField[Topic, Any]" = models.ManyToManyField(
        "directory.Topic", verbose_name=_("topics"), blank=True, related_name="+"
    )
    sdg_targets: "models.ManyToManyField[SdgTarget, Any]" = models.ManyToManyField(
        "directory.SdgTarget", verbose_name=_("SDG targets"), blank=True, related_name="+"
    )
    #: hash of the text the vector was made from; a different hash means the vector is stale
    text_hash = models.CharField(max_length=40)
    vector = models.BinaryField(null=True, editable=False)
    vector_hash = models.CharField(max_length=40, blank=True)
    vector_model = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"], name="search_document_unique_version"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} ({self.language})"

    @property
    def record_key(self) -> tuple[str, str]:
        return (self.kind, self.object_id)


class IndexState(models.Model):
    """One row whose generation changes with every change to the index, so each server
    process knows, with one cheap read, when its in-memory vectors are out of date."""

    generation = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("index state")

    def __str__(self) -> str:
        return f"generation {self.generation}"


class LoggedQuery(models.Model):
    """A search as it was asked, without who asked it: the demand signal for editors."""

    text = models.CharField(_("query"), max_length=500)
    normalized = models.CharField(max_length=500, db_index=True)
    interface_language = models.CharField(_("interface language"), max_length=8)
    results = models.PositiveIntegerField(_("results"))
    searched_on = models.DateField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("logged query")
        verbose_name_plural = _("logged queries")
        ordering = ["-searched_on", "-pk"]

    def __str__(self) -> str:
        return self.text
