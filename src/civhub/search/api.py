"""Search in the API: `GET /api/v1/search`, the search page's parameters and results as JSON.

The caller sees what their token's roles allow (anonymous: what a visitor sees). The body is
`services.Results.as_json()` (its shape: schemas.SearchOut), the same as `civhub search --json` prints. Searches made through
the API are not written to the query log: that log is the demand signal of people searching
on the site, which scripts would drown.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from civhub.accounts.auth import PUBLIC
from civhub.core.api import (
    DEFAULT_LIMIT,
    LANGUAGE_CODES,
    MAX_OFFSET,
    Message,
    codes_of,
    live_enum,
)
from civhub.directory.models import Country, Region, SdgTarget, Topic
from civhub.search import registry, services
from civhub.search.schemas import SearchOut

router = Router(tags=["search"])


def _kinds() -> list[str]:
    return [t.kind for t in registry.types()]


class SearchQuery(Schema):
    """The search page's parameters. The codes, slugs, types and ranges listed in the schema are
    checked by the search itself (services.resolve_filters: a 400 naming what is unknown)."""

    q: str = Field("", description="The words to search for, in any of the hub's languages.")
    type: list[str] = Field(
        [],
        description="Record types (the schema lists them: practice, law, call, award...).",
        json_schema_extra=live_enum(_kinds, blank=False, items=True),
    )
    country: list[str] = Field(
        [],
        description="ISO codes of countries, e.g. KZ.",
        json_schema_extra=live_enum(codes_of(Country, "code"), items=True),
    )
    region: list[str] = Field(
        [],
        description="Region slugs.",
        json_schema_extra=live_enum(codes_of(Region, "slug"), items=True),
    )
    topic: list[str] = Field(
        [],
        description="Topic slugs.",
        json_schema_extra=live_enum(codes_of(Topic, "slug"), items=True),
    )
    sdg: list[str] = Field(
        [],
        description="SDG target codes, e.g. 16.6.",
        json_schema_extra=live_enum(codes_of(SdgTarget, "code"), items=True),
    )
    lang: list[str] = Field(
        [],
        json_schema_extra={"items": {"type": "string", "enum": list(LANGUAGE_CODES)}},
        description="Languages of the content to search (en, ru, kk). As everywhere in the "
        "API, it also sets the language of the answer (the last one given, else en).",
    )
    year_from: int | None = Field(
        None,
        description="Records of this year or later.",
        json_schema_extra={"minimum": services.YEARS[0], "maximum": services.YEARS[1]},
    )
    year_to: int | None = Field(
        None,
        description="Records of this year or earlier.",
        json_schema_extra={"minimum": services.YEARS[0], "maximum": services.YEARS[1]},
    )
    mode: str = Field(
        "hybrid",
        json_schema_extra={"enum": list(services.MODES)},
        description="hybrid (words and meaning, the default), lexical (words) or semantic "
        "(meaning).",
    )
    limit: int = Field(
        DEFAULT_LIMIT,
        description=f"How many results to return, 1 to {services.MAX_LIMIT}; more is a 400.",
        json_schema_extra={"minimum": 1, "maximum": services.MAX_LIMIT},
    )
    offset: int = Field(
        0, ge=0, le=MAX_OFFSET, description=f"How many results to skip, 0 to {MAX_OFFSET}."
    )


def answer_language(languages: list[str]) -> str:
    """The language the API answers in for these `lang` values (core.api.in_requested_language
    reads the last one), so the command line can answer in the same."""
    last = languages[-1] if languages else ""
    return last if last in LANGUAGE_CODES else settings.LANGUAGE_CODE


def params_of(query: SearchQuery) -> services.Params:
    return services.parse(query.dict())


@router.get(
    "/search",
    response={200: SearchOut, 400: Message},
    openapi_extra=PUBLIC,
    url_name="search",
)
def search(request, params: Query[SearchQuery]):
    """Everything the caller may see, ranked by words and meaning, with facet counts.

    A query that cannot be searched (only punctuation, too long) is a 200 whose `error` says
    why; a filter naming nothing known, or a `limit` over 100, is a 400.
    """
    if not 1 <= params.limit <= services.MAX_LIMIT:
        message = _("limit: from 1 to %(max)s results.") % {"max": services.MAX_LIMIT}
        return Status(400, {"detail": message})
    try:
        results = services.search(params_of(params), request.user)
    except services.InvalidFilter as exc:
        return Status(400, {"detail": str(exc)})
    return results  # SearchOut reads it (schemas.py), as Results.as_json() does
