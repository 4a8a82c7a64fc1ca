"""The filter step of a search: what its parameters restrict it to, checked against the
directory (`resolve`), as the `Filters` both halves of ranking apply (the lexical half in
SQL, the semantic half over the document table)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext_lazy as _

from civhub.core.types import StrOrPromise
from civhub.directory.models import Country, Region, SdgTarget, Topic
from civhub.search import registry
from civhub.search.models import Audience, SearchDocument
from civhub.search.params import InvalidFilter, Params

if TYPE_CHECKING:
    pass


@dataclass
class Filters:
    """Restrictions every result meets. Lists are alternatives (any of them)."""

    audience: int = 0
    kinds: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    country_ids: list[int] = field(default_factory=list)
    region_ids: list[int] = field(default_factory=list)
    topic_ids: list[int] = field(default_factory=list)
    sdg_target_ids: list[int] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None

    @property
    def needs_relations(self) -> bool:
        """Whether the filters reach beyond the columns the vector index holds."""
        return bool(
            self.country_ids
            or self.region_ids
            or self.topic_ids
            or self.sdg_target_ids
            or self.year_from
            or self.year_to
        )

    def sql(self, alias: str = "d") -> tuple[str, list]:
        """A WHERE fragment over the documents table aliased `alias`."""
        clauses, params = [f"{alias}.audience <= %s"], [self.audience]

        def any_of(column: str, values: list) -> None:
            clauses.append(f"{alias}.{column} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)

        def related(name: str, column: str, values: list) -> None:
            through = getattr(SearchDocument, name).through._meta.db_table
            marks = ", ".join(["%s"] * len(values))
            clauses.append(
                f"{alias}.id IN (SELECT searchdocument_id FROM {through} WHERE {column} IN ({marks}))"
            )
            params.extend(values)

        if self.kinds:
            any_of("kind", self.kinds)
        if self.languages:
            any_of("language", self.languages)
        if self.year_from:
            clauses.append(f"{alias}.year >= %s")
            params.append(self.year_from)
        if self.year_to:
            clauses.append(f"{alias}.year <= %s")
            params.append(self.year_to)
        if self.country_ids:
            related("countries", "country_id", self.country_ids)
        if self.topic_ids:
            related("topics", "topic_id", self.topic_ids)
        if self.sdg_target_ids:
            related("sdg_targets", "sdgtarget_id", self.sdg_target_ids)
        if self.region_ids:
            through = SearchDocument.countries.through._meta.db_table
            countries = Country._meta.db_table
            marks = ", ".join(["%s"] * len(self.region_ids))
            clauses.append(
                f"{alias}.id IN (SELECT t.searchdocument_id FROM {through} t "
                f"JOIN {countries} c ON c.id = t.country_id WHERE c.region_id IN ({marks}))"
            )
            params.extend(self.region_ids)
        return " AND ".join(clauses), params

    def matching_ids(self) -> list[int]:
        where, params = self.sql()
        table = SearchDocument._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT d.id FROM {table} d WHERE {where}", params)
            return [row[0] for row in cursor.fetchall()]


def audience_of(user) -> int:
    if user is None or not user.is_authenticated:
        return Audience.PUBLIC
    return Audience.EDITORS if user.is_editor else Audience.MEMBERS


def resolve(params: Params, user) -> Filters:
    """The filters of these parameters for this user. Raises InvalidFilter naming what a
    filter names that does not exist."""

    def ids(model: Any, field_name: str, values: list[str], what: StrOrPromise) -> list[int]:
        values = [v for v in values if v]
        if not values:
            return []
        found = dict(
            model.objects.filter(**{f"{field_name}__in": values}).values_list(field_name, "pk")
        )
        unknown = [v for v in values if v not in found]
        if unknown:
            raise InvalidFilter(
                _("Unknown %(what)s: %(values)s.") % {"what": what, "values": ", ".join(unknown)}
            )
        return list(found.values())

    unknown_kinds = [k for k in params.kinds if registry.get(k) is None]
    if unknown_kinds:
        raise InvalidFilter(_("Unknown type: %(values)s.") % {"values": ", ".join(unknown_kinds)})
    languages = [code for code, _name in settings.LANGUAGES]
    unknown_languages = [code for code in params.languages if code not in languages]
    if unknown_languages:
        raise InvalidFilter(
            _("Unknown language: %(values)s.") % {"values": ", ".join(unknown_languages)}
        )
    return Filters(
        audience=audience_of(user),
        kinds=list(params.kinds),
        languages=list(params.languages),
        country_ids=ids(Country, "code", params.countries, _("country")),
        region_ids=ids(Region, "slug", params.regions, _("region")),
        topic_ids=ids(Topic, "slug", params.topics, _("topic")),
        sdg_target_ids=ids(SdgTarget, "code", params.sdg_targets, _("SDG target")),
        year_from=params.year_from,
        year_to=params.year_to,
    )
